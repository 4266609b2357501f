<?php

declare(strict_types=1);

namespace MageOS\AsyncEvents\Test\Unit\Stub;

use Magento\Framework\Exception\NoSuchEntityException;
use Magento\Framework\Phrase;

/**
 * A product repository for the resolve tests: products 1..99 exist, others do not.
 */
class ProductRepositoryStub
{
    /**
     * @param int $productId
     * @param bool $editMode
     * @return EntityStub
     * @throws NoSuchEntityException
     */
    public function getById(int $productId, bool $editMode = false): EntityStub
    {
        if ($productId < 1 || $productId > 99) {
            throw new NoSuchEntityException(
                new Phrase('The product that was requested doesn\'t exist. Verify the product and try again.')
            );
        }

        return new EntityStub([
            'id' => $productId,
            'sku' => 'sku-' . $productId,
            'name' => 'Crème brûlée',
            'url' => 'https://shop.test/p/' . $productId,
            'edit_mode' => $editMode,
        ]);
    }
}
