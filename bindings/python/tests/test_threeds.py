"""Issue 11 from Python: iyzico 3-D Secure, the checkout form, BIN and installment lookups and
EsnekPOS 3-D, against odeme-sim; and the standard-library example shop (examples/python/threeds.py)
driven end to end."""

from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal
from typing import Any, Dict, Tuple

import pytest

import odeme
from builders import INSUFFICIENT_FUNDS, SUCCESS, iyzico_payment, unique
from conftest import ROOT

MD_STATUS_0 = "4131111111111117"
MD_STATUS_4 = "4141111111111115"


def init_request(conv: str, card: str = SUCCESS, product: str = "Binocular") -> Dict[str, Any]:
    r = iyzico_payment(conv, card=card, product=product)
    r["callbackUrl"] = "https://shop.example/iyzico/3ds-callback"
    return r


def authenticate(sim, client, conv: str, card: str = SUCCESS, product: str = "Binocular") -> Tuple[str, Dict[str, Any]]:
    r = client.iyzico.init_3ds(init_request(conv, card, product))
    assert r["outcome"]["type"] == "html"
    payment_id = r["outcome"]["payment_id"]
    action = re.search(r'action="([^"]+)"', r["outcome"]["html"]).group(1)
    assert action.endswith("/pay/iyzico3ds/" + payment_id)
    return payment_id, sim.visit(action)


def complete(payment_id: str, conv: str) -> Dict[str, Any]:
    return {"paymentId": payment_id, "paidPrice": Decimal("1.2"), "basketId": "B67832", "currency": "TRY",
            "conversationId": conv}


def details_state(client, **by: str) -> str:
    return client.iyzico.payment_details(by)["outcome"]["state"]


@pytest.mark.parametrize("tls", [False, True])
def test_3ds_success_once(request, tls: bool) -> None:
    sim = request.getfixturevalue("tls_sim" if tls else "sim")
    client = odeme.Client(sim.config())
    conv = unique("py3ds")
    payment_id, posted = authenticate(sim, client, conv)
    cb = client.iyzico.verify_3ds_callback(posted)["outcome"]
    assert cb == {"type": "callback", "state": "authenticated", "md_status": "1", "payment_id": payment_id,
                  "conversation_id": conv, "conversation_data": None}
    done = client.iyzico.complete_3ds(complete(payment_id, conv))
    assert done["outcome"]["type"] == "completed" and done["outcome"]["paid_price"] == "1.2"
    assert details_state(client, paymentConversationId=conv) == "paid"
    with pytest.raises(odeme.ProviderError) as e:
        client.iyzico.complete_3ds(complete(payment_id, conv))
    assert e.value.provider_code


@pytest.mark.parametrize("card,md", [(MD_STATUS_0, "0"), (MD_STATUS_4, "4")])
def test_md_status_failures_are_never_completed(sim, client, card: str, md: str) -> None:
    conv = unique("pymd")
    payment_id, posted = authenticate(sim, client, conv, card)
    cb = client.iyzico.verify_3ds_callback(posted)["outcome"]
    assert (cb["state"], cb["md_status"]) == ("failed", md)
    assert not any(r["operation"] == "iyzico.complete_3ds" and r["order_ref"] == conv for r in sim.requests())
    assert details_state(client, paymentId=payment_id) != "paid"
    with pytest.raises(odeme.ProviderError):
        client.iyzico.complete_3ds(complete(payment_id, conv))
    assert details_state(client, paymentConversationId=conv) != "paid"


def test_tampered_callback_is_a_signature_error(sim, client) -> None:
    _, posted = authenticate(sim, client, unique("pytamper"), MD_STATUS_0)
    forged = dict(posted, mdStatus="1")
    with pytest.raises(odeme.SignatureError):
        client.iyzico.verify_3ds_callback(forged)
    with pytest.raises(odeme.SignatureError):
        client.iyzico.verify_3ds_callback({k: v for k, v in posted.items() if k != "signature"})


def test_lost_completion_is_reconciled_through_payment_details(sim, client) -> None:
    conv = unique("pylost")
    payment_id, posted = authenticate(sim, client, conv, product="sim:complete-drop")
    client.iyzico.verify_3ds_callback(posted)
    with pytest.raises(odeme.OutcomeUnknownError) as e:
        client.iyzico.complete_3ds(complete(payment_id, conv))
    assert e.value.reconcile_with == "iyzico.payment_details"
    assert e.value.reconcile_request == {"paymentId": payment_id}
    assert client.call(e.value.reconcile_with, e.value.reconcile_request)["outcome"]["state"] == "paid"


def test_checkout_form_paid(sim, client) -> None:
    conv = unique("pycf")
    req = iyzico_payment(conv)
    for k in ("paymentCard", "installment", "paymentChannel"):
        req.pop(k)
    req["callbackUrl"] = "https://shop.example/iyzico/cf-callback"
    form = client.iyzico.init_checkout_form(req)["outcome"]
    assert form["type"] == "checkout_form" and form["token"] in form["html"]
    assert client.iyzico.retrieve_checkout_form({"token": form["token"]})["outcome"]["state"] == "pending"
    assert sim.visit(form["url"]) == {"token": form["token"]}
    s = client.iyzico.retrieve_checkout_form({"token": form["token"]})["outcome"]
    assert (s["state"], s["order_id"], s["amount"]) == ("paid", conv, "1.2")


