<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Model\Config;

use Magento\Framework\Config\Dom;
use Magento\Framework\Config\FileResolverInterface;
use Magento\Framework\Config\Reader\Filesystem;
use Magento\Framework\Config\ValidationStateInterface;

/**
 * Reads and merges etc/async_events.xml of every enabled module, like any Magento XML config.
 * Events merge by their name attribute (a later module overrides an earlier one's service or
 * resources), then Converter lower-cases the names.
 */
class Reader extends Filesystem
{
    public const FILE_NAME = 'async_events.xml';
    public const ID_ATTRIBUTES = ['/config/async_event' => 'name'];

    /**
     * @param FileResolverInterface $fileResolver
     * @param Converter $converter
     * @param SchemaLocator $schemaLocator
     * @param ValidationStateInterface $validationState
     * @param string $fileName
     * @param array<string, string> $idAttributes
     * @param string $domDocumentClass
     * @param string $defaultScope
     */
    public function __construct(
        FileResolverInterface $fileResolver,
        Converter $converter,
        SchemaLocator $schemaLocator,
        ValidationStateInterface $validationState,
        string $fileName = self::FILE_NAME,
        array $idAttributes = self::ID_ATTRIBUTES,
        string $domDocumentClass = Dom::class,
        string $defaultScope = 'global'
    ) {
        parent::__construct(
            $fileResolver,
            $converter,
            $schemaLocator,
            $validationState,
            $fileName,
            $idAttributes,
            $domDocumentClass,
            $defaultScope
        );
    }
}
