<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Service;

use Magento\Framework\Exception\InputException;
use Magento\Framework\Phrase;
use MageOS\AsyncEvents\Api\PayloadResolverInterface;
use MageOS\AsyncEvents\Exception\MalformedRequestException;
use Throwable;

/**
 * POST /V1/async_events/resolve: resolves each request of the batch independently and answers one
 * element per request, in request order. One failing event never fails the batch; only a batch that
 * is not a list, or is longer than MAX_REQUESTS, is refused as a whole (HTTP 400).
 *
 * The store_id of a request is accepted (and checked) but not emulated: upstream's consumer resolved
 * every event in its default context, whatever the store, and the payloads must stay the same.
 */
class ResolvePayloads implements PayloadResolverInterface
{
    /**
     * @param ResolvePayload $resolvePayload
     * @param ClassifyResolveFailure $classifyFailure
     */
    public function __construct(
        private readonly ResolvePayload $resolvePayload,
        private readonly ClassifyResolveFailure $classifyFailure
    ) {
    }

    /**
     * @inheritdoc
     */
    public function resolve(mixed $requests): mixed
    {
        if (!is_array($requests) || !array_is_list($requests)) {
            throw new InputException(new Phrase(
                '"requests" must be a list of {"event_name", "arguments", "store_id"} objects.'
            ));
        }
        if (count($requests) > self::MAX_REQUESTS) {
            throw new InputException(new Phrase(
                'At most %1 requests can be resolved in one call; this one has %2. Split the batch.',
                [self::MAX_REQUESTS, count($requests)]
            ));
        }

        return array_map(fn (mixed $request): array => $this->resolveOne($request), $requests);
    }

    /**
     * @param mixed $request one element of the batch, as decoded from JSON
     * @return array<string, mixed> the answer element
     */
    private function resolveOne(mixed $request): array
    {
        $eventName = is_array($request) && is_string($request['event_name'] ?? null) ? $request['event_name'] : null;
        try {
            $arguments = $this->validate($request);
            $payload = $this->resolvePayload->execute((string) $eventName, $arguments);
        } catch (Throwable $failure) {
            return $this->classifyFailure->execute($failure, (string) $eventName)->toAnswer($eventName);
        }

        return ['event_name' => $eventName, 'ok' => true, 'payload' => $payload];
    }

    /**
     * Checks the shape of one request and returns its arguments.
     *
     * @param mixed $request
     * @return array<string, mixed>
     * @throws MalformedRequestException
     */
    private function validate(mixed $request): array
    {
        // JSON objects arrive as PHP arrays; a non-empty list was a JSON array ({} and [] look alike).
        $isObject = static fn (mixed $value): bool => is_array($value) && ($value === [] || !array_is_list($value));
        if (!$isObject($request)) {
            throw $this->malformed('Each request must be an object with "event_name" and "arguments".');
        }
        if (!is_string($request['event_name'] ?? null) || $request['event_name'] === '') {
            throw $this->malformed('"event_name" is missing or is not a non-empty string.');
        }
        if (!array_key_exists('arguments', $request) || !$isObject($request['arguments'])) {
            throw $this->malformed('"arguments" is missing or is not an object.');
        }
        $storeId = $request['store_id'] ?? null;
        if ($storeId !== null
            && !(is_int($storeId) && $storeId >= 0)
            && !(is_string($storeId) && ctype_digit($storeId))
        ) {
            throw $this->malformed('"store_id" must be a non-negative integer when given.');
        }

        return $request['arguments'];
    }

    /**
     * @param string $message
     * @return MalformedRequestException
     */
    private function malformed(string $message): MalformedRequestException
    {
        return new MalformedRequestException(new Phrase($message));
    }
}
