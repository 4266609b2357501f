<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

use Magento\Framework\Config\CacheInterface;

/**
 * An in-memory config cache.
 */
class MemoryConfigCache implements CacheInterface
{
    /** @var array<string, string> */
    public array $entries = [];

    /**
     * @inheritdoc
     */
    public function load($identifier)
    {
        return $this->entries[$identifier] ?? false;
    }

    /**
     * @inheritdoc
     */
    public function save($data, $identifier, array $tags = [], $lifeTime = null)
    {
        $this->entries[$identifier] = $data;

        return true;
    }
}
