"""Answers to "did the money move?" that follow the providers' documents (issue 15)."""

import pytest

import odeme
from builders import esnekpos_request, paymago_order, unique


def test_paymago_order_result_requires_payment_id(sim, client) -> None:
    # Paymago documents paymentId as required: without it a real order reads "İşlem Bulunamadı",
    # so odeme refuses the query before any I/O instead of reporting the order as not found.
    r = client.paymago.create_order(paymago_order())
    order_id = r["outcome"]["order_id"]
    before = len(sim.requests())
    for request in ({"orderId": order_id}, {"orderId": order_id, "paymentId": ""}):
        with pytest.raises(odeme.InvalidRequestError) as e:
            client.paymago.order_result(request)
        assert e.value.field == "paymentId"
    assert len(sim.requests()) == before


def test_paymago_lost_create_reply_has_no_api_reconciliation(sim, client) -> None:
    with pytest.raises(odeme.OutcomeUnknownError) as e:
        client.paymago.create_order(paymago_order(unique("pgd"), product="sim:drop"))
    assert e.value.reconcile_with is None and e.value.reconcile_request is None
    assert "callback" in str(e.value)


def test_esnekpos_link_paid_twice_reports_both_payments(sim, client) -> None:
    link = client.esnekpos.send_payment_request(esnekpos_request())["outcome"]
    sim.visit(link["url"])
    sim.visit(link["url"])
    q = client.esnekpos.query_payment_request({"SEND_PAYMENT_REQUEST_ID": link["request_id"]})
    status = q["outcome"]
    assert (status["state"], status["amount"]) == ("paid", "21,12")
    payments = status["payments"]
    assert [(p["state"], p["paid_price"]) for p in payments] == [("paid", "10,56"), ("paid", "10,56")]
    refs = [p["payment_id"] for p in payments]
    assert all(refs) and refs[0] != refs[1]
    assert "paid 2 times" in status["message"] and refs[0] in status["message"]
