<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Etc;

use MageOS\AsyncEvents\Api\AsyncEventPublisherInterface;
use MageOS\AsyncEvents\Api\PayloadResolverInterface;
use PHPUnit\Framework\TestCase;
use SimpleXMLElement;

/**
 * The module is a drop-in for mage-os/mageos-async-events by its structure: names, topics, topology,
 * publisher, ACL, config paths, the resolve route and its wiring (design.md §1 mode B, §3, §5).
 */
class ModuleStructureTest extends TestCase
{
    private const MODULE = __DIR__ . '/../../..';

    private static function xml(string $file): SimpleXMLElement
    {
        $xml = simplexml_load_file(self::MODULE . '/' . $file);
        self::assertInstanceOf(SimpleXMLElement::class, $xml, "$file parses");

        return $xml;
    }

    /**
     * @return array<string, string>
     */
    private static function attributes(SimpleXMLElement $element): array
    {
        $attributes = [];
        foreach ($element->attributes() as $name => $value) {
            $attributes[$name] = (string) $value;
        }

        return $attributes;
    }

    public function testComposerReplacesUpstreamAndAutoloadsTheNamespace(): void
    {
        $composer = json_decode((string) file_get_contents(self::MODULE . '/composer.json'), true, 512, JSON_THROW_ON_ERROR);

        self::assertSame('async-events-sidecar/module-async-events', $composer['name']);
        self::assertSame('magento2-module', $composer['type']);
        self::assertSame('>=8.1', $composer['require']['php']);
        self::assertArrayHasKey('magento/framework', $composer['require']);
        self::assertSame(['mage-os/mageos-async-events' => '*'], $composer['replace']);
        self::assertSame(['MageOS\\AsyncEvents\\' => ''], $composer['autoload']['psr-4']);
        self::assertSame(['registration.php'], $composer['autoload']['files']);
    }

    public function testModuleNameAndSequence(): void
    {
        $module = self::xml('etc/module.xml')->module;

        self::assertSame('MageOS_AsyncEvents', (string) $module['name']);
        self::assertSame(['Magento_Webapi', 'Magento_Store'], array_map('strval', $module->xpath('sequence/module/@name')));
        self::assertStringContainsString("'MageOS_AsyncEvents'", (string) file_get_contents(self::MODULE . '/registration.php'));
    }

    public function testTopicsAreUpstreamsAndHaveNoPhpHandlers(): void
    {
        $topics = [];
        foreach (self::xml('etc/communication.xml')->topic as $topic) {
            $topics[] = self::attributes($topic) + ['children' => (string) count($topic->children())];
        }

        self::assertSame(
            [
                ['name' => 'event.trigger', 'request' => 'string[]', 'is_synchronous' => 'false', 'children' => '0'],
                ['name' => 'event.retry', 'request' => 'string[]', 'is_synchronous' => 'false', 'children' => '0'],
                ['name' => 'event.retry.kill', 'request' => 'string[]', 'is_synchronous' => 'false', 'children' => '0'],
            ],
            $topics
        );
        self::assertFileDoesNotExist(self::MODULE . '/etc/queue_consumer.xml', 'the sidecar consumes');
    }

    public function testEventTriggerIsPublishedToTheMagentoExchangeOverAmqp(): void
    {
        $publisher = self::xml('etc/queue_publisher.xml')->publisher;

        self::assertSame('event.trigger', (string) $publisher['topic']);
        self::assertSame(['name' => 'amqp', 'exchange' => 'magento'], self::attributes($publisher->connection));
    }

