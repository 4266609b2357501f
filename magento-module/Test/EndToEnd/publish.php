<?php

declare(strict_types=1);

/**
 * Cross-language end to end, PHP half: publishes one async event through the module's own
 * AsyncEventPublisher and an adapter that sends to RabbitMQ as Magento's framework publisher does
 * (AmqpPublisher.php). Prints the exact bytes published on stdout, nothing else (no newline).
 *
 *   php magento-module/Test/EndToEnd/publish.php --amqp-url amqp://guest:guest@127.0.0.1:5672/vhost \
 *       --event sales.order.created --data '{"id":"5"}' [--store 1] [--verbose]
 *
 * Declares no exchange or queue: the sidecar does. Exit codes: 0 published and confirmed; 1 publishing
 * failed (connection, missing exchange, unroutable, refused); 2 bad usage.
 */

use Magento\Framework\Serialize\Serializer\Json;
use MageOS\AsyncEvents\Model\AsyncEventPublisher;
use MageOS\AsyncEvents\Test\EndToEnd\AmqpPublisher;
use PhpAmqpLib\Connection\AMQPStreamConnection;

require dirname(__DIR__) . '/autoload.php';
require '/usr/share/php/PhpAmqpLib/autoload.php';

const USAGE = 'usage: php publish.php --amqp-url amqp://user:password@host:port/vhost --event NAME'
    . ' --data JSON_OBJECT [--store ID] [--verbose]';

function fail(int $code, string $message): never
{
    fwrite(STDERR, 'publish.php: ' . $message . PHP_EOL);
    exit($code);
}

/**
 * @return array{host: string, port: int, user: string, password: string, vhost: string}
 */
function parseAmqpUrl(string $url): array
{
    $parts = parse_url($url);
    if ($parts === false || ($parts['scheme'] ?? '') !== 'amqp' || !isset($parts['host'])) {
        fail(2, sprintf('--amqp-url must look like amqp://user:password@host:port/vhost, got "%s"', $url));
    }
    $path = $parts['path'] ?? '';

    return [
        'host' => $parts['host'],
        'port' => $parts['port'] ?? 5672,
        'user' => rawurldecode($parts['user'] ?? 'guest'),
        'password' => rawurldecode($parts['pass'] ?? 'guest'),
        // amqp://host/ and amqp://host mean the default vhost "/"; amqp://host/%2F does too.
        'vhost' => $path === '' || $path === '/' ? '/' : rawurldecode(substr($path, 1)),
    ];
}

$options = getopt('', ['amqp-url:', 'event:', 'data:', 'store:', 'verbose', 'help']);
if ($options === false) {
    fail(2, USAGE);
}
if (isset($options['help'])) {
    fwrite(STDOUT, USAGE . PHP_EOL);
    exit(0);
}
foreach (['amqp-url', 'event', 'data'] as $required) {
    if (!isset($options[$required]) || !is_string($options[$required]) || $options[$required] === '') {
        fail(2, sprintf('--%s is required. %s', $required, USAGE));
    }
}
$data = json_decode($options['data'], true);
if (!is_array($data)) {
    fail(2, sprintf('--data must be a JSON object of the service method\'s arguments, got %s', $options['data']));
}
$store = $options['store'] ?? '0';
if (!is_string($store) || !ctype_digit($store)) {
    fail(2, '--store must be a non-negative integer');
}
$amqp = parseAmqpUrl($options['amqp-url']);

$connection = null;
try {
    $connection = new AMQPStreamConnection(
        $amqp['host'],
        $amqp['port'],
        $amqp['user'],
        $amqp['password'],
        $amqp['vhost'],
        false,
        'AMQPLAIN',
        null,
        'en_US',
        5.0,
        5.0
    );
    $adapter = new AmqpPublisher($connection->channel());
    (new AsyncEventPublisher($adapter, new Json()))->publish($options['event'], $data, $store);
    fwrite(STDOUT, (string) $adapter->lastBody());
    if (isset($options['verbose'])) {
        fwrite(STDERR, sprintf(
            'published to exchange "%s", routing key "event.trigger", vhost "%s", message_id %s' . PHP_EOL,
            AmqpPublisher::EXCHANGE,
            $amqp['vhost'],
            $adapter->lastMessageId()
        ));
    }
} catch (Throwable $error) {
    fail(1, sprintf('publishing failed: %s: %s', get_class($error), $error->getMessage()));
} finally {
    try {
        $connection?->close();
    } catch (Throwable) {
        // The channel may already be closed by the broker (e.g. a missing exchange); nothing to release.
    }
}
