<?php

declare(strict_types=1);

/**
 * Autoloading without Magento: the module's own classes (MageOS\AsyncEvents\ → the module root) and,
 * for the framework classes it uses, the minimal test doubles under Test/Doubles/. The doubles are
 * only reached when no other autoloader (a real Magento's) already provides the class.
 */
spl_autoload_register(static function (string $class): void {
    $roots = [
        'MageOS\\AsyncEvents\\' => dirname(__DIR__) . '/',
        'Magento\\Framework\\' => __DIR__ . '/Doubles/Magento/Framework/',
        'Psr\\Log\\' => __DIR__ . '/Doubles/Psr/Log/',
    ];
    foreach ($roots as $prefix => $directory) {
        if (str_starts_with($class, $prefix)) {
            $file = $directory . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
