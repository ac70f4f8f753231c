"""scripts/canary-log's Python runner (not a pytest module): a `logging` handler on the ``odeme``
logger at DEBUG appends every record's event (``odeme_event``, with the record's message and level
name) to $ODEME_CANARY_EVENTS; calls come one a line on stdin (``normal|short TAB operation TAB
request-json``) and each answer is one line (``ok TAB response-json`` or ``err TAB kind TAB message``)."""

from __future__ import annotations

import json
import logging
import os
import sys

import odeme


class ToFile(logging.Handler):
    def __init__(self, path: str) -> None:
        super().__init__(logging.DEBUG)
        self.out = open(path, "a", encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        fields = dict(record.odeme_event)  # type: ignore[attr-defined]
        fields["_message"], fields["_level"] = record.getMessage(), record.levelname
        self.out.write(json.dumps(fields, ensure_ascii=False) + "\n")
        self.out.flush()


def main() -> None:
    logger = logging.getLogger("odeme")
    logger.addHandler(ToFile(os.environ["ODEME_CANARY_EVENTS"]))
    logger.setLevel(logging.DEBUG)
    clients = {
        "normal": odeme.Client(json.loads(os.environ["ODEME_CANARY_CONFIG"])),
        "short": odeme.Client(json.loads(os.environ["ODEME_CANARY_SHORT_CONFIG"])),
    }
    for line in sys.stdin:
        which, operation, request = line.rstrip("\n").split("\t", 2)
        try:
            answer = "ok\t" + clients[which].call_json(operation, request)
        except odeme.OdemeError as e:
            answer = "err\t" + e.kind + "\t" + str(e)
        sys.stdout.write(answer.replace("\n", " ") + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
