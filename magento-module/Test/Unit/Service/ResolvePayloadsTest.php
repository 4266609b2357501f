<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Service;

use Magento\Framework\Config\ValidationStateInterface;
use Magento\Framework\Exception\InputException;
use Magento\Framework\Exception\LocalizedException;
use Magento\Framework\Exception\NoSuchEntityException;
use Magento\Framework\Module\Dir\Reader as ModuleDirReader;
use Magento\Framework\Phrase;
use MageOS\AsyncEvents\Api\PayloadResolverInterface;
use MageOS\AsyncEvents\Model\Config\Converter;
use MageOS\AsyncEvents\Model\Config\Data;
use MageOS\AsyncEvents\Model\Config\Reader;
use MageOS\AsyncEvents\Model\Config\SchemaLocator;
use MageOS\AsyncEvents\Service\ClassifyResolveFailure;
use MageOS\AsyncEvents\Service\ResolvePayload;
use MageOS\AsyncEvents\Service\ResolvePayloads;
use MageOS\AsyncEvents\Test\Unit\Stub\ArrayOutputProcessor;
use MageOS\AsyncEvents\Test\Unit\Stub\FailingServiceStub;
use MageOS\AsyncEvents\Test\Unit\Stub\FixtureFileResolver;
use MageOS\AsyncEvents\Test\Unit\Stub\MemoryConfigCache;
use MageOS\AsyncEvents\Test\Unit\Stub\NamedArgumentsInputProcessor;
use MageOS\AsyncEvents\Test\Unit\Stub\ObjectManagerStub;
use PHPUnit\Framework\MockObject\MockObject;
use PHPUnit\Framework\TestCase;
use Psr\Log\LoggerInterface;

/**
 * The resolve route from the request array to the answer array, with the real config reader, converter,
 * resolver and classifier over the fixture async_events.xml; Magento's processors and object manager
 * are stand-ins (Test/Unit/Stub).
 */
class ResolvePayloadsTest extends TestCase
{
    private const FIXTURE = __DIR__ . '/../_files/async_events/valid/async_events.xml';

    private NamedArgumentsInputProcessor $inputProcessor;
    private ObjectManagerStub $objectManager;
    /** @var LoggerInterface&MockObject */
    private LoggerInterface $logger;

    private function resolver(?\Throwable $failure = null): PayloadResolverInterface
    {
        $config = new Data(
            new Reader(
                new FixtureFileResolver([self::FIXTURE]),
                new Converter(),
                new SchemaLocator($this->createMock(ModuleDirReader::class)),
                $this->createMock(ValidationStateInterface::class)
            ),
            new MemoryConfigCache()
        );
        $this->inputProcessor = new NamedArgumentsInputProcessor();
        $this->objectManager = new ObjectManagerStub(
            $failure === null ? [] : [FailingServiceStub::class => new FailingServiceStub($failure)]
        );
        $this->logger = $this->createMock(LoggerInterface::class);

        return new ResolvePayloads(
            new ResolvePayload($config, $this->inputProcessor, $this->objectManager, new ArrayOutputProcessor()),
            new ClassifyResolveFailure($this->logger)
        );
    }

    /**
     * @param array<string, mixed> $arguments
     * @return array<string, mixed>
     */
    private static function request(string $eventName, array $arguments, int|string|null $storeId = 0): array
    {
        return ['event_name' => $eventName, 'arguments' => $arguments, 'store_id' => $storeId];
    }

