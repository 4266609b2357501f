<?php

declare(strict_types=1);

namespace Magento\Framework;

/**
 * Test double of Magento's Phrase: a text with %1/%name placeholders, rendered on demand.
 */
class Phrase implements \JsonSerializable
{
    /**
     * @param string $text
     * @param array<int|string, mixed> $arguments
     */
    public function __construct(private readonly string $text, private readonly array $arguments = [])
    {
    }

    public function getText(): string
    {
        return $this->text;
    }

    /** @return array<int|string, mixed> */
    public function getArguments(): array
    {
        return $this->arguments;
    }

    public function render(): string
    {
        $replacements = [];
        foreach (array_values($this->arguments) as $index => $value) {
            $replacements['%' . ($index + 1)] = (string) $value;
        }
        foreach ($this->arguments as $key => $value) {
            if (is_string($key)) {
                $replacements['%' . $key] = (string) $value;
            }
        }
        uksort($replacements, static fn (string $a, string $b): int => strlen($b) <=> strlen($a));

        return strtr($this->text, $replacements);
    }

    public function __toString(): string
    {
        return $this->render();
    }

    public function jsonSerialize(): string
    {
        return $this->render();
    }
}
