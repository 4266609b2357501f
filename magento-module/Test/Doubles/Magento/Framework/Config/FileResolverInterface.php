<?php

declare(strict_types=1);

namespace Magento\Framework\Config;

/**
 * Test double of Magento's config file resolver interface.
 */
interface FileResolverInterface
{
    /**
     * @param string $filename
     * @param string $scope
     * @return iterable<string, string> file path => content
     */
    public function get($filename, $scope);
}
