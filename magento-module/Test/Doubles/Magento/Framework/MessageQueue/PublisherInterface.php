<?php

declare(strict_types=1);

namespace Magento\Framework\MessageQueue;

/**
 * Test double of Magento's message queue publisher interface.
 */
interface PublisherInterface
{
    /**
     * @param string $topicName
     * @param array|object $data
     * @return null|mixed
     */
    public function publish($topicName, $data);
}
