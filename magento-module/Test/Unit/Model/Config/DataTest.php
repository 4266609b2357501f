<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Model\Config;

use Magento\Framework\Config\ValidationStateInterface;
use Magento\Framework\Module\Dir\Reader as ModuleDirReader;
use MageOS\AsyncEvents\Model\Config\Converter;
use MageOS\AsyncEvents\Model\Config\Data;
use MageOS\AsyncEvents\Model\Config\Reader;
use MageOS\AsyncEvents\Model\Config\SchemaLocator;
use MageOS\AsyncEvents\Test\Unit\Stub\FixtureFileResolver;
use MageOS\AsyncEvents\Test\Unit\Stub\MemoryConfigCache;
use PHPUnit\Framework\TestCase;

class DataTest extends TestCase
{
    private const FIXTURE = __DIR__ . '/../../_files/async_events/valid/async_events.xml';

    private function reader(): Reader
    {
        $moduleDirReader = $this->createMock(ModuleDirReader::class);
        $moduleDirReader->method('getModuleDir')->with('etc', 'MageOS_AsyncEvents')->willReturn('/module/etc');

        return new Reader(
            new FixtureFileResolver([self::FIXTURE]),
            new Converter(),
            new SchemaLocator($moduleDirReader),
            $this->createMock(ValidationStateInterface::class)
        );
    }

    public function testReaderReadsAsyncEventsXmlMergedByName(): void
    {
        $description = $this->reader()->describeForTest();

        self::assertSame('async_events.xml', $description['fileName']);
        self::assertSame(['/config/async_event' => 'name'], $description['idAttributes']);
        self::assertInstanceOf(Converter::class, $description['converter']);
        self::assertSame('/module/etc/async_events.xsd', $description['schemaLocator']->getSchema());
        self::assertSame('/module/etc/async_events.xsd', $description['schemaLocator']->getPerFileSchema());
    }

    public function testTheSchemaLocatorPointsAtAFileThatExists(): void
    {
        $moduleDirReader = $this->createMock(ModuleDirReader::class);
        $moduleDirReader->method('getModuleDir')->willReturn(dirname(__DIR__, 4) . '/etc');

        self::assertFileExists((new SchemaLocator($moduleDirReader))->getSchema());
    }

    public function testGetEventLooksNamesUpLowerCased(): void
    {
        $data = new Data($this->reader(), new MemoryConfigCache());

        $expected = [
            'class' => '\MageOS\AsyncEvents\Test\Unit\Stub\OrderRepositoryStub',
            'method' => 'get',
            'resources' => ['Magento_Sales::actions_view', 'Magento_Sales::sales'],
        ];
        self::assertSame($expected, $data->getEvent('sales.order.created'));
        self::assertSame($expected, $data->getEvent('SALES.Order.created'));
    }

    public function testGetEventIsNullForAnUnknownEventOrAPathIntoAnEvent(): void
    {
        $data = new Data($this->reader(), new MemoryConfigCache());

        self::assertNull($data->getEvent('sales.order.deleted'));
        self::assertNull($data->getEvent('sales.order.created/class'));
        self::assertNull($data->getEvent(''));
    }

    public function testTheMergedConfigIsCachedUnderTheModulesCacheId(): void
    {
        $cache = new MemoryConfigCache();
        new Data($this->reader(), $cache);

        self::assertSame([Data::CACHE_ID], array_keys($cache->entries));
        self::assertSame('mageos_async_events_config', Data::CACHE_ID);
    }
}
