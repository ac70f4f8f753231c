"""The ``odeme`` logger: one record per log event of every call (README, "Logs").

Each record's message is a short summary (``call.end iyzico.create_payment declined``) and the
event's fields are attributes of the record: ``ts``, ``level``, ``event``, ``operation``,
``provider``, ``method``, ``path``, ``attempt``, ``http_status``, ``duration_ms``, ``outcome``,
``error_kind``, ``reference``, ``provider_reference`` and, when the logger is enabled for
``DEBUG``, ``request_body`` and ``response_body`` (redacted: card numbers as first 6 + last 4;
CVC, keys, tokens, hashes and signatures removed). Absent fields are ``None``. ``odeme_event``
holds them all as one dict.

The level is the logger's own (``logging.getLogger("odeme").setLevel(logging.INFO)``); when it
is not enabled for a record's level, odeme builds nothing. A handler that raises is reported
through ``sys.unraisablehook`` and the call goes on with its result unchanged.
"""

from __future__ import annotations

import logging
from typing import Any, Dict

logger = logging.getLogger("odeme")
# A library's logger: no output unless the application configures logging.
logger.addHandler(logging.NullHandler())


def emit(levelno: int, fields: Dict[str, Any]) -> None:
    """Log one event (called by the native module)."""
    summary = [fields["event"], fields["operation"]]
    if fields.get("attempt") is not None:
        summary.append("attempt %d" % fields["attempt"])
    if fields.get("http_status") is not None:
        summary.append("HTTP %d" % fields["http_status"])
    tail = fields.get("outcome") or fields.get("error_kind")
    if tail:
        summary.append(tail)
    extra = dict(fields)
    extra["odeme_event"] = fields
    logger.log(levelno, " ".join(summary), extra=extra)
