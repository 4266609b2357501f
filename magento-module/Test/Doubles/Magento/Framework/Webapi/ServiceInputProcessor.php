<?php

declare(strict_types=1);

namespace Magento\Framework\Webapi;

/**
 * Test double of Magento's service input processor: only the method the module calls. Tests mock it.
 */
class ServiceInputProcessor
{
    /**
     * @param string $serviceClassName
     * @param string $serviceMethodName
     * @param array<string|int, mixed> $inputArray
     * @return array<int, mixed>
     */
    public function process($serviceClassName, $serviceMethodName, array $inputArray)
    {
        throw new \LogicException('Test double: mock ServiceInputProcessor::process().');
    }
}
