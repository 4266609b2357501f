<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Exception;

use Magento\Framework\Exception\InputException;

/**
 * One element of a resolve batch is not a {event_name, arguments, store_id} object: a final outcome (400).
 */
class MalformedRequestException extends InputException
{
}
