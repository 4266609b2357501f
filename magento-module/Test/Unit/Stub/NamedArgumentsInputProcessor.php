<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

use Magento\Framework\Exception\InputException;
use Magento\Framework\Phrase;
use Magento\Framework\Webapi\Exception as WebapiException;
use Magento\Framework\Webapi\ServiceInputProcessor;

/**
 * Behaves like Magento's service input processor where the resolve tests can tell: arguments bind to
 * parameters by name (camelCase or snake_case), defaults fill the gaps, a missing required one is an
 * InputException, and an int parameter given a non-numeric value is a Webapi\Exception (400). It
 * reads the native types where Magento reads the docblock.
 */
class NamedArgumentsInputProcessor extends ServiceInputProcessor
{
    /** @var array<int, array{string, string, array<string|int, mixed>}> calls, for assertions */
    public array $calls = [];

    /**
     * @inheritdoc
     */
    public function process($serviceClassName, $serviceMethodName, array $inputArray)
    {
        $this->calls[] = [$serviceClassName, $serviceMethodName, $inputArray];
        $method = new \ReflectionMethod(ltrim($serviceClassName, '\\'), $serviceMethodName);
        $parameters = [];
        foreach ($method->getParameters() as $parameter) {
            $name = $parameter->getName();
            $snakeCase = strtolower((string) preg_replace('/(?<=\w)(?=[A-Z])/', '_$1', $name));
            if (isset($inputArray[$name]) || isset($inputArray[$snakeCase])) {
                $parameters[] = $this->convert($inputArray[$name] ?? $inputArray[$snakeCase], $parameter);
            } elseif ($parameter->isDefaultValueAvailable()) {
                $parameters[] = $parameter->getDefaultValue();
            } else {
                throw new InputException(
                    new Phrase('"%fieldName" is required. Enter and try again.', ['fieldName' => $name])
                );
            }
        }

        return $parameters;
    }

    private function convert(mixed $value, \ReflectionParameter $parameter): mixed
    {
        $type = $parameter->getType();
        if ($type instanceof \ReflectionNamedType && $type->getName() === 'int') {
            if (!is_numeric($value)) {
                throw new WebapiException(new Phrase(
                    'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
                    ['value' => is_scalar($value) ? (string) $value : gettype($value), 'type' => 'int']
                ));
            }
            return (int) $value;
        }

        return $value;
    }
}
