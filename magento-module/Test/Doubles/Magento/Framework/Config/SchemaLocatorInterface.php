<?php

declare(strict_types=1);

namespace Magento\Framework\Config;

/**
 * Test double of Magento's schema locator interface.
 */
interface SchemaLocatorInterface
{
    /**
     * @return string|null path to the schema of the merged document
     */
    public function getSchema();

    /**
     * @return string|null path to the schema of each file
     */
    public function getPerFileSchema();
}
