<?php

declare(strict_types=1);

namespace Magento\Framework\Webapi;

/**
 * Test double of Magento's service output processor: only the method the module calls. Tests mock it.
 */
class ServiceOutputProcessor
{
    /**
     * @param mixed $data
     * @param string $serviceClassName
     * @param string $serviceMethodName
     * @return mixed
     */
    public function process($data, $serviceClassName, $serviceMethodName)
    {
        throw new \LogicException('Test double: mock ServiceOutputProcessor::process().');
    }
}
