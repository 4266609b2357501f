<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Exception;

use Magento\Framework\Exception\NoSuchEntityException;

/**
 * No async_events.xml declares the event name: a final outcome (404), retrying cannot help.
 */
class UnknownEventException extends NoSuchEntityException
{
}