    public function testTopologyIsDesignSection3(): void
    {
        $exchanges = [];
        foreach (self::xml('etc/queue_topology.xml')->exchange as $exchange) {
            $bindings = [];
            foreach ($exchange->binding as $binding) {
                self::assertSame('queue', (string) $binding['destinationType']);
                self::assertCount(0, $binding->children(), 'no binding arguments');
                $bindings[(string) $binding['topic']] = (string) $binding['destination'];
            }
            self::assertCount(0, $exchange->arguments, 'no exchange arguments');
            $attributes = self::attributes($exchange);
            $exchanges[$attributes['name']] = [
                array_diff_key($attributes, ['name' => true]),
                $bindings,
            ];
        }
        $exchange = ['type' => 'topic', 'connection' => 'amqp', 'durable' => 'true', 'autoDelete' => 'false', 'internal' => 'false'];

        self::assertSame(
            [
                'magento' => [$exchange, ['event.trigger' => 'event.trigger']],
                'event.failover' => [
                    $exchange,
                    ['event.retry' => 'event.failover.retry', 'event.retry.kill' => 'event.failover.deadletter'],
                ],
            ],
            $exchanges
        );
    }

    public function testResolveRouteIsGuardedByTheModulesAclResource(): void
    {
        $route = self::xml('etc/webapi.xml')->route;

        self::assertSame(['url' => '/V1/async_events/resolve', 'method' => 'POST'], self::attributes($route));
        self::assertSame(
            ['class' => PayloadResolverInterface::class, 'method' => 'resolve'],
            self::attributes($route->service)
        );
        self::assertSame(['MageOS_AsyncEvents::manage'], array_map('strval', $route->xpath('resources/resource/@ref')));
        self::assertSame(
            ['MageOS_AsyncEvents::manage'],
            array_map('strval', self::xml('etc/acl.xml')->xpath('//resource[@id="Magento_Backend::admin"]/resource/@id'))
        );
    }

    public function testTheResolveMethodIsDeclaredForMagentosWebApi(): void
    {
        $method = new \ReflectionMethod(PayloadResolverInterface::class, 'resolve');
        $doc = (string) $method->getDocComment();

        self::assertSame('mixed', (string) $method->getReturnType());
        self::assertSame('mixed', (string) $method->getParameters()[0]->getType());
        self::assertSame('requests', $method->getParameters()[0]->getName());
        self::assertMatchesRegularExpression('/@param mixed \$requests\b/', $doc);
        self::assertMatchesRegularExpression('/@return mixed\b/', $doc);
        self::assertSame(200, PayloadResolverInterface::MAX_REQUESTS);
    }

    public function testDiPreferencesPointAtImplementations(): void
    {
        $preferences = [];
        foreach (self::xml('etc/di.xml')->preference as $preference) {
            $preferences[(string) $preference['for']] = (string) $preference['type'];
        }

        self::assertSame(
            [
                AsyncEventPublisherInterface::class => 'MageOS\AsyncEvents\Model\AsyncEventPublisher',
                PayloadResolverInterface::class => 'MageOS\AsyncEvents\Service\ResolvePayloads',
            ],
            $preferences
        );
        foreach ($preferences as $interface => $class) {
            self::assertContains($interface, class_implements($class), "$class implements $interface");
        }
    }

    public function testConfigDefaultsAndTheirAdminFields(): void
    {
        $defaults = [];
        foreach (self::xml('etc/config.xml')->default->system->async_events->children() as $name => $value) {
            $defaults[$name] = (string) $value;
        }
        $fields = array_map('strval', self::xml('etc/adminhtml/system.xml')->xpath('//section[@id="system"]/group[@id="async_events"]/field/@id'));

        self::assertSame(
            ['max_deaths' => '5', 'subscriber_log_cleanup_cron' => '0', 'subscriber_log_cron_delete_period' => '30', 'indexing_enabled' => '0'],
            $defaults
        );
        self::assertEqualsCanonicalizing(array_keys($defaults), $fields);
    }

    public function testEveryPhpFileOfTheModuleDeclaresStrictTypes(): void
    {
        $files = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::MODULE, \FilesystemIterator::SKIP_DOTS));
        $checked = 0;
        foreach ($files as $file) {
            if ($file->getExtension() === 'php') {
                self::assertStringContainsString('declare(strict_types=1);', (string) file_get_contents($file->getPathname()), $file->getPathname());
                $checked++;
            }
        }
        self::assertGreaterThan(20, $checked);
    }
}
