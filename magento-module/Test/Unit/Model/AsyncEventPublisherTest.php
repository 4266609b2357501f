<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Model;

use Magento\Framework\MessageQueue\PublisherInterface;
use Magento\Framework\Serialize\Serializer\Json;
use MageOS\AsyncEvents\Helper\QueueMetadataInterface;
use MageOS\AsyncEvents\Model\AsyncEventPublisher;
use PHPUnit\Framework\TestCase;

class AsyncEventPublisherTest extends TestCase
{
    /**
     * @return array<string, array{0: array<mixed>, 1: string}>
     */
    public static function argumentProvider(): array
    {
        return [
            'string id' => [['id' => '5'], '{"id":"5"}'],
            'slashes, non-ASCII, quotes and markup keep PHP\'s default escaping' => [
                ['url' => 'https://shop.test/p?a=1&b=2', 'name' => 'Crème brûlée ☕', 'html' => '<b>"x"</b>'],
                '{"url":"https:\/\/shop.test\/p?a=1&b=2","name":"Cr\u00e8me br\u00fbl\u00e9e \u2615",'
                    . '"html":"<b>\"x\"<\/b>"}',
            ],
            'numbers, booleans, null and nesting' => [
                ['productId' => 7, 'price' => 1.5, 'active' => true, 'parent' => null, 'skus' => ['a', 'b']],
                '{"productId":7,"price":1.5,"active":true,"parent":null,"skus":["a","b"]}',
            ],
            'no arguments is an empty JSON array, as in PHP' => [[], '[]'],
        ];
    }

    /**
     * @dataProvider argumentProvider
     * @param array<mixed> $data
     */
    public function testPublishesNameFlaglessJsonArgumentsAndStoreIdToEventTrigger(array $data, string $json): void
    {
        $publisher = $this->createMock(PublisherInterface::class);
        $publisher->expects(self::once())
            ->method('publish')
            ->with('event.trigger', ['sales.order.created', $json, '0']);

        (new AsyncEventPublisher($publisher, new Json()))->publish('sales.order.created', $data);
    }

    /**
     * @return array<string, array{0: int|string, 1: string}>
     */
    public static function storeIdProvider(): array
    {
        return [
            'int' => [3, '3'],
            'numeric string' => ['2', '2'],
            'zero' => [0, '0'],
        ];
    }

    /**
     * @dataProvider storeIdProvider
     */
    public function testSendsTheStoreIdAsAStringAsUpstream40Does(int|string $storeId, string $expected): void
    {
        $published = null;
        $publisher = $this->createMock(PublisherInterface::class);
        $publisher->method('publish')->willReturnCallback(
            function (string $topic, array $data) use (&$published): void {
                $published = $data;
            }
        );

        (new AsyncEventPublisher($publisher, new Json()))->publish('customer.created', ['id' => '9'], $storeId);

        self::assertSame(['customer.created', '{"id":"9"}', $expected], $published);
        // What Magento's publisher then writes as the AMQP body (flag-less json_encode of the array):
        self::assertSame('["customer.created","{\"id\":\"9\"}","' . $expected . '"]', json_encode($published));
    }

    public function testQueueNamesAreUpstreams(): void
    {
        self::assertSame('event.trigger', QueueMetadataInterface::EVENT_QUEUE);
        self::assertSame('event.failover', QueueMetadataInterface::FAILOVER_EXCHANGE);
        self::assertSame('event.retry.init', QueueMetadataInterface::RETRY_INIT_ROUTING_KEY);
        self::assertSame('event.delay.1', QueueMetadataInterface::RETRY_INIT_QUEUE);
        self::assertSame('event.retry', QueueMetadataInterface::DEAD_LETTER_ROUTING_KEY);
        self::assertSame('event.retry.kill', QueueMetadataInterface::DEAD_LETTER_KILL_KEY);
    }
}
