<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Helper;

/**
 * Queue, exchange and routing-key names of the async events topology, as upstream defines them.
 * Kept because other modules (e.g. mageos-common-async-events) import these constants; the names are
 * also what the sidecar uses (design.md §3).
 *
 * @api
 */
interface QueueMetadataInterface
{
    /** Topic, routing key and queue of published events. */
    public const EVENT_QUEUE = 'event.trigger';

    /** Topic exchange of the retry and dead-letter queues. */
    public const FAILOVER_EXCHANGE = 'event.failover';

    /**
     * Upstream's constant, kept so code that references it keeps working. Upstream's retry chain no longer
     * uses it: the first retry waits in queue "event.retry.init" (design.md §3).
     */
    public const RETRY_INIT_QUEUE = 'event.delay.1';

    /** Routing key (and queue) of a delivery's first retry. */
    public const RETRY_INIT_ROUTING_KEY = 'event.retry.init';

    /** Routing key the delay queues dead-letter to, bound to event.failover.retry. */
    public const DEAD_LETTER_ROUTING_KEY = 'event.retry';

    /** Routing key of deliveries given up on, bound to event.failover.deadletter. */
    public const DEAD_LETTER_KILL_KEY = 'event.retry.kill';
}
