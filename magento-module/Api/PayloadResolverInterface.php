<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Api;

/**
 * Resolves async event payloads in PHP, for the sidecar (design.md §5). Route: POST /V1/async_events/resolve,
 * ACL resource MageOS_AsyncEvents::manage.
 *
 * @api
 */
interface PayloadResolverInterface
{
    /** Most requests accepted in one call. */
    public const MAX_REQUESTS = 200;

    /**
     * Resolve a batch of async event payloads, each exactly as upstream's trigger consumer did.
     *
     * Request body: {"requests": [{"event_name": "catalog.product.created", "arguments": {"productId": "1"},
     * "store_id": 0}, ...]}, at most 200 requests. The answer is a JSON array with one element per request,
     * in request order: {"event_name": "...", "ok": true, "payload": <service output>} or
     * {"event_name": "...", "ok": false, "retryable": bool, "status": 400|404|500, "message": "..."}.
     *
     * Parameter and result are declared `mixed` (anyType for Magento's web API) because payloads are
     * free-form service outputs: whatever each event's service method returns, after Magento's service
     * output processor, which no single data interface could describe.
     *
     * @param mixed $requests list of {event_name, arguments, store_id} objects
     * @return mixed list of result objects, one per request, in order
     * @throws \Magento\Framework\Exception\InputException when requests is not a list or holds more than 200
     */
    public function resolve(mixed $requests): mixed;
}
