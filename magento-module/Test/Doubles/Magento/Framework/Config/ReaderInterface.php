<?php

declare(strict_types=1);

namespace Magento\Framework\Config;

/**
 * Test double of Magento's config reader interface.
 */
interface ReaderInterface
{
    /**
     * @param string|null $scope
     * @return array<mixed>
     */
    public function read($scope = null);
}
