<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

use Magento\Framework\Webapi\ServiceOutputProcessor;

/**
 * Turns data objects into arrays, as Magento's service output processor does; other values pass.
 */
class ArrayOutputProcessor extends ServiceOutputProcessor
{
    /**
     * @inheritdoc
     */
    public function process($data, $serviceClassName, $serviceMethodName)
    {
        return $data instanceof EntityStub ? $data->toArray() : $data;
    }
}
