<?php

declare(strict_types=1);

namespace Magento\Framework\Config;

/**
 * Test double of Magento's config cache interface.
 */
interface CacheInterface
{
    /**
     * @param string $identifier
     * @return string|false
     */
    public function load($identifier);

    /**
     * @param string $data
     * @param string $identifier
     * @param string[] $tags
     * @param int|null $lifeTime
     * @return bool
     */
    public function save($data, $identifier, array $tags = [], $lifeTime = null);
}