    public function testResolvesAnEventThroughInputProcessorServiceAndOutputProcessor(): void
    {
        $answer = $this->resolver()->resolve([self::request('catalog.product.created', ['productId' => '1'])]);

        self::assertSame(
            [[
                'event_name' => 'catalog.product.created',
                'ok' => true,
                'payload' => [
                    'id' => 1,
                    'sku' => 'sku-1',
                    'name' => 'Crème brûlée',
                    'url' => 'https://shop.test/p/1',
                    'edit_mode' => false,
                ],
            ]],
            $answer
        );
        self::assertSame(
            [['MageOS\AsyncEvents\Test\Unit\Stub\ProductRepositoryStub', 'getById', ['productId' => '1']]],
            $this->inputProcessor->calls
        );
        self::assertSame(['MageOS\AsyncEvents\Test\Unit\Stub\ProductRepositoryStub'], $this->objectManager->created);
        // What Magento's REST renderer writes (flag-less json_encode), the bytes the sidecar splices:
        self::assertSame(
            '[{"event_name":"catalog.product.created","ok":true,"payload":{"id":1,"sku":"sku-1",'
                . '"name":"Cr\u00e8me br\u00fbl\u00e9e","url":"https:\/\/shop.test\/p\/1","edit_mode":false}}]',
            json_encode($answer)
        );
    }

    public function testMatchesTheEventNameLowerCasedAndEchoesItAsGiven(): void
    {
        $answer = $this->resolver()->resolve([self::request('SALES.ORDER.CREATED', ['id' => '5'], '1')]);

        self::assertSame(
            [[
                'event_name' => 'SALES.ORDER.CREATED',
                'ok' => true,
                'payload' => ['entity_id' => 5, 'increment_id' => '000000005'],
            ]],
            $answer
        );
    }

    public function testBindsSnakeCaseArgumentsAndUsesDefaults(): void
    {
        $answer = $this->resolver()->resolve([self::request('catalog.product.created', ['product_id' => 3])]);

        self::assertTrue($answer[0]['ok']);
        self::assertSame(3, $answer[0]['payload']['id']);
    }

    public function testAnUnknownEventIsAFinal404(): void
    {
        $answer = $this->resolver()->resolve([self::request('sales.order.deleted', ['id' => '5'])]);

        self::assertSame(
            [[
                'event_name' => 'sales.order.deleted',
                'ok' => false,
                'retryable' => false,
                'status' => 404,
                'message' => 'The async event "sales.order.deleted" is not declared in any async_events.xml.',
            ]],
            $answer
        );
        self::assertSame([], $this->objectManager->created);
    }

    public function testAMissingEntityIsAFinal404(): void
    {
        $answer = $this->resolver()->resolve([self::request('catalog.product.created', ['productId' => '404'])]);

        self::assertSame(
            [[
                'event_name' => 'catalog.product.created',
                'ok' => false,
                'retryable' => false,
                'status' => 404,
                'message' => 'The product that was requested doesn\'t exist. Verify the product and try again.',
            ]],
            $answer
        );
    }

    /**
     * @return array<string, array{0: string, 1: array<string, mixed>, 2: string}>
     */
    public static function badArgumentsProvider(): array
    {
        return [
            'a required argument is missing (InputException)' => [
                'catalog.product.created', ['sku' => 'x'], '"productId" is required. Enter and try again.',
            ],
            'a value of the wrong type (the input processor\'s Webapi\Exception)' => [
                'catalog.product.created', ['productId' => 'abc'],
                'The "abc" value\'s type is invalid. The "int" type was expected. Verify and try again.',
            ],
            'a value PHP refuses at the call (TypeError), without the file path' => [
                'acme.flags-updated_v2', ['flags' => 'yes'],
                'MageOS\AsyncEvents\Test\Unit\Stub\OrderRepositoryStub::getByFlags(): Argument #1 ($flags) '
                    . 'must be of type array, string given',
            ],
        ];
    }

    /**
     * @dataProvider badArgumentsProvider
     * @param array<string, mixed> $arguments
     */
    public function testBadArgumentsAreAFinal400(string $eventName, array $arguments, string $message): void
    {
        $answer = $this->resolver()->resolve([self::request($eventName, $arguments)]);

        self::assertSame(
            [['event_name' => $eventName, 'ok' => false, 'retryable' => false, 'status' => 400, 'message' => $message]],
            $answer
        );
    }

