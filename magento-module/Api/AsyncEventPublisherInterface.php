<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Api;

/**
 * Publishes an async event to the event.trigger queue. Same interface as mage-os/mageos-async-events,
 * so code written against upstream (observers, plugins, mageos-common-async-events) works unchanged.
 *
 * @api
 */
interface AsyncEventPublisherInterface
{
    /**
     * Publish an asynchronous event.
     *
     * @param string $eventName the name declared in an async_events.xml, e.g. "sales.order.created"
     * @param array $data the arguments of the event's service method, by parameter name, e.g. ['id' => '5']
     * @param int|string $storeId the store the event belongs to; 0 for all stores
     * @return void
     */
    public function publish(string $eventName, array $data, int|string $storeId = 0): void;
}
