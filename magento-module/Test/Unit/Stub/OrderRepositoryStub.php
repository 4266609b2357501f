<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

/**
 * An order repository for the resolve tests.
 */
class OrderRepositoryStub
{
    /**
     * @param int $id
     * @return EntityStub
     */
    public function get(int $id): EntityStub
    {
        return new EntityStub(['entity_id' => $id, 'increment_id' => sprintf('%09d', $id)]);
    }

    /**
     * Its docblock and native type disagree the way some real services' do, so the input processor
     * passes a string where PHP wants an array: a TypeError at the call.
     *
     * @param string $flags
     * @return array<string, mixed>
     */
    public function getByFlags(array $flags): array
    {
        return ['flags' => $flags];
    }
}
