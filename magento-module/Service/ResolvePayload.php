<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Service;

use Magento\Framework\ObjectManagerInterface;
use Magento\Framework\Phrase;
use Magento\Framework\Webapi\ServiceInputProcessor;
use Magento\Framework\Webapi\ServiceOutputProcessor;
use MageOS\AsyncEvents\Exception\UnknownEventException;
use MageOS\AsyncEvents\Model\Config\Data as AsyncEventsConfig;

/**
 * Resolves one event's payload the way upstream's AsyncEventTriggerHandler::process computes it:
 * the event's service method from async_events.xml, the published arguments through Magento's service
 * input processor, the call, and the result through the service output processor. The payload is
 * therefore what the same method answers over REST.
 */
class ResolvePayload
{
    /**
     * @param AsyncEventsConfig $config
     * @param ServiceInputProcessor $inputProcessor
     * @param ObjectManagerInterface $objectManager
     * @param ServiceOutputProcessor $outputProcessor
     */
    public function __construct(
        private readonly AsyncEventsConfig $config,
        private readonly ServiceInputProcessor $inputProcessor,
        private readonly ObjectManagerInterface $objectManager,
        private readonly ServiceOutputProcessor $outputProcessor
    ) {
    }

    /**
     * @param string $eventName matched lower-cased
     * @param array<string|int, mixed> $arguments the published arguments, by parameter name
     * @return mixed the service output as Magento's web API renders it (arrays and scalars)
     * @throws UnknownEventException when no async_events.xml declares the event
     * @throws \Throwable whatever the input processor or the service throws, for the caller to classify
     */
    public function execute(string $eventName, array $arguments): mixed
    {
        $event = $this->config->getEvent($eventName);
        if ($event === null) {
            throw new UnknownEventException(
                new Phrase('The async event "%1" is not declared in any async_events.xml.', [$eventName])
            );
        }
        $class = $event['class'];
        $method = $event['method'];

        $parameters = $this->inputProcessor->process($class, $method, $arguments);
        $service = $this->objectManager->create($class);
        // Called as upstream calls it, under strict_types: an argument the input processor could not
        // bring to the method's native type (its docblock says otherwise) raises a TypeError, which
        // the caller reports as a bad request.
        // phpcs:ignore Magento2.Functions.DiscouragedFunction
        $result = call_user_func_array([$service, $method], $parameters);

        return $this->outputProcessor->process($result, $class, $method);
    }
}
