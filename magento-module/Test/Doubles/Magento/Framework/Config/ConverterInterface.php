<?php

declare(strict_types=1);

namespace Magento\Framework\Config;

/**
 * Test double of Magento's config converter interface (DOM → array).
 */
interface ConverterInterface
{
    /**
     * @param \DOMDocument $source
     * @return array<mixed>
     */
    public function convert($source);
}
