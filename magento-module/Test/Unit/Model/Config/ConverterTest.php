<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Model\Config;

use DOMDocument;
use InvalidArgumentException;
use MageOS\AsyncEvents\Model\Config\Converter;
use PHPUnit\Framework\TestCase;

class ConverterTest extends TestCase
{
    private const FILES = __DIR__ . '/../../_files/async_events/';

    private function convert(string $file): array
    {
        $dom = new DOMDocument();
        self::assertTrue($dom->load(self::FILES . $file), "fixture $file loads");

        return (new Converter())->convert($dom);
    }

    public function testConvertsEventsKeyedByLowerCasedName(): void
    {
        self::assertSame(
            [
                'catalog.product.created' => [
                    'class' => 'MageOS\AsyncEvents\Test\Unit\Stub\ProductRepositoryStub',
                    'method' => 'getById',
                    'resources' => [],
                ],
                'sales.order.created' => [
                    'class' => '\MageOS\AsyncEvents\Test\Unit\Stub\OrderRepositoryStub',
                    'method' => 'get',
                    'resources' => ['Magento_Sales::actions_view', 'Magento_Sales::sales'],
                ],
                'acme.flags-updated_v2' => [
                    'class' => 'MageOS\AsyncEvents\Test\Unit\Stub\OrderRepositoryStub',
                    'method' => 'getByFlags',
                    'resources' => [],
                ],
                'acme.failing' => [
                    'class' => 'MageOS\AsyncEvents\Test\Unit\Stub\FailingServiceStub',
                    'method' => 'execute',
                    'resources' => [],
                ],
            ],
            $this->convert('valid/async_events.xml')
        );
    }

    public function testAFileWithoutEventsConvertsToNothing(): void
    {
        self::assertSame([], $this->convert('valid/empty.xml'));
    }

    public function testNamesDifferingOnlyInCaseAreOneEventAndTheLaterWins(): void
    {
        self::assertSame(
            [
                'sales.order.created' => [
                    'class' => 'Vendor\Second\Api\OrderInterface',
                    'method' => 'get',
                    'resources' => ['Magento_Sales::sales'],
                ],
            ],
            $this->convert('valid/lowercase_collision.xml')
        );
    }

    /**
     * @return array<string, array{0: string, 1: string}>
     */
    public static function brokenFileProvider(): array
    {
        $oneService = 'Async event "%s" must declare exactly one service; it declares %d.';
        $noAttribute = 'The service of async event "cms.block.deleted" has no %s attribute.';

        return [
            'no service' => ['invalid/missing_service.xml', sprintf($oneService, 'cms.page.deleted', 0)],
            'two services' => ['invalid/two_services.xml', sprintf($oneService, 'sales.order.created', 2)],
            'no method' => ['invalid/missing_method.xml', sprintf($noAttribute, 'method')],
            'no class' => ['invalid/missing_class.xml', sprintf($noAttribute, 'class')],
            'no name' => ['invalid/missing_name.xml', 'An async_event has no name attribute.'],
        ];
    }

    /**
     * Production mode skips the schema: what the converter needs is checked again, naming the event.
     *
     * @dataProvider brokenFileProvider
     */
    public function testRejectsWhatItCannotConvert(string $file, string $message): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage($message);

        $this->convert($file);
    }

    public function testAnEmptyDocumentConvertsToNothing(): void
    {
        self::assertSame([], (new Converter())->convert(new DOMDocument()));
    }
}