def test_bin_and_installments_for_the_sandbox_cards(client) -> None:
    info = client.iyzico.bin_check({"binNumber": SUCCESS[:6]})["outcome"]
    assert info == {"type": "card_info", "bin": "552879", "card_type": "CREDIT_CARD", "association": "MASTER_CARD",
                    "family": "Paraf", "bank_name": "Halkbank", "commercial": False}
    opts = client.iyzico.installments({"binNumber": "552879", "price": Decimal("100")})["outcome"]["options"]
    assert [i["count"] for i in opts[0]["installments"]] == [1, 2, 3, 6, 9, 12]
    assert opts[0]["installments"][1] == {"count": 2, "total_price": "101.36", "installment_price": "50.68"}
    with pytest.raises(odeme.InvalidRequestError) as e:
        client.iyzico.bin_check({"binNumber": SUCCESS})
    assert e.value.field == "binNumber" and SUCCESS not in str(e.value)


def esnekpos_request(card: str, product: str = "Kalem", reference: Any = None) -> Dict[str, Any]:
    r: Dict[str, Any] = {
        "Config": {"BACK_URL": "https://shop.example/esnekpos/back", "PRICES_CURRENCY": "TRY",
                   "ORDER_AMOUNT": Decimal("150")},
        "CreditCard": {"CC_NUMBER": card, "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": "000",
                       "CC_OWNER": "TEST USER", "INSTALLMENT_NUMBER": "1"},
        "Customer": {"FIRST_NAME": "Ada", "LAST_NAME": "Yılmaz", "MAIL": "ada@example.com", "PHONE": "05435434343",
                     "CITY": "İstanbul", "STATE": "Kağıthane", "ADDRESS": "Merkez", "CLIENT_IP": "123.44.66.38"},
        "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": product, "PRODUCT_CATEGORY": "Genel",
                     "PRODUCT_AMOUNT": "150"}],
    }
    if reference:
        r["Config"]["ORDER_REF_NUMBER"] = reference
    return r


@pytest.mark.parametrize("card,state", [(SUCCESS, "paid"), (INSUFFICIENT_FUNDS, "failed")])
def test_esnekpos_3d(sim, client, card: str, state: str) -> None:
    r = client.esnekpos.pay_3d(esnekpos_request(card))["outcome"]
    reference = r["order_id"]
    assert r["type"] == "redirect" and len(reference) <= 24
    sim.visit(r["url"])
    s = client.esnekpos.process_query({"ORDER_REF_NUMBER": reference})["outcome"]
    assert s["state"] == state


def test_esnekpos_lost_reply_carries_the_generated_reference(client) -> None:
    with pytest.raises(odeme.OutcomeUnknownError) as e:
        client.esnekpos.pay_3d(esnekpos_request(SUCCESS, product="sim:drop"))
    assert e.value.reconcile_with == "esnekpos.process_query"
    ref = e.value.reconcile_request["ORDER_REF_NUMBER"]
    assert client.esnekpos.process_query({"ORDER_REF_NUMBER": ref})["outcome"]["state"] == "pending"


def _load_example():
    path = ROOT / "examples" / "python" / "threeds.py"
    spec = importlib.util.spec_from_file_location("threeds_example", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["threeds_example"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("tls", [False, True])
def test_the_example_shop_end_to_end(request, tls: bool) -> None:
    sim = request.getfixturevalue("tls_sim" if tls else "sim")
    example = _load_example()
    shop = example.Shop(odeme.Client(sim.config()))
    server = example.serve(shop)
    try:
        card = {"cardHolderName": "Ayşe Yılmaz", "cardNumber": SUCCESS, "expireMonth": "12", "expireYear": "2030",
                "cvc": "123"}
        order = unique("shop")
        page = shop.start_payment(order, card, Decimal("149.90"))
        answer = example.payer_completes_3ds(page, shop.callback_url, sim.ca_pem)
        assert "Payment paid" in answer and shop.orders[order]["state"] == "paid"
        assert details_state(shop.client, paymentConversationId=order) == "paid"
        failed = unique("shop")
        page = shop.start_payment(failed, dict(card, cardNumber=MD_STATUS_4), Decimal("20"))
        example.payer_completes_3ds(page, shop.callback_url, sim.ca_pem)
        assert shop.orders[failed]["state"] == "failed" and shop.orders[failed]["md_status"] == "4"
        assert not any(r["operation"] == "iyzico.complete_3ds" and r["order_ref"] == failed for r in sim.requests())
        # A forged callback is rejected with 400.
        forged = unique("shop")
        page = shop.start_payment(forged, dict(card, cardNumber=MD_STATUS_0), Decimal("20"))
        assert shop.on_callback({"status": "success", "paymentId": shop.orders[forged]["payment_id"],
                                 "conversationId": forged, "mdStatus": "1", "signature": "00" * 32}) == "rejected"
        assert shop.orders[forged]["state"] == "awaiting_3ds"
        # The completion's reply is lost: reconciled, not completed twice.
        lost = unique("shop")
        page = shop.start_payment(lost, card, Decimal("20"), item="sim:complete-drop")
        example.payer_completes_3ds(page, shop.callback_url, sim.ca_pem)
        assert shop.orders[lost]["state"] == "paid"
    finally:
        server.shutdown()
