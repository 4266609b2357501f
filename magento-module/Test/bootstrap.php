<?php

declare(strict_types=1);

/**
 * PHPUnit bootstrap: Magento cannot be installed on this machine (no access to repo.magento.com), so
 * the few framework classes the module uses come from the test doubles in Test/Doubles/ (our own
 * minimal code, see Test/README.md). With a real Magento autoloader registered first, the real
 * classes win.
 */
require __DIR__ . '/autoload.php';
