<?php

declare(strict_types=1);

namespace Magento\Framework\Module;

/**
 * Test double of Magento's module directory constants.
 */
class Dir
{
    public const MODULE_ETC_DIR = 'etc';
}
