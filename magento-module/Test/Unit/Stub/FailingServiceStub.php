<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

/**
 * A service that throws what the test gives it.
 */
class FailingServiceStub
{
    /**
     * @param \Throwable $failure
     */
    public function __construct(private readonly \Throwable $failure)
    {
    }

    /**
     * @return never
     * @throws \Throwable
     */
    public function execute(): never
    {
        throw $this->failure;
    }
}
