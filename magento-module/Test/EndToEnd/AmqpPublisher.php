<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\EndToEnd;

use Magento\Framework\MessageQueue\PublisherInterface;
use PhpAmqpLib\Channel\AMQPChannel;
use PhpAmqpLib\Message\AMQPMessage;
use RuntimeException;

/**
 * Stands in for Magento's framework publisher on AMQP (MessageQueue\Publisher + Amqp\Exchange) where the
 * broker can tell: exchange "magento", routing key = topic, body = flag-less json_encode of the message
 * (what the framework's MessageEncoder writes for a string[] topic), properties delivery_mode 2 and
 * message_id md5(uniqid(topic)), no content type, no headers. It declares nothing.
 *
 * Unlike Magento it waits for a publisher confirm and publishes mandatory, so that a missing exchange
 * or an unbound routing key is an error here instead of a silently lost message. Neither changes the
 * message.
 */
class AmqpPublisher implements PublisherInterface
{
    public const EXCHANGE = 'magento';

    private ?string $lastBody = null;
    private ?string $lastMessageId = null;
    private ?string $returned = null;
    private bool $nacked = false;

    /**
     * @param AMQPChannel $channel
     * @param float $confirmTimeout seconds to wait for the broker's confirm
     */
    public function __construct(
        private readonly AMQPChannel $channel,
        private readonly float $confirmTimeout = 5.0
    ) {
        $this->channel->confirm_select();
        $this->channel->set_nack_handler(function (): void {
            $this->nacked = true;
        });
        $this->channel->set_return_listener(
            function (int $replyCode, string $replyText, string $exchange, string $routingKey): void {
                $this->returned = sprintf(
                    '%d %s (exchange "%s", routing key "%s")',
                    $replyCode,
                    $replyText,
                    $exchange,
                    $routingKey
                );
            }
        );
    }

    /**
     * @inheritdoc
     */
    public function publish($topicName, $data)
    {
        $body = json_encode($data);
        if ($body === false) {
            throw new RuntimeException('The message cannot be encoded as JSON: ' . json_last_error_msg());
        }
        // md5() names the message, as Magento's publisher does; it is not used for security.
        $messageId = md5(uniqid((string) $topicName));
        $message = new AMQPMessage(
            $body,
            ['delivery_mode' => AMQPMessage::DELIVERY_MODE_PERSISTENT, 'message_id' => $messageId]
        );

        $this->channel->basic_publish($message, self::EXCHANGE, (string) $topicName, true);
        $this->channel->wait_for_pending_acks_returns($this->confirmTimeout);
        if ($this->returned !== null) {
            throw new RuntimeException(sprintf(
                'RabbitMQ returned the message as unroutable: %s. Is the sidecar running (it declares the queue)?',
                $this->returned
            ));
        }
        if ($this->nacked) {
            throw new RuntimeException('RabbitMQ refused the message (basic.nack).');
        }
        $this->lastBody = $body;
        $this->lastMessageId = $messageId;

        return null;
    }

    public function lastBody(): ?string
    {
        return $this->lastBody;
    }

    public function lastMessageId(): ?string
    {
        return $this->lastMessageId;
    }
}
