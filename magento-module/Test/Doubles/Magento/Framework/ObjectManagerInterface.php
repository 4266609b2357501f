<?php

declare(strict_types=1);

namespace Magento\Framework;

/**
 * Test double of Magento's object manager interface.
 */
interface ObjectManagerInterface
{
    /**
     * @param string $type
     * @param array<string, mixed> $arguments
     * @return mixed
     */
    public function create($type, array $arguments = []);

    /**
     * @param string $type
     * @return mixed
     */
    public function get($type);

    /**
     * @param array<string, mixed> $configuration
     * @return void
     */
    public function configure(array $configuration);
}
