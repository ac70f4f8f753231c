"""Money states true to the providers' documents (issue 29), from Python.

* iyzico webhooks say what they are about (``iyziEventType``, docs.iyzico.com's webhook page):
  a refund event is never the payment's fate and never resolves a journal row.
* An EsnekPOS query-service error (RETURN_CODE 400 is "any error of the query service" in the
  vendor's error-code table) leaves the row pending; only "reference not found" fails it.
* Paymes' ``{"status": false, "error": ...}`` shape is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pathlib
import tempfile

import pytest

import odeme
from builders import iyzico_payment, paymes_order, unique

SIM_SECRET = "sim-iyzico-secret-key"


def signed_iyzico(event: str, payment_id: int, conversation_id: str, status: str) -> tuple:
    """A V3-signed direct-format delivery, signed here with Python's own hmac."""
    body = json.dumps({
        "paymentConversationId": conversation_id, "merchantId": 3382172, "paymentId": payment_id,
        "status": status, "iyziEventType": event, "iyziEventTime": 1721825828467,
    }).encode()
    message = f"{SIM_SECRET}{event}{payment_id}{conversation_id}{status}".encode()
    sig = hmac.new(SIM_SECRET.encode(), message, hashlib.sha256).hexdigest()
    return {"X-IYZ-SIGNATURE-V3": sig, "Content-Type": "application/json"}, body


def journal_client(sim, d: str, settle_s: int = 0) -> odeme.Client:
    return odeme.Client(sim.config(journal={"path": str(pathlib.Path(d) / "j.sqlite3"), "settle_s": settle_s}))


@pytest.mark.parametrize("event,status,state", [
    ("REFUND_RETRY_FAILURE", "FAILURE", "refund_failed"),
    ("REFUND_RETRY_SUCCESS", "SUCCESS", "refunded"),
    ("CONTACTLESS_REFUND", "SUCCESS", "refunded"),
])
def test_refund_events_are_about_the_refund(event: str, status: str, state: str) -> None:
    c = odeme.Client({"iyzico": {"api_key": "k", "secret_key": SIM_SECRET}})
    headers, body = signed_iyzico(event, 22484059, "order-1", status)
    o = c.verify_webhook("iyzico", headers, body)["outcome"]
    assert (o["subject"], o["state"], o["event"]) == ("refund", state, event)


def test_unknown_events_say_nothing() -> None:
    c = odeme.Client({"iyzico": {"api_key": "k", "secret_key": SIM_SECRET}})
    headers, body = signed_iyzico("SOMETHING_NEW", 1, "order-1", "FAILURE")
    o = c.verify_webhook("iyzico", headers, body)["outcome"]
    assert o["state"] == "unknown"
    headers, body = signed_iyzico("API_AUTH", 1, "order-1", "FAILURE")
    o = c.verify_webhook("iyzico", headers, body)["outcome"]
    assert (o["subject"], o["state"]) == ("payment", "failed")


def test_refund_webhook_never_resolves_the_payments_row(sim) -> None:
    with tempfile.TemporaryDirectory() as d:
        c = journal_client(sim, d)
        conv = unique("py-rr")
        with pytest.raises(odeme.OutcomeUnknownError):
            c.iyzico.create_payment(iyzico_payment(conv, product="sim:drop"))
        d_ = sim.visit(f"{sim.base_url}/__sim/webhook/iyzico/{conv}/REFUND_RETRY_FAILURE")
        o = c.verify_webhook("iyzico", d_["headers"], d_["body"].encode())["outcome"]
        assert (o["subject"], o["state"]) == ("refund", "refund_failed")
        [row] = c.pending()
        assert row["state"] == "outcome_unknown"
        with pytest.raises(odeme.InvalidRequestError):
            c.iyzico.create_payment(iyzico_payment(conv))
        sent = [r for r in sim.requests() if r["operation"] == "iyzico.create_payment" and r["order_ref"] == conv]
        assert len(sent) == 1


def esnekpos_3d(reference: str, product: str) -> dict:
    return {
        "Config": {"BACK_URL": "https://shop.example/back", "PRICES_CURRENCY": "TRY", "ORDER_AMOUNT": "150",
                   "ORDER_REF_NUMBER": reference},
        "CreditCard": {"CC_NUMBER": "5528790000000008", "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": "000",
                       "CC_OWNER": "TEST USER", "INSTALLMENT_NUMBER": "1"},
        "Customer": {"FIRST_NAME": "Ada", "LAST_NAME": "Yılmaz", "MAIL": "ada@example.com", "PHONE": "05435434343",
                     "CITY": "İstanbul", "STATE": "Kağıthane", "ADDRESS": "Merkez Mah.", "CLIENT_IP": "123.44.66.38"},
        "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": product, "PRODUCT_CATEGORY": "Genel",
                     "PRODUCT_DESCRIPTION": "Açıklama", "PRODUCT_AMOUNT": "150"}],
    }


def test_query_service_error_keeps_the_row_and_not_found_fails_it(sim) -> None:
    with tempfile.TemporaryDirectory() as d:
        c = journal_client(sim, d)
        ref = unique("PQE").replace("-", "")
        with pytest.raises(odeme.OutcomeUnknownError) as e:
            c.call("esnekpos.pay_3d", esnekpos_3d(ref, "sim:query-error"))
        assert e.value.reconcile_request == {"ORDER_REF_NUMBER": ref}
        [row] = c.reconcile()
        assert row["state"] == "outcome_unknown" and row["resolved"] is None
        assert "esnekpos.process_query failed" in row["message"]
        with pytest.raises(odeme.InvalidRequestError):
            c.call("esnekpos.pay_3d", esnekpos_3d(ref, "Kalem"))

        lost = unique("PNF").replace("-", "")
        with pytest.raises(odeme.OutcomeUnknownError):
            c.call("esnekpos.pay_3d", esnekpos_3d(lost, "sim:unbooked-drop"))
        rows = {r["reference"]: r for r in c.reconcile()}
        assert rows[lost]["state"] == "failed" and rows[lost]["resolved"] == "not_found"
        assert rows[ref]["state"] == "outcome_unknown"


def test_a_fresh_not_found_is_no_proof_within_the_settle_window(sim) -> None:
    with tempfile.TemporaryDirectory() as d:
        c = journal_client(sim, d, settle_s=3600)
        ref = unique("PSW").replace("-", "")
        with pytest.raises(odeme.OutcomeUnknownError):
            c.call("esnekpos.pay_3d", esnekpos_3d(ref, "sim:unbooked-drop"))
        [row] = c.reconcile()
        assert row["state"] == "outcome_unknown"
        assert "settle_s (3600 s)" in row["message"] and "reconcile again after" in row["message"]


def test_paymes_status_false_errors(sim) -> None:
    cfg = sim.config()
    cfg["paymes"] = dict(cfg["paymes"], public_key="wrong")
    with pytest.raises(odeme.AuthError) as e:
        odeme.Client(cfg).paymes.create_order(paymes_order(unique("py-pm401")))
    assert e.value.provider_message == "This action is unauthorized."
    assert e.value.http_status == 401
