<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Model;

/**
 * Why one event of a resolve batch has no payload: an HTTP-like status, whether trying again later can
 * help, and a message for the sidecar's delivery log (never a stack trace).
 */
class ResolveFailure
{
    public const STATUS_BAD_REQUEST = 400;
    public const STATUS_NOT_FOUND = 404;
    public const STATUS_TEMPORARY = 500;

    /**
     * @param int $status 400, 404 or 500
     * @param bool $retryable true only for 500: the database, a lock or another dependency failed
     * @param string $message
     */
    public function __construct(
        public readonly int $status,
        public readonly bool $retryable,
        public readonly string $message
    ) {
    }

    /**
     * The answer element of the resolve route.
     *
     * @param string|null $eventName as the request gave it; null when it gave none
     * @return array{event_name: string|null, ok: false, retryable: bool, status: int, message: string}
     */
    public function toAnswer(?string $eventName): array
    {
        return [
            'event_name' => $eventName,
            'ok' => false,
            'retryable' => $this->retryable,
            'status' => $this->status,
            'message' => $this->message,
        ];
    }
}
