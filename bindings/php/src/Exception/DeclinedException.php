<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** The payment was refused (card declined, insufficient funds, fraud). */
class DeclinedException extends OdemeException
{
    public const KIND = 'declined';
    public const STATUS = 21;
}
