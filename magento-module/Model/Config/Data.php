<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Model\Config;

use Magento\Framework\Config\CacheInterface;
use Magento\Framework\Config\Data as ConfigData;
use Magento\Framework\Serialize\SerializerInterface;

/**
 * The merged async_events.xml, cached in Magento's config cache (cleared by bin/magento cache:clean config).
 */
class Data extends ConfigData
{
    public const CACHE_ID = 'mageos_async_events_config';

    /**
     * @param Reader $reader
     * @param CacheInterface $cache
     * @param string $cacheId
     * @param SerializerInterface|null $serializer
     */
    public function __construct(
        Reader $reader,
        CacheInterface $cache,
        string $cacheId = self::CACHE_ID,
        ?SerializerInterface $serializer = null
    ) {
        parent::__construct($reader, $cache, $cacheId, $serializer);
    }

    /**
     * One event's declaration, looked up lower-cased as upstream does; null when no module declares it.
     *
     * Not an override of get(): the parent's get($path = null, $default = null) reads a "/"-separated
     * path and its signature cannot be narrowed to a string name in PHP.
     *
     * @param string $eventName
     * @return array{class: string, method: string, resources: string[]}|null
     */
    public function getEvent(string $eventName): ?array
    {
        $events = $this->get();
        $event = is_array($events) ? ($events[mb_strtolower($eventName)] ?? null) : null;

        return is_array($event) ? $event : null;
    }
}
