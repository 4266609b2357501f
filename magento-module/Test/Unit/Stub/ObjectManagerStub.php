<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

use Magento\Framework\ObjectManagerInterface;

/**
 * Creates services with `new`, or hands out the instance a test registered for a class.
 */
class ObjectManagerStub implements ObjectManagerInterface
{
    /** @var string[] classes created, in order */
    public array $created = [];

    /**
     * @param array<string, object> $instances class name => instance to return
     */
    public function __construct(private readonly array $instances = [])
    {
    }

    /**
     * @inheritdoc
     */
    public function create($type, array $arguments = [])
    {
        $type = ltrim($type, '\\');
        $this->created[] = $type;

        return $this->instances[$type] ?? new $type(...$arguments);
    }

    /**
     * @inheritdoc
     */
    public function get($type)
    {
        return $this->create($type);
    }

    /**
     * @inheritdoc
     */
    public function configure(array $configuration)
    {
    }
}
