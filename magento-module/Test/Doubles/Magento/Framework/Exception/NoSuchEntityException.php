<?php

declare(strict_types=1);

namespace Magento\Framework\Exception;

use Magento\Framework\Phrase;

/**
 * Test double of Magento's NoSuchEntityException: nothing matches the identifier.
 */
class NoSuchEntityException extends LocalizedException
{
    /**
     * @param Phrase|null $phrase
     * @param \Exception|null $cause
     * @param int $code
     */
    public function __construct(?Phrase $phrase = null, ?\Exception $cause = null, $code = 0)
    {
        parent::__construct($phrase ?? new Phrase('No such entity.'), $cause, $code);
    }
}
