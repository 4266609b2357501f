<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Model;

use Magento\Framework\MessageQueue\PublisherInterface;
use Magento\Framework\Serialize\Serializer\Json;
use MageOS\AsyncEvents\Api\AsyncEventPublisherInterface;
use MageOS\AsyncEvents\Helper\QueueMetadataInterface;

/**
 * Publishes `[eventName, argumentsJson, storeId]` to topic event.trigger, the message upstream's
 * publisher sends and the sidecar consumes (design.md §3).
 */
class AsyncEventPublisher implements AsyncEventPublisherInterface
{
    /**
     * @param PublisherInterface $publisher Magento's message queue publisher (exchange "magento": queue_publisher.xml)
     * @param Json $json the concrete JSON serializer, not SerializerInterface: its output is PHP's flag-less
     *        json_encode, which is what upstream sends, whatever a store prefers for SerializerInterface
     */
    public function __construct(
        private readonly PublisherInterface $publisher,
        private readonly Json $json
    ) {
    }

    /**
     * @inheritdoc
     */
    public function publish(string $eventName, array $data, int|string $storeId = 0): void
    {
        // The store id goes out as a string, as mage-os/mageos-async-events 4.0.x sends it: a message
        // published through this module is then byte for byte the one the upstream module would have
        // published (3.x sent a JSON number; the sidecar accepts both, and a missing one, as design.md §3 says).
        $this->publisher->publish(
            QueueMetadataInterface::EVENT_QUEUE,
            [$eventName, $this->json->serialize($data), (string) $storeId]
        );
    }
}
