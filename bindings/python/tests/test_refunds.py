"""Refunds and cancels against the simulator, over HTTP and over TLS: full and partial refunds and
a cancel on iyzico, the Paymes cancel, EsnekPOS returns (full and partial), over-refunds refused
before any I/O, a second cancel as the provider's error, and sim:refund-drop reconciled through
the declared operation with exactly one send in the simulator's log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List

import pytest

import odeme
from builders import esnekpos_request, iyzico_payment, paymes_order, unique


def paid_iyzico(client: odeme.Client, product: str = "Binocular") -> str:
    r = client.iyzico.create_payment(iyzico_payment(unique("pyrf"), product=product))
    assert r["outcome"]["type"] == "completed"
    return str(r["outcome"]["payment_id"])


def sent(sim, operation: str, ref: str) -> int:
    return sum(1 for r in sim.requests() if r["operation"] == operation and r["order_ref"] == ref)


def refunded(details: Dict[str, Any]) -> Decimal:
    refunds: List[Dict[str, Any]] = details["outcome"]["refunds"]
    return sum((Decimal(r["amount"]) for r in refunds), Decimal(0))


def run_iyzico(sim, client: odeme.Client) -> None:
    # Full refund.
    pid = paid_iyzico(client)
    r = client.iyzico.refund_payment({"paymentId": pid, "price": Decimal("1.20"), "currency": "TRY"})
    assert r["outcome"] == {"type": "refund", "state": "refunded", "amount": "1.2", "currency": "TRY", "payment_id": pid}
    d = client.iyzico.payment_details({"paymentId": pid})
    assert d["outcome"]["state"] == "refunded" and refunded(d) == Decimal("1.2")

    # Partial refund with the details passed, then an over-refund refused before any I/O.
    pid = paid_iyzico(client)
    d = client.iyzico.payment_details({"paymentId": pid})
    r = client.iyzico.refund_payment({"paymentId": pid, "price": "0.5", "details": d})
    assert r["outcome"]["state"] == "partially_refunded" and r["outcome"]["amount"] == "0.5"
    d = client.iyzico.payment_details({"paymentId": pid})
    assert d["outcome"]["state"] == "partially_refunded" and refunded(d) == Decimal("0.5")
    with pytest.raises(odeme.InvalidRequestError) as e:
        client.iyzico.refund_payment({"paymentId": pid, "price": "0.71", "details": d})
    assert e.value.field == "price"
    assert sent(sim, "iyzico.refund_payment", pid) == 1
    with pytest.raises(odeme.ProviderError) as pe:
        client.iyzico.refund_payment({"paymentId": pid, "price": "0.71"})
    assert pe.value.provider_code == "5094"
    with pytest.raises(odeme.InvalidRequestError):
        client.iyzico.refund_payment({"paymentId": pid, "price": 0.5})  # a float cannot hold money

    # Cancel, then a second cancel: iyzico's error.
    pid = paid_iyzico(client)
    r = client.iyzico.cancel_payment({"paymentId": pid, "ip": "85.34.78.112", "reason": "other", "description": "test"})
    assert r["outcome"]["type"] == "refund" and r["outcome"]["state"] == "cancelled" and r["outcome"]["amount"] == "1.2"
    d = client.iyzico.payment_details({"paymentId": pid})
    assert d["outcome"]["state"] == "cancelled" and d["outcome"]["cancelled"] is True
    with pytest.raises(odeme.ProviderError) as pe:
        client.iyzico.cancel_payment({"paymentId": pid})
    assert pe.value.provider_code == "5093"
    assert sent(sim, "iyzico.cancel_payment", pid) == 2

    # The refund's reply is lost: outcome unknown, reconciled as declared, sent once.
    pid = paid_iyzico(client, product="sim:refund-drop")
    with pytest.raises(odeme.OutcomeUnknownError) as ue:
        client.iyzico.refund_payment({"paymentId": pid, "price": "0.4"})
    assert ue.value.reconcile_with == "iyzico.payment_details"
    assert ue.value.reconcile_request == {"paymentId": pid}
    d = client.call(ue.value.reconcile_with, ue.value.reconcile_request)
    assert d["outcome"]["state"] == "partially_refunded" and refunded(d) == Decimal("0.4")
    assert sent(sim, "iyzico.refund_payment", pid) == 1


def run_paymes(sim, client: odeme.Client) -> None:
    def paid_order() -> str:
        r = client.paymes.create_order(paymes_order(unique("pmrf")))
        sim.visit(r["outcome"]["url"])
        return str(r["outcome"]["provider_order_id"])

    pid = paid_order()
    r = client.paymes.cancel_order({"paymesOrderId": pid, "price": "1050"})
    assert r["outcome"]["type"] == "refund" and r["outcome"]["amount"] == "1050.00" and r["outcome"]["payment_id"] == pid
    assert client.paymes.query_order({"paymesOrderId": pid})["outcome"]["state"] == "cancelled"
    with pytest.raises(odeme.ProviderError):
        client.paymes.cancel_order({"paymesOrderId": pid, "price": "1050"})
    assert sent(sim, "paymes.cancel_order", pid) == 2

    pid = paid_order()
    r = client.paymes.cancel_order({"paymesOrderId": pid, "price": "50", "refundable": "1050"})
    assert r["outcome"]["state"] == "partially_refunded"
    with pytest.raises(odeme.InvalidRequestError) as e:
        client.paymes.cancel_order({"paymesOrderId": pid, "price": "1000.01", "refundable": "1000"})
    assert e.value.field == "price"
    assert sent(sim, "paymes.cancel_order", pid) == 1


def run_esnekpos(sim, client: odeme.Client) -> None:
    def paid() -> tuple:
        r = client.esnekpos.send_payment_request(esnekpos_request())
        page = sim.visit(r["outcome"]["url"])
        return page["ORDER_REF_NO"], r["outcome"]["request_id"]

    order, link = paid()
    r = client.esnekpos.return_order({"ORDER_REF_NUMBER": order, "AMOUNT": "10.56"})
    assert r["outcome"]["type"] == "refund" and r["outcome"]["amount"] == "10.56" and r["outcome"]["refund_id"]
    assert client.esnekpos.query_payment_request({"SEND_PAYMENT_REQUEST_ID": link})["outcome"]["state"] == "cancelled"

    order, link = paid()
    r = client.esnekpos.return_order({"ORDER_REF_NUMBER": order, "AMOUNT": Decimal("4"), "refundable": "10.56"})
    assert r["outcome"]["state"] == "partially_refunded" and r["outcome"]["amount"] == "4.00"
    with pytest.raises(odeme.ProviderError) as pe:
        client.esnekpos.return_order({"ORDER_REF_NUMBER": order, "AMOUNT": "6.57"})
    assert pe.value.provider_code == "100"
    r = client.esnekpos.return_order({"ORDER_REF_NUMBER": order, "AMOUNT": "6.56", "refundable": "6.56"})
    assert r["outcome"]["state"] == "refunded"
    assert client.esnekpos.query_payment_request({"SEND_PAYMENT_REQUEST_ID": link})["outcome"]["state"] == "refunded"
    assert sent(sim, "esnekpos.return_order", order) == 3


@pytest.mark.parametrize("which", ["sim", "tls_sim"])
def test_refunds_and_cancels(request, which: str) -> None:
    sim = request.getfixturevalue(which)
    client = odeme.Client(sim.config())
    run_iyzico(sim, client)
    run_paymes(sim, client)
    run_esnekpos(sim, client)
