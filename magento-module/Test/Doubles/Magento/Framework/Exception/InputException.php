<?php

declare(strict_types=1);

namespace Magento\Framework\Exception;

use Magento\Framework\Phrase;

/**
 * Test double of Magento's InputException: arguments are missing or invalid.
 */
class InputException extends LocalizedException
{
    /**
     * @param Phrase|null $phrase
     * @param \Exception|null $cause
     * @param int $code
     */
    public function __construct(?Phrase $phrase = null, ?\Exception $cause = null, $code = 0)
    {
        parent::__construct($phrase ?? new Phrase('One or more input exceptions have occurred.'), $cause, $code);
    }
}
