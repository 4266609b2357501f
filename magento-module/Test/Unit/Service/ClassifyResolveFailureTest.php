<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Service;

use Magento\Framework\Exception\InputException;
use Magento\Framework\Exception\LocalizedException;
use Magento\Framework\Exception\NoSuchEntityException;
use Magento\Framework\Exception\SerializationException;
use Magento\Framework\Phrase;
use Magento\Framework\Webapi\Exception as WebapiException;
use MageOS\AsyncEvents\Exception\MalformedRequestException;
use MageOS\AsyncEvents\Exception\UnknownEventException;
use MageOS\AsyncEvents\Service\ClassifyResolveFailure;
use PHPUnit\Framework\TestCase;
use Psr\Log\LoggerInterface;

class ClassifyResolveFailureTest extends TestCase
{
    /**
     * @return array<string, array{0: \Throwable, 1: int, 2: bool}>
     */
    public static function failureProvider(): array
    {
        return [
            'unknown event' => [new UnknownEventException(new Phrase('x')), 404, false],
            'no such entity' => [new NoSuchEntityException(new Phrase('x')), 404, false],
            'malformed element' => [new MalformedRequestException(new Phrase('x')), 400, false],
            'input' => [new InputException(new Phrase('x')), 400, false],
            'serialization' => [new SerializationException(new Phrase('x')), 400, false],
            'invalid argument' => [new \InvalidArgumentException('x'), 400, false],
            'type error' => [new \TypeError('x'), 400, false],
            'argument count' => [new \ArgumentCountError('x'), 400, false],
            'web API 400' => [new WebapiException(new Phrase('x')), 400, false],
            'web API 404' => [new WebapiException(new Phrase('x'), 0, WebapiException::HTTP_NOT_FOUND), 404, false],
            'web API 401 is still the caller\'s problem' => [new WebapiException(new Phrase('x'), 0, 401), 400, false],
            'web API 500' => [new WebapiException(new Phrase('x'), 0, WebapiException::HTTP_INTERNAL_ERROR), 500, true],
            'localized' => [new LocalizedException(new Phrase('x')), 500, true],
            'database' => [new \PDOException('x'), 500, true],
            'runtime' => [new \RuntimeException('x'), 500, true],
            'error' => [new \Error('x'), 500, true],
        ];
    }

    /**
     * @dataProvider failureProvider
     */
    public function testClassifies(\Throwable $failure, int $status, bool $retryable): void
    {
        $logger = $this->createMock(LoggerInterface::class);
        $logger->expects($retryable ? self::once() : self::never())->method('critical');

        $classified = (new ClassifyResolveFailure($logger))->execute($failure, 'sales.order.created');

        self::assertSame([$status, $retryable], [$classified->status, $classified->retryable]);
    }

    public function testFinalFailuresCarryTheExceptionMessage(): void
    {
        $classified = (new ClassifyResolveFailure($this->createMock(LoggerInterface::class)))
            ->execute(new NoSuchEntityException(new Phrase('No such entity with %1 = %2', ['id', 5])), 'e');

        self::assertSame('No such entity with id = 5', $classified->message);
    }

    public function testTypeErrorsLoseTheirFileAndLine(): void
    {
        $classified = (new ClassifyResolveFailure($this->createMock(LoggerInterface::class)))->execute(
            new \TypeError(
                'A::b(): Argument #1 ($id) must be of type int, string given, called in /var/www/x y/A.php on line 12'
            ),
            'e'
        );

        self::assertSame('A::b(): Argument #1 ($id) must be of type int, string given', $classified->message);
    }

    public function testTheAnswerElementShape(): void
    {
        $classified = (new ClassifyResolveFailure($this->createMock(LoggerInterface::class)))
            ->execute(new InputException(new Phrase('bad')), 'e');

        self::assertSame(
            ['event_name' => 'Some.Event', 'ok' => false, 'retryable' => false, 'status' => 400, 'message' => 'bad'],
            $classified->toAnswer('Some.Event')
        );
    }
}
