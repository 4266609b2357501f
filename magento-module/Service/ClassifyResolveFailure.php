<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Service;

use InvalidArgumentException;
use Magento\Framework\Exception\InputException;
use Magento\Framework\Exception\LocalizedException;
use Magento\Framework\Exception\NoSuchEntityException;
use Magento\Framework\Exception\SerializationException;
use Magento\Framework\Webapi\Exception as WebapiException;
use MageOS\AsyncEvents\Model\ResolveFailure;
use Psr\Log\LoggerInterface;
use Throwable;
use TypeError;

/**
 * Classifies why an event could not be resolved, so the sidecar knows whether to try again:
 * - NoSuchEntityException (an unknown event is one too): 404, final;
 * - InputException, SerializationException, \InvalidArgumentException, \TypeError (bad or missing
 *   arguments): 400, final;
 * - Magento\Framework\Webapi\Exception (what the service input processor throws for an argument of the
 *   wrong type): its HTTP code, 404 as 404 and other 4xx as 400, final; 5xx as below;
 * - anything else (database, lock wait, a remote service, a bug): 500, retryable.
 *
 * A 500 is logged with its stack trace under a report id; the answer carries only that id, the
 * exception class and, for a LocalizedException (written for humans), its message.
 */
class ClassifyResolveFailure
{
    /**
     * @param LoggerInterface $logger
     */
    public function __construct(
        private readonly LoggerInterface $logger
    ) {
    }

    /**
     * @param Throwable $failure
     * @param string $eventName for the log
     * @return ResolveFailure
     */
    public function execute(Throwable $failure, string $eventName): ResolveFailure
    {
        if ($failure instanceof NoSuchEntityException) {
            return new ResolveFailure(ResolveFailure::STATUS_NOT_FOUND, false, $failure->getMessage());
        }
        if ($failure instanceof WebapiException && $failure->getHttpCode() < 500) {
            $status = $failure->getHttpCode() === ResolveFailure::STATUS_NOT_FOUND
                ? ResolveFailure::STATUS_NOT_FOUND
                : ResolveFailure::STATUS_BAD_REQUEST;
            return new ResolveFailure($status, false, $failure->getMessage());
        }
        if ($failure instanceof InputException
            || $failure instanceof SerializationException
            || $failure instanceof InvalidArgumentException
            || $failure instanceof TypeError
        ) {
            return new ResolveFailure(ResolveFailure::STATUS_BAD_REQUEST, false, $this->withoutLocation($failure));
        }

        return $this->temporary($failure, $eventName);
    }

    /**
     * @param Throwable $failure
     * @param string $eventName
     * @return ResolveFailure
     */
    private function temporary(Throwable $failure, string $eventName): ResolveFailure
    {
        $report = 'async-events-' . bin2hex(random_bytes(6));
        $this->logger->critical(
            sprintf('Could not resolve the payload of async event "%s" (report %s)', $eventName, $report),
            ['exception' => $failure, 'report' => $report]
        );
        $cause = $failure instanceof LocalizedException
            ? sprintf('%s: %s', get_class($failure), $failure->getMessage())
            : get_class($failure);

        return new ResolveFailure(
            ResolveFailure::STATUS_TEMPORARY,
            true,
            sprintf(
                'Temporary failure (%s); the stack trace is in Magento\'s exception log, report %s.',
                $cause,
                $report
            )
        );
    }

    /**
     * PHP's TypeError messages end in ", called in /path/File.php on line N": keep file paths out of the answer.
     *
     * @param Throwable $failure
     * @return string
     */
    private function withoutLocation(Throwable $failure): string
    {
        return (string) preg_replace('/, called in .* on line \d+$/', '', $failure->getMessage());
    }
}
