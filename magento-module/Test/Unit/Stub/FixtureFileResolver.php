<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

use Magento\Framework\Config\FileResolverInterface;

/**
 * Answers the config reader with the content of fixture files.
 */
class FixtureFileResolver implements FileResolverInterface
{
    /**
     * @param string[] $paths
     */
    public function __construct(private readonly array $paths)
    {
    }

    /**
     * @inheritdoc
     */
    public function get($filename, $scope)
    {
        $files = [];
        foreach ($this->paths as $path) {
            $files[$path] = (string) file_get_contents($path);
        }

        return $files;
    }
}
