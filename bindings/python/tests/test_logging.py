"""The ``odeme`` logger (README, "Logs"): the records of a payment with their fields, each attempt
of a retried read, a declined card's error kind, redacted bodies at DEBUG, nothing below the
logger's level, a handler that raises without changing the call's result, and a journal's intent
and outcome."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any, Iterator, List

import pytest

import odeme
from builders import INSUFFICIENT_FUNDS, iyzico_payment, unique

CARD = "4766620000000001"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> List[logging.LogRecord]:
        out, self.records = self.records, []
        return out


@pytest.fixture()
def captured() -> Iterator[Capture]:
    logger = logging.getLogger("odeme")
    handler = Capture()
    logger.addHandler(handler)
    before = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before)


def events(records: List[logging.LogRecord]) -> List[str]:
    return [r.event for r in records]  # type: ignore[attr-defined]


def test_a_payment_logs_its_events_with_their_fields(client: odeme.Client, captured: Capture) -> None:
    ref = unique("py-log")
    r = client.call("iyzico.create_payment", iyzico_payment(ref))
    got = captured.take()
    assert events(got) == ["call.start", "call.attempt", "call.end"]
    for rec in got:
        assert rec.name == "odeme"
        assert rec.operation == "iyzico.create_payment"  # type: ignore[attr-defined]
        assert rec.provider == "iyzico"  # type: ignore[attr-defined]
        assert rec.reference == ref  # type: ignore[attr-defined]
        assert rec.ts.endswith("Z")  # type: ignore[attr-defined]
        assert rec.request_body is None  # type: ignore[attr-defined]
        assert rec.odeme_event["event"] == rec.event  # type: ignore[attr-defined]
    attempt, end = got[1], got[2]
    assert attempt.levelno == logging.INFO
    assert (attempt.method, attempt.path, attempt.attempt, attempt.http_status) == (  # type: ignore[attr-defined]
        "POST", "/payment/auth", 1, 200)
    assert attempt.duration_ms > 0  # type: ignore[attr-defined]
    assert end.outcome == "completed"  # type: ignore[attr-defined]
    assert end.error_kind is None  # type: ignore[attr-defined]
    assert end.provider_reference == r["provider_reference"]  # type: ignore[attr-defined]
    assert end.getMessage() == "call.end iyzico.create_payment completed"


def test_a_retried_read_shows_each_attempt(client: odeme.Client, captured: Capture) -> None:
    ref = unique("sim:flaky-py")
    client.call("iyzico.create_payment", iyzico_payment(ref))
    captured.take()
    r = client.call("iyzico.payment_details", {"paymentConversationId": ref})
    assert r["outcome"]["type"] == "status"
    got = captured.take()
    attempts = [(x.attempt, x.http_status, x.levelno) for x in got if x.event == "call.attempt"]  # type: ignore[attr-defined]
    assert attempts == [(1, 503, logging.WARNING), (2, 200, logging.INFO)]


def test_a_declined_card_shows_its_error_kind(client: odeme.Client, captured: Capture) -> None:
    with pytest.raises(odeme.DeclinedError):
        client.call("iyzico.create_payment", iyzico_payment(unique("py-log-d"), INSUFFICIENT_FUNDS))
    end = captured.take()[-1]
    assert end.event == "call.end"  # type: ignore[attr-defined]
    assert end.error_kind == "declined"  # type: ignore[attr-defined]
    assert end.outcome is None  # type: ignore[attr-defined]
    assert end.levelno == logging.WARNING


def test_debug_adds_redacted_bodies(client: odeme.Client, captured: Capture) -> None:
    logging.getLogger("odeme").setLevel(logging.DEBUG)
    client.call_json("iyzico.create_payment", json.dumps(iyzico_payment(unique("py-log-dbg"), CARD), default=str))
    got = captured.take()
    attempt = got[1]
    sent = json.loads(attempt.request_body)  # type: ignore[attr-defined]
    assert sent["paymentCard"]["cardNumber"] == "476662******0001"
    assert "cvc" not in sent["paymentCard"]
    assert json.loads(attempt.response_body)["status"] == "success"  # type: ignore[attr-defined]
    text = json.dumps([r.odeme_event for r in got])  # type: ignore[attr-defined]
    for secret in (CARD, "sim-iyzico-api-key", "sim-iyzico-secret-key", "signature", '"123"'):
        assert secret not in text


def test_below_the_loggers_level_nothing_is_logged(client: odeme.Client, captured: Capture) -> None:
    logger = logging.getLogger("odeme")
    logger.setLevel(logging.WARNING)
    client.call("iyzico.create_payment", iyzico_payment(unique("py-log-w")))
    assert captured.take() == []
    with pytest.raises(odeme.DeclinedError):
        client.call("iyzico.create_payment", iyzico_payment(unique("py-log-w"), INSUFFICIENT_FUNDS))
    assert events(captured.take()) == ["call.end"]
    logger.setLevel(logging.ERROR)
    with pytest.raises(odeme.DeclinedError):
        client.call("iyzico.create_payment", iyzico_payment(unique("py-log-e"), INSUFFICIENT_FUNDS))
    assert captured.take() == []
    logger.disabled = True
    try:
        with pytest.raises(odeme.DeclinedError):
            client.call("iyzico.create_payment", iyzico_payment(unique("py-log-x"), INSUFFICIENT_FUNDS))
        assert captured.take() == []
    finally:
        logger.disabled = False


def test_a_handler_that_raises_does_not_change_the_result(
    client: odeme.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Raising(logging.Handler):
        calls = 0

        def emit(self, record: logging.LogRecord) -> None:
            Raising.calls += 1
            raise RuntimeError("a logger that raises")

    unraisable: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    logger = logging.getLogger("odeme")
    handler = Raising()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        r = client.call("iyzico.create_payment", iyzico_payment(unique("py-log-raise")))
        assert r["outcome"]["type"] == "completed"
        with pytest.raises(odeme.DeclinedError) as e:
            client.call("iyzico.create_payment", iyzico_payment(unique("py-log-raise"), INSUFFICIENT_FUNDS))
        assert e.value.provider_code == "10051"
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert Raising.calls == 6
    assert len(unraisable) == 6
    assert all(isinstance(u.exc_value, RuntimeError) for u in unraisable)


def test_a_journal_logs_its_intent_and_outcome(sim: Any, tmp_path: Any, captured: Capture) -> None:
    c = odeme.Client(sim.config(journal={"path": str(tmp_path / "journal.sqlite3")}))
    ref = unique("py-log-j")
    r = c.call("iyzico.create_payment", iyzico_payment(ref))
    got = captured.take()
    assert events(got) == ["call.start", "journal.intent", "call.attempt", "journal.outcome", "call.end"]
    assert all(x.reference == ref for x in got)  # type: ignore[attr-defined]
    outcome = got[3]
    assert outcome.outcome == "completed"  # type: ignore[attr-defined]
    assert outcome.provider_reference == r["provider_reference"]  # type: ignore[attr-defined]
    with pytest.raises(odeme.DeclinedError):
        c.call("iyzico.create_payment", iyzico_payment(unique("py-log-j"), INSUFFICIENT_FUNDS))
    got = captured.take()
    assert events(got) == ["call.start", "journal.intent", "call.attempt", "journal.outcome", "call.end"]
    assert (got[3].error_kind, got[4].error_kind) == ("declined", "declined")  # type: ignore[attr-defined]
