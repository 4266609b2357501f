<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Model\Config;

use DOMDocument;
use DOMElement;
use InvalidArgumentException;
use Magento\Framework\Config\ConverterInterface;

/**
 * Turns the merged async_events.xml into
 * `[lower-cased event name => ['class' => string, 'method' => string, 'resources' => string[]]]`.
 *
 * Names are lower-cased as upstream does, so "Sales.Order.Created" and "sales.order.created" are one
 * event and the one later in the merged document wins. The schema is not checked in production mode,
 * so what this class needs to build an entry (a name, one service with class and method) is checked
 * here too and reported with the event's name.
 */
class Converter implements ConverterInterface
{
    /**
     * @param DOMDocument $source
     * @return array<string, array{class: string, method: string, resources: string[]}>
     * @throws InvalidArgumentException when an event lacks its name, its service, or the service's class or method
     */
    public function convert($source): array
    {
        $events = [];
        $root = $source->documentElement;
        if ($root === null) {
            return $events;
        }
        foreach ($this->childElements($root, 'async_event') as $event) {
            $name = $event->getAttribute('name');
            if ($name === '') {
                throw new InvalidArgumentException('An async_event has no name attribute.');
            }
            $events[mb_strtolower($name)] = $this->convertEvent($event, $name);
        }

        return $events;
    }

    /**
     * @return array{class: string, method: string, resources: string[]}
     */
    private function convertEvent(DOMElement $event, string $name): array
    {
        $services = $this->childElements($event, 'service');
        if (count($services) !== 1) {
            throw new InvalidArgumentException(
                sprintf('Async event "%s" must declare exactly one service; it declares %d.', $name, count($services))
            );
        }
        $service = $services[0];
        foreach (['class', 'method'] as $attribute) {
            if ($service->getAttribute($attribute) === '') {
                throw new InvalidArgumentException(
                    sprintf('The service of async event "%s" has no %s attribute.', $name, $attribute)
                );
            }
        }

        $resources = [];
        foreach ($this->childElements($event, 'resources') as $resourcesElement) {
            foreach ($this->childElements($resourcesElement, 'resource') as $resource) {
                $resources[] = trim($resource->textContent);
            }
        }

        return [
            'class' => $service->getAttribute('class'),
            'method' => $service->getAttribute('method'),
            'resources' => $resources,
        ];
    }

    /**
     * @return DOMElement[]
     */
    private function childElements(DOMElement $parent, string $tagName): array
    {
        $children = [];
        foreach ($parent->childNodes as $child) {
            if ($child instanceof DOMElement && $child->tagName === $tagName) {
                $children[] = $child;
            }
        }

        return $children;
    }
}