    public function testAServiceRejectingItsInputIsAFinal400(): void
    {
        $answer = $this->resolver(new \InvalidArgumentException('Unknown website code "x".'))
            ->resolve([self::request('acme.failing', [])]);

        self::assertSame(
            [[
                'event_name' => 'acme.failing',
                'ok' => false,
                'retryable' => false,
                'status' => 400,
                'message' => 'Unknown website code "x".',
            ]],
            $answer
        );
    }

    public function testATemporaryFailureIsARetryable500WithoutTheStackTrace(): void
    {
        $resolver = $this->resolver(new \PDOException('SQLSTATE[40001]: Serialization failure: 1213 Deadlock found'));
        $this->logger->expects(self::once())
            ->method('critical')
            ->with(
                self::stringStartsWith('Could not resolve the payload of async event "acme.failing" (report '),
                self::callback(static fn (array $context): bool => $context['exception'] instanceof \PDOException)
            );

        $answer = $resolver->resolve([self::request('acme.failing', [])]);

        self::assertCount(1, $answer);
        self::assertSame(
            ['event_name' => 'acme.failing', 'ok' => false, 'retryable' => true, 'status' => 500],
            array_diff_key($answer[0], ['message' => true])
        );
        self::assertMatchesRegularExpression(
            '/^Temporary failure \(PDOException\); the stack trace is in Magento\'s exception log, '
                . 'report async-events-[0-9a-f]{12}\.$/',
            $answer[0]['message']
        );
        self::assertStringNotContainsString('#0', $answer[0]['message']);
        self::assertStringNotContainsString('.php', $answer[0]['message']);
    }

    public function testALocalizedTemporaryFailureKeepsItsMessage(): void
    {
        $answer = $this->resolver(new LocalizedException(new Phrase('The lock "%1" could not be acquired.', ['cat'])))
            ->resolve([self::request('acme.failing', [])]);

        self::assertTrue($answer[0]['retryable']);
        self::assertSame(500, $answer[0]['status']);
        self::assertStringStartsWith(
            'Temporary failure (Magento\Framework\Exception\LocalizedException: The lock "cat" could not be acquired.)',
            $answer[0]['message']
        );
    }

    /**
     * @return array<string, array{0: mixed, 1: string|null, 2: string}>
     */
    public static function malformedRequestProvider(): array
    {
        $notAnObject = 'Each request must be an object with "event_name" and "arguments".';
        $noName = '"event_name" is missing or is not a non-empty string.';
        $noArguments = '"arguments" is missing or is not an object.';
        $badStore = '"store_id" must be a non-negative integer when given.';
        $event = 'catalog.product.created';

        return [
            'not an object' => [$event, null, $notAnObject],
            'a list' => [[$event, ['productId' => 1]], null, $notAnObject],
            'no event_name' => [['arguments' => ['productId' => 1]], null, $noName],
            'event_name not a string' => [['event_name' => 7, 'arguments' => []], null, $noName],
            'empty event_name' => [['event_name' => '', 'arguments' => []], '', $noName],
            'no arguments' => [['event_name' => $event], $event, $noArguments],
            'arguments a string' => [['event_name' => $event, 'arguments' => '{"productId":1}'], $event, $noArguments],
            'arguments a list' => [['event_name' => $event, 'arguments' => [1]], $event, $noArguments],
            'negative store_id' => [['event_name' => $event, 'arguments' => [], 'store_id' => -1], $event, $badStore],
            'store_id not a number' => [
                ['event_name' => $event, 'arguments' => [], 'store_id' => 'default'],
                $event,
                $badStore,
            ],
        ];
    }

    /**
     * @dataProvider malformedRequestProvider
     */
    public function testAMalformedElementIsAFinal400(mixed $request, ?string $eventName, string $message): void
    {
        $answer = $this->resolver()->resolve([$request]);

        self::assertSame(
            [['event_name' => $eventName, 'ok' => false, 'retryable' => false, 'status' => 400, 'message' => $message]],
            $answer
        );
        self::assertSame([], $this->inputProcessor->calls);
    }

