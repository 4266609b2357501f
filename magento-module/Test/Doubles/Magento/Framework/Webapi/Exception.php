<?php

declare(strict_types=1);

namespace Magento\Framework\Webapi;

use Magento\Framework\Exception\LocalizedException;
use Magento\Framework\Phrase;

/**
 * Test double of Magento's web API exception, which carries an HTTP code (400 unless told).
 */
class Exception extends LocalizedException
{
    public const HTTP_BAD_REQUEST = 400;
    public const HTTP_NOT_FOUND = 404;
    public const HTTP_INTERNAL_ERROR = 500;

    /**
     * @param Phrase $phrase
     * @param int $code
     * @param int $httpCode
     */
    public function __construct(Phrase $phrase, $code = 0, private readonly int $httpCode = self::HTTP_BAD_REQUEST)
    {
        parent::__construct($phrase, null, $code);
    }

    public function getHttpCode(): int
    {
        return $this->httpCode;
    }
}
