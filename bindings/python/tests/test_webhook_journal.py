"""verify_webhook over raw bytes, and the payment journal (pending / reconcile / refusal)."""

from __future__ import annotations

import json
import pathlib
import tempfile

import pytest

import odeme
from builders import iyzico_payment, paymes_order, unique

# iyzico/iyzipay-php samples/webhook_Signature_Validation.php (direct API body, its secret and header).
PUBLISHED_SECRET = "sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs"
DIRECT_BODY = (
    b'{"paymentConversationId":"conversationId","merchantId":3382172,"paymentId":22484059,'
    b'"status":"SUCCESS","iyziReferenceCode":"a9af8e6b-4401-4928-b6b8-40419aaa3d0f",'
    b'"iyziEventType":"API_AUTH","iyziEventTime":1721825828467,"iyziPaymentId":22484059}'
)
DIRECT_SIG = "92c7a72b7741bc83eb696066605c894778c87297b2c88d6037670666230e18ae"


def published_client() -> odeme.Client:
    return odeme.Client({"iyzico": {"api_key": "k", "secret_key": PUBLISHED_SECRET}})


def test_published_iyzico_vector() -> None:
    r = published_client().verify_webhook("iyzico", {"x-iyz-signature-v3": DIRECT_SIG}, DIRECT_BODY)
    assert r["operation"] == "webhook.iyzico"
    o = r["outcome"]
    assert o["type"] == "notification"
    assert (o["provider"], o["event"], o["state"]) == ("iyzico", "API_AUTH", "paid")
    assert (o["payment_id"], o["order_id"], o["duplicate"]) == ("22484059", "conversationId", False)


def test_tampered_body_and_missing_header_are_signature_errors() -> None:
    c = published_client()
    with pytest.raises(odeme.SignatureError):
        c.verify_webhook("iyzico", {"X-IYZ-SIGNATURE-V3": DIRECT_SIG}, DIRECT_BODY.replace(b"SUCCESS", b"FAILURE"))
    with pytest.raises(odeme.SignatureError) as e:
        c.verify_webhook("iyzico", {}, DIRECT_BODY)
    assert "X-IYZ-SIGNATURE-V3" in str(e.value)
    assert e.value.operation == "webhook.iyzico"
    assert e.value.provider == "iyzico", "a webhook error names its provider, not 'webhook'"
    paymes = odeme.Client({"paymes": {"public_key": "p", "secret_key": "s"}})
    with pytest.raises(odeme.OdemeError) as p:
        paymes.verify_webhook("paymes", {"Content-Type": "application/x-www-form-urlencoded"}, b"orderId=o-1&hash=AAAA")
    assert (p.value.provider, p.value.operation) == ("paymes", "webhook.paymes")
    with pytest.raises(odeme.InvalidArgumentError):
        c.verify_webhook("iyzico", {"X-IYZ-SIGNATURE-V3": DIRECT_SIG}, DIRECT_BODY.decode())  # type: ignore[arg-type]


def delivery(sim, provider: str, ident: str):
    d = sim.visit(f"{sim.base_url}/__sim/webhook/{provider}/{ident}")
    return d["headers"], d["body"].encode()


def test_simulator_deliveries_verify(sim, client) -> None:
    conv = unique("py-wh")
    client.iyzico.create_payment(iyzico_payment(conv))
    headers, body = delivery(sim, "iyzico", conv)
    r = client.verify_webhook("iyzico", headers, body)
    assert r["outcome"]["state"] == "paid" and r["outcome"]["order_id"] == conv
    order = unique("py-whp")
    client.paymes.create_order(paymes_order(order))
    headers, body = delivery(sim, "paymes", order)
    r = client.verify_webhook("paymes", headers, body)
    assert r["outcome"]["state"] == "paid" and r["outcome"]["duplicate"] is False
    with pytest.raises(odeme.SignatureError):
        client.verify_webhook("paymes", headers, body.replace(b"success", b"failed"))


def journal_client(sim, path: pathlib.Path) -> odeme.Client:
    return odeme.Client(sim.config(journal={"path": str(path)}))


def test_journal_pending_reconcile_webhook_and_refusal(sim) -> None:
    with tempfile.TemporaryDirectory() as d:
        c = journal_client(sim, pathlib.Path(d) / "journal.sqlite3")
        assert c.pending() == []
        # A lost Paymes reply: outcome_unknown, pending, no query: needs_manual_check.
        order = unique("py-drop")
        with pytest.raises(odeme.OutcomeUnknownError):
            c.paymes.create_order(paymes_order(order, product="sim:drop"))
        [row] = c.pending()
        assert (row["operation"], row["reference"], row["amount"], row["state"]) == (
            "paymes.create_order", order, "1050", "outcome_unknown")
        assert set(row) >= {"id", "provider", "currency", "provider_reference", "created_at", "updated_at", "resolved"}
        [row] = c.reconcile()
        assert row["state"] == "needs_manual_check"
        # A resend is refused before any I/O.
        with pytest.raises(odeme.InvalidRequestError) as e:
            c.paymes.create_order(paymes_order(order))
        assert e.value.field == "orderId" and "reconcile" in str(e.value)
        # Its verified webhook resolves it, once.
        headers, body = delivery(sim, "paymes", order)
        assert c.verify_webhook("paymes", headers, body)["outcome"]["duplicate"] is False
        assert c.pending() == []
        assert c.verify_webhook("paymes", headers, body)["outcome"]["duplicate"] is True
        booked = [r for r in sim.requests() if r["operation"] == "paymes.create_order" and r["order_ref"] == order]
        assert len(booked) == 1


def test_without_a_journal_pending_and_reconcile_are_config_errors(client) -> None:
    for f in (client.pending, client.reconcile):
        with pytest.raises(odeme.ConfigError):
            f()
    # ... and without a journal a delivery is never a duplicate.
    c = published_client()
    for _ in range(2):
        r = c.verify_webhook("iyzico", {"X-IYZ-SIGNATURE-V3": DIRECT_SIG}, DIRECT_BODY)
        assert r["outcome"]["duplicate"] is False
