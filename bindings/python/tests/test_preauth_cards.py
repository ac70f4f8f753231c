"""Authorize now, capture later; stored cards (issue 33), from Python against odeme-sim."""

from __future__ import annotations

import pathlib
import tempfile
from decimal import Decimal

import pytest

import odeme
from builders import iyzico_payment, unique


def details_state(client: odeme.Client, payment_id: str) -> str:
    return client.iyzico.payment_details({"paymentId": payment_id})["outcome"]["state"]


def capture(payment_id: str, amount: str) -> dict:
    return {"paymentId": payment_id, "paidPrice": amount, "ip": "85.34.78.112", "currency": "TRY"}


def test_preauth_capture_part_then_a_second_capture_is_refused(sim) -> None:
    with tempfile.TemporaryDirectory() as d:
        c = odeme.Client(sim.config(journal={"path": str(pathlib.Path(d) / "j.sqlite3"), "settle_s": 0}))
        r = c.iyzico.preauth_payment(iyzico_payment(unique("py-pa")))
        assert r["outcome"]["type"] == "authorized"
        pid = r["outcome"]["payment_id"]
        assert details_state(c, pid) == "authorized"
        r = c.iyzico.capture_payment(capture(pid, "1.00"))
        assert r["outcome"]["type"] == "completed"
        assert Decimal(r["outcome"]["paid_price"]) == Decimal("1.00")
        assert details_state(c, pid) == "paid"
        with pytest.raises(odeme.InvalidRequestError) as e:
            c.iyzico.capture_payment(capture(pid, "0.10"))
        assert e.value.field == "paymentId"
        sent = [x for x in sim.requests() if x["operation"] == "iyzico.capture_payment" and x["order_ref"] == pid]
        assert len(sent) == 1


def test_release_and_threeds_preauth(sim, client) -> None:
    r = client.iyzico.preauth_payment(iyzico_payment(unique("py-rel")))
    pid = r["outcome"]["payment_id"]
    r = client.iyzico.cancel_payment({"paymentId": pid, "ip": "85.34.78.112"})
    assert r["outcome"]["state"] == "cancelled"
    assert details_state(client, pid) == "cancelled"

    req = iyzico_payment(unique("py-3dpa"))
    req["callbackUrl"] = "https://shop.example/cb"
    r = client.iyzico.init_3ds_preauth(req)
    pid = r["outcome"]["payment_id"]
    sim.visit(f"{sim.base_url}/pay/iyzico3ds/{pid}")
    r = client.iyzico.complete_3ds({"paymentId": pid, "paidPrice": req["paidPrice"], "basketId": req["basketId"],
                                    "currency": "TRY"})
    assert r["outcome"]["type"] == "authorized"
    r = client.iyzico.capture_payment(capture(pid, req["paidPrice"]))
    assert r["outcome"]["type"] == "completed"


def test_a_dropped_capture_is_outcome_unknown_and_reconciled(sim, client) -> None:
    r = client.iyzico.preauth_payment(iyzico_payment(unique("py-cd"), product="sim:capture-drop"))
    pid = r["outcome"]["payment_id"]
    with pytest.raises(odeme.OutcomeUnknownError) as e:
        client.iyzico.capture_payment(capture(pid, "1.00"))
    assert e.value.reconcile_with == "iyzico.payment_details"
    assert e.value.reconcile_request == {"paymentId": pid}
    assert details_state(client, pid) == "paid"


def test_store_list_pay_by_token_delete(sim, client) -> None:
    r = client.iyzico.store_card({"email": "email@email.com", "externalId": unique("py-cust"),
                                  "card": {"cardAlias": "iş", "cardNumber": "5528790000000008",
                                           "expireYear": "2030", "expireMonth": "12", "cardHolderName": "John Doe"}})
    card = r["outcome"]
    assert card["type"] == "card" and card["last_four"] == "0008"
    keys = {"cardUserKey": card["card_user_key"], "cardToken": card["card_token"]}
    listed = client.iyzico.list_cards({"cardUserKey": card["card_user_key"]})["outcome"]["cards"]
    assert [x["card_token"] for x in listed] == [card["card_token"]]
    req = iyzico_payment(unique("py-tok"))
    req["paymentCard"] = keys
    assert client.iyzico.create_payment(req)["outcome"]["type"] == "completed"
    assert client.iyzico.delete_card(keys)["outcome"]["type"] == "card_deleted"
    req = iyzico_payment(unique("py-gone"))
    req["paymentCard"] = keys
    with pytest.raises(odeme.ProviderError) as e:
        client.iyzico.create_payment(req)
    text = f"{e.value} {e.value!r} {vars(e.value)}"
    assert card["card_token"] not in text and card["card_user_key"] not in text
