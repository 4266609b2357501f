<?php

declare(strict_types=1);

/**
 * Test helper for roundtrip.sh, standing in for the sidecar's side of the broker:
 *   php broker.php declare AMQP_URL   declares exchange "magento" and queue "event.trigger" as design.md §3
 *                                     says (topic/durable; durable, no arguments) and binds them
 *   php broker.php take AMQP_URL      takes one message from event.trigger and prints
 *                                     {"body": "...", "properties": {...}} as JSON
 */

use PhpAmqpLib\Connection\AMQPStreamConnection;

require '/usr/share/php/PhpAmqpLib/autoload.php';

[, $command, $url] = $argv + [null, null, null];
$parts = parse_url((string) $url);
if (!in_array($command, ['declare', 'take'], true) || $parts === false || !isset($parts['host'])) {
    fwrite(STDERR, "usage: php broker.php declare|take amqp://user:password@host:port/vhost\n");
    exit(2);
}
$path = $parts['path'] ?? '';
$connection = new AMQPStreamConnection(
    $parts['host'],
    $parts['port'] ?? 5672,
    rawurldecode($parts['user'] ?? 'guest'),
    rawurldecode($parts['pass'] ?? 'guest'),
    $path === '' || $path === '/' ? '/' : rawurldecode(substr($path, 1))
);
$channel = $connection->channel();

if ($command === 'declare') {
    // exchange_declare(name, type, passive, durable, auto_delete, internal)
    $channel->exchange_declare('magento', 'topic', false, true, false, false);
    // queue_declare(name, passive, durable, exclusive, auto_delete)
    $channel->queue_declare('event.trigger', false, true, false, false);
    $channel->queue_bind('event.trigger', 'magento', 'event.trigger');
} else {
    $message = $channel->basic_get('event.trigger');
    if ($message === null) {
        fwrite(STDERR, "broker.php: queue event.trigger is empty\n");
        exit(1);
    }
    $message->ack();
    echo json_encode(
        [
            'body' => $message->getBody(),
            'exchange' => $message->getExchange(),
            'routing_key' => $message->getRoutingKey(),
            'properties' => $message->get_properties(),
        ],
        JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE
    ), PHP_EOL;
}
$channel->close();
$connection->close();