    public function testStoreIdMayBeAbsentNullOrANumericString(): void
    {
        $resolver = $this->resolver();
        $answer = $resolver->resolve([
            ['event_name' => 'sales.order.created', 'arguments' => ['id' => 1]],
            self::request('sales.order.created', ['id' => 2], null),
            self::request('sales.order.created', ['id' => 3], '12'),
            // {} and [] decode alike: empty arguments pass the shape check and reach the input processor.
            self::request('catalog.product.created', [], 0),
        ]);

        self::assertSame([true, true, true, false], array_column($answer, 'ok'));
        self::assertSame('"productId" is required. Enter and try again.', $answer[3]['message']);
    }

    public function testAnswersOneElementPerRequestInRequestOrder(): void
    {
        $answer = $this->resolver()->resolve([
            self::request('catalog.product.created', ['productId' => '2']),
            self::request('no.such.event', []),
            'garbage',
            self::request('catalog.product.created', ['productId' => '404']),
            self::request('sales.order.created', ['id' => '8']),
            self::request('catalog.product.created', ['productId' => '2']),
        ]);

        self::assertSame(
            [
                ['catalog.product.created', true, null],
                ['no.such.event', false, 404],
                [null, false, 400],
                ['catalog.product.created', false, 404],
                ['sales.order.created', true, null],
                ['catalog.product.created', true, null],
            ],
            array_map(
                static fn (array $element): array => [$element['event_name'], $element['ok'], $element['status'] ?? null],
                $answer
            )
        );
        self::assertSame('sku-2', $answer[0]['payload']['sku']);
        self::assertSame('000000008', $answer[4]['payload']['increment_id']);
        self::assertSame(array_keys($answer), range(0, 5), 'a JSON array, not an object');
    }

    public function testAnEmptyBatchAnswersAnEmptyList(): void
    {
        self::assertSame([], $this->resolver()->resolve([]));
    }

    public function testAcceptsTwoHundredRequests(): void
    {
        $request = self::request('sales.order.created', ['id' => '1']);
        $requests = array_fill(0, PayloadResolverInterface::MAX_REQUESTS, $request);

        self::assertCount(200, $this->resolver()->resolve($requests));
    }

    public function testRefusesMoreThanTwoHundredRequestsAsAWhole(): void
    {
        $requests = array_fill(0, 201, self::request('sales.order.created', ['id' => '1']));
        $resolver = $this->resolver();

        try {
            $resolver->resolve($requests);
            self::fail('expected an InputException');
        } catch (InputException $exception) {
            self::assertSame(
                'At most 200 requests can be resolved in one call; this one has 201. Split the batch.',
                $exception->getMessage()
            );
        }
        self::assertSame([], $this->inputProcessor->calls, 'nothing was resolved');
    }

    /**
     * @return array<string, array{0: mixed}>
     */
    public static function notAListProvider(): array
    {
        return [
            'an object' => [['event_name' => 'sales.order.created', 'arguments' => []]],
            'a string' => ['sales.order.created'],
            'null' => [null],
        ];
    }

    /**
     * @dataProvider notAListProvider
     */
    public function testRefusesRequestsThatAreNotAList(mixed $requests): void
    {
        $this->expectException(InputException::class);
        $this->expectExceptionMessage('"requests" must be a list of {"event_name", "arguments", "store_id"} objects.');

        $this->resolver()->resolve($requests);
    }

    public function testNoSuchEntityExceptionsAreNotLogged(): void
    {
        $resolver = $this->resolver(new NoSuchEntityException(new Phrase('gone')));
        $this->logger->expects(self::never())->method('critical');

        self::assertSame(404, $resolver->resolve([self::request('acme.failing', [])])[0]['status']);
    }
}
