<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Native;
use PHPUnit\Framework\TestCase;

final class NativeTest extends TestCase
{
    /** Without ODEME_LIBRARY the library is looked up by its platform's name. */
    public function testDefaultLibraryNamePerPlatform(): void
    {
        $this->assertSame('odeme.dll', Native::defaultLibrary('Windows'));
        $this->assertSame('libodeme.so', Native::defaultLibrary('Linux'));
        $this->assertSame(
            PHP_OS_FAMILY === 'Windows' ? 'odeme.dll' : 'libodeme.so',
            Native::defaultLibrary(PHP_OS_FAMILY)
        );
    }
}
