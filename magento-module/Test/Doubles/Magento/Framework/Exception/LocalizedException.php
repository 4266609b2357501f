<?php

declare(strict_types=1);

namespace Magento\Framework\Exception;

use Magento\Framework\Phrase;

/**
 * Test double of Magento's LocalizedException: the message is the rendered phrase.
 */
class LocalizedException extends \Exception
{
    /**
     * @param Phrase $phrase
     * @param \Exception|null $cause
     * @param int $code
     */
    public function __construct(protected Phrase $phrase, ?\Exception $cause = null, $code = 0)
    {
        parent::__construct($phrase->render(), (int) $code, $cause);
    }

    public function getRawMessage(): string
    {
        return $this->phrase->getText();
    }

    /** @return array<int|string, mixed> */
    public function getParameters(): array
    {
        return $this->phrase->getArguments();
    }
}
