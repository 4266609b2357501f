<?php

declare(strict_types=1);

namespace Magento\Framework\Module\Dir;

/**
 * Test double of Magento's module directory reader: only the method the module calls. Tests mock it.
 */
class Reader
{
    /**
     * @param string $type
     * @param string $moduleName
     * @return string
     */
    public function getModuleDir($type, $moduleName)
    {
        throw new \LogicException('Test double: mock Dir\Reader::getModuleDir().');
    }
}
