<?php

declare(strict_types=1);

namespace Magento\Framework\Config;

/**
 * Test double of Magento's validation state interface.
 */
interface ValidationStateInterface
{
    /**
     * @return bool
     */
    public function isValidationRequired();
}
