<?php

declare(strict_types=1);

namespace Magento\Framework\Config\Reader;

use Magento\Framework\Config\ConverterInterface;
use Magento\Framework\Config\FileResolverInterface;
use Magento\Framework\Config\ReaderInterface;
use Magento\Framework\Config\SchemaLocatorInterface;
use Magento\Framework\Config\ValidationStateInterface;

/**
 * Test double of Magento's filesystem config reader: keeps what it was constructed with so a test can
 * check a subclass's defaults; read() converts the first file only (no merging, no validation).
 */
class Filesystem implements ReaderInterface
{
    /** @var array<string, string> */
    protected $_idAttributes = [];
    /** @var string */
    protected $_fileName;
    /** @var string */
    protected $_defaultScope;
    /** @var string */
    protected $_domDocumentClass;

    /**
     * @param FileResolverInterface $_fileResolver
     * @param ConverterInterface $_converter
     * @param SchemaLocatorInterface $_schemaLocator
     * @param ValidationStateInterface $validationState
     * @param string $fileName
     * @param array<string, string> $idAttributes
     * @param string $domDocumentClass
     * @param string $defaultScope
     */
    public function __construct(
        protected FileResolverInterface $_fileResolver,
        protected ConverterInterface $_converter,
        protected SchemaLocatorInterface $_schemaLocator,
        protected ValidationStateInterface $validationState,
        $fileName,
        $idAttributes = [],
        $domDocumentClass = 'Magento\Framework\Config\Dom',
        $defaultScope = 'global'
    ) {
        $this->_fileName = $fileName;
        $this->_idAttributes = array_replace($this->_idAttributes, $idAttributes);
        $this->_domDocumentClass = $domDocumentClass;
        $this->_defaultScope = $defaultScope;
    }

    /**
     * @inheritdoc
     */
    public function read($scope = null)
    {
        foreach ($this->_fileResolver->get($this->_fileName, $scope ?? $this->_defaultScope) as $content) {
            $dom = new \DOMDocument();
            $dom->loadXML($content);

            return $this->_converter->convert($dom);
        }

        return [];
    }

    /** @return array<string, mixed> for tests: the arguments that matter to a subclass */
    public function describeForTest(): array
    {
        return [
            'fileName' => $this->_fileName,
            'idAttributes' => $this->_idAttributes,
            'converter' => $this->_converter,
            'schemaLocator' => $this->_schemaLocator,
            'defaultScope' => $this->_defaultScope,
        ];
    }
}
