<?php

declare(strict_types=1);

namespace Magento\Framework\Config;

use Magento\Framework\Serialize\Serializer\Json;
use Magento\Framework\Serialize\SerializerInterface;

/**
 * Test double of Magento's config data: reads through the cache, else from the reader, and answers
 * get() with the whole array or a "/"-separated path into it.
 */
class Data
{
    /** @var array<mixed> */
    protected $_data = [];

    /**
     * @param ReaderInterface $reader
     * @param CacheInterface $cache
     * @param string $cacheId
     * @param SerializerInterface|null $serializer
     */
    public function __construct(
        ReaderInterface $reader,
        CacheInterface $cache,
        $cacheId,
        ?SerializerInterface $serializer = null
    ) {
        $serializer ??= new Json();
        $cached = $cache->load($cacheId);
        if (is_string($cached)) {
            $this->_data = $serializer->unserialize($cached);
        } else {
            $this->_data = $reader->read();
            $cache->save((string) $serializer->serialize($this->_data), $cacheId);
        }
    }

    /**
     * @param string|null $path
     * @param mixed $default
     * @return mixed
     */
    public function get($path = null, $default = null)
    {
        if ($path === null) {
            return $this->_data;
        }
        $data = $this->_data;
        foreach (explode('/', (string) $path) as $key) {
            if (!is_array($data) || !array_key_exists($key, $data)) {
                return $default;
            }
            $data = $data[$key];
        }

        return $data;
    }
}
