<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

/**
 * A data object: what a repository returns and the output processor turns into an array.
 */
class EntityStub
{
    /**
     * @param array<string, mixed> $data
     */
    public function __construct(private readonly array $data)
    {
    }

    /**
     * @return array<string, mixed>
     */
    public function toArray(): array
    {
        return $this->data;
    }
}
