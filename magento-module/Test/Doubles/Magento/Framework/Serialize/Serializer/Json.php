<?php

declare(strict_types=1);

namespace Magento\Framework\Serialize\Serializer;

use Magento\Framework\Serialize\SerializerInterface;

/**
 * Test double of Magento's JSON serializer, which is PHP's json_encode/json_decode without flags.
 */
class Json implements SerializerInterface
{
    /**
     * @inheritdoc
     */
    public function serialize($data)
    {
        $result = json_encode($data);
        if ($result === false) {
            throw new \InvalidArgumentException('Unable to serialize value. Error: ' . json_last_error_msg());
        }

        return $result;
    }

    /**
     * @inheritdoc
     */
    public function unserialize($string)
    {
        $result = json_decode((string) $string, true);
        if (json_last_error() !== JSON_ERROR_NONE) {
            throw new \InvalidArgumentException('Unable to unserialize value. Error: ' . json_last_error_msg());
        }

        return $result;
    }
}
