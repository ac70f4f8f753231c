<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** The payment may have gone through: never resend, query the provider first. */
class OutcomeUnknownException extends OdemeException
{
    public const KIND = 'outcome_unknown';
    public const STATUS = 11;
}
