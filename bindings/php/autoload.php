<?php
// PSR-4 autoloader for the Odeme namespace, for use without Composer:
//   require '/path/to/bindings/php/autoload.php';
spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'Odeme\\', 6) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 6)) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
