<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Model\Config;

use Magento\Framework\Config\SchemaLocatorInterface;
use Magento\Framework\Module\Dir;
use Magento\Framework\Module\Dir\Reader as ModuleDirReader;

/**
 * etc/async_events.xsd of this module, for each file and for the merged document alike: the rules
 * (name pattern, unique names, one service) hold for both.
 */
class SchemaLocator implements SchemaLocatorInterface
{
    public const MODULE_NAME = 'MageOS_AsyncEvents';
    public const SCHEMA_FILE = 'async_events.xsd';

    /**
     * @param ModuleDirReader $moduleDirReader
     */
    public function __construct(
        private readonly ModuleDirReader $moduleDirReader
    ) {
    }

    /**
     * @inheritdoc
     */
    public function getSchema(): string
    {
        return $this->moduleDirReader->getModuleDir(Dir::MODULE_ETC_DIR, self::MODULE_NAME) . '/' . self::SCHEMA_FILE;
    }

    /**
     * @inheritdoc
     */
    public function getPerFileSchema(): string
    {
        return $this->getSchema();
    }
}
