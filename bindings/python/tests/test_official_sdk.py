"""A merchant's existing code: the official iyzipay Python SDK (1.0.46, from PyPI) against
odeme-sim over TLS, class by class, its own signature helper checking the replies it can.

Covers what odeme's iyzico operations cover: payment and its detail, 3-D Secure v1 and v2,
refund v1 (by paymentTransactionId) and v2, cancel, the checkout form (the SDK's
`/initialize/ecom` path), BIN check, installments, the reporting API, pre-authorization with
its capture, and card storage.
"""

from __future__ import annotations

import json
import ssl
from typing import Any, Dict

import iyzipay  # type: ignore[import-untyped]
from iyzipay.iyzipay_resource import IyzipayResource  # type: ignore[import-untyped]
import pytest

from builders import iyzico_payment, unique

SECRET = "sim-iyzico-secret-key"


@pytest.fixture()
def options(tls_sim, monkeypatch) -> Dict[str, str]:
    # The SDK opens http.client.HTTPSConnection(base_url) with Python's default context: make
    # that context trust the simulator's CA, as a merchant would trust iyzico's.
    ca = tls_sim.ca_pem
    monkeypatch.setattr(ssl, "_create_default_https_context", lambda: ssl.create_default_context(cadata=ca))
    host = tls_sim.base_url.removeprefix("https://")
    return {"api_key": "sim-iyzico-api-key", "secret_key": SECRET, "base_url": host}


def payment_request(conversation_id: str) -> Dict[str, Any]:
    """The suite's iyzico request with plain strings for amounts, as the SDK's users write it."""
    return json.loads(json.dumps(iyzico_payment(conversation_id), default=str))


def read(resp: Any) -> Dict[str, Any]:
    body = json.loads(resp.read().decode("utf-8"))
    assert body.get("status") == "success", body
    return body


def sdk_signature(fields: list) -> str:
    return IyzipayResource.calculate_hmac_sha256_signature([str(f) for f in fields], SECRET)


def strip(amount: Any) -> str:
    """The SDK samples' rule for amounts in signatures: the JSON number's text, `.0` removed."""
    return IyzipayResource.strip_zero(str(amount))


def payment_signature(p: Dict[str, Any]) -> str:
    return sdk_signature([p["paymentId"], p["currency"], p["basketId"], p["conversationId"],
                          strip(p["paidPrice"]), strip(p["price"])])


def test_payment_detail_refunds_cancel_and_reporting(tls_sim, options) -> None:
    p = read(iyzipay.Payment().create(payment_request(unique("sdk-pay")), options))
    assert p["signature"] == payment_signature(p)
    detail = read(iyzipay.Payment().retrieve({"paymentId": p["paymentId"]}, options))
    assert detail["paymentId"] == p["paymentId"] and detail["paymentStatus"] == "SUCCESS"

    # Refund v1 by the first basket line's paymentTransactionId, then v2 by paymentId.
    tx = p["itemTransactions"][0]["paymentTransactionId"]
    r1 = read(iyzipay.Refund().create({"paymentTransactionId": tx, "price": "0.1", "ip": "85.34.78.112",
                                       "currency": "TRY", "conversationId": "r-1"}, options))
    assert r1["paymentTransactionId"] == tx and str(r1["paymentId"]) == str(p["paymentId"])
    r2 = read(iyzipay.Payment().refund({"paymentId": p["paymentId"], "price": "0.2", "ip": "85.34.78.112",
                                        "currency": "TRY", "conversationId": "r-2"}, options))
    # The v2 refund reply's signature (iyzipay-java Refund.verifySignature's order).
    assert r2["signature"] == sdk_signature([r2["paymentId"], strip(r2["price"]), r2["currency"], "r-2"])

    report = read(iyzipay.RetrievePaymentDetails().retrieve({"paymentId": p["paymentId"]}, options))
    [reported] = report["payments"]
    assert reported["paymentRefundStatus"] == "PARTIALLY_REFUNDED" and reported["threeDS"] is False

    other = read(iyzipay.Payment().create(payment_request(unique("sdk-cancel")), options))
    c = read(iyzipay.Cancel().create({"paymentId": other["paymentId"], "ip": "85.34.78.112"}, options))
    assert str(c["paymentId"]) == str(other["paymentId"])


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_threeds_v1_and_v2(tls_sim, options, version: str) -> None:
    req = payment_request(unique(f"sdk-3ds-{version}"))
    req["callbackUrl"] = "https://shop.example/cb"
    init = read(iyzipay.ThreedsInitialize().create(req, options))
    assert init["signature"] == sdk_signature([init["paymentId"], init["conversationId"]])
    tls_sim.visit(f"{tls_sim.base_url}/pay/iyzico3ds/{init['paymentId']}")
    if version == "v1":
        done = read(iyzipay.ThreedsPayment().create({"paymentId": init["paymentId"], "conversationData": ""}, options))
    else:
        done = read(iyzipay.ThreedsV2Payment().create({"paymentId": init["paymentId"], "paidPrice": req["paidPrice"],
                                                       "basketId": req["basketId"], "currency": "TRY"}, options))
    assert done["signature"] == payment_signature(done)
    report = read(iyzipay.RetrievePaymentDetails().retrieve({"paymentId": init["paymentId"]}, options))
    assert report["payments"][0]["threeDS"] is True


def test_checkout_form_bin_and_installments(tls_sim, options) -> None:
    req = payment_request(unique("sdk-cf"))
    for card_field in ("paymentCard", "installment", "paymentChannel"):
        req.pop(card_field, None)
    req["callbackUrl"] = "https://shop.example/cf"
    form = read(iyzipay.CheckoutFormInitialize().create(req, options))
    assert form["signature"] == sdk_signature([form["conversationId"], form["token"]])
    tls_sim.visit(form["paymentPageUrl"])
    result = read(iyzipay.CheckoutForm().retrieve({"token": form["token"]}, options))
    assert result["paymentStatus"] == "SUCCESS"
    assert result["signature"] == sdk_signature([
        result["paymentStatus"], result["paymentId"], result["currency"], result["basketId"],
        result["conversationId"], strip(result["paidPrice"]), strip(result["price"]), result["token"]])
    b = read(iyzipay.BinNumber().retrieve({"binNumber": "552879"}, options))
    assert b["bankName"]
    i = read(iyzipay.InstallmentInfo().retrieve({"binNumber": "552879", "price": "100"}, options))
    assert i["installmentDetails"][0]["installmentPrices"]


def test_preauth_capture_and_cards(tls_sim, options) -> None:
    pre = read(iyzipay.PaymentPreAuth().create(payment_request(unique("sdk-pre")), options))
    assert pre["phase"] == "PRE_AUTH" and pre["signature"] == payment_signature(pre)
    post = read(iyzipay.PaymentPostAuth().create({"paymentId": pre["paymentId"], "paidPrice": "1.0",
                                                  "ip": "85.34.78.112", "currency": "TRY"}, options))
    assert post["phase"] == "POST_AUTH" and post["signature"] == payment_signature(post)

    card = read(iyzipay.Card().create({"email": "email@email.com", "card": {
        "cardAlias": "sdk", "cardNumber": "5528790000000008", "expireYear": "2030", "expireMonth": "12",
        "cardHolderName": "John Doe"}}, options))
    listed = read(iyzipay.CardList().retrieve({"cardUserKey": card["cardUserKey"]}, options))
    assert [c["cardToken"] for c in listed["cardDetails"]] == [card["cardToken"]]
    read(iyzipay.Card().delete({"cardUserKey": card["cardUserKey"], "cardToken": card["cardToken"]}, options))
