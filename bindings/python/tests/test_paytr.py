"""PayTR through the generic `client.call`: tokens against Python's own `hmac`, the iFrame flow
end to end against odeme-sim, a lost get-token reply and its reconciliation, and the journal's
duplicate callbacks.

The core's paytr_token is not exposed as a helper; what odeme sends is checked by the simulator,
which recomputes every token with its own HMAC and refuses any that differs. The tests below post
the same inputs twice, once through odeme and once with a token computed here with `hmac`
(PayTR's published formula): both accepted means odeme's token equals the formula's. The
callback's hash is compared directly: odeme accepts exactly the hash computed here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import pathlib
import random
import tempfile
import urllib.parse
import urllib.request
from typing import Any, Dict, List

import pytest

import odeme
from builders import unique

MERCHANT_ID = "100000"
KEY = "sim-paytr-merchant-key"
SALT = "sim-paytr-merchant-salt"


def paytr_token(*parts: str) -> str:
    """base64(HMAC-SHA256(merchant_key, parts... + merchant_salt)), as PayTR's PHP samples."""
    message = "".join(parts) + SALT
    return base64.b64encode(hmac.new(KEY.encode(), message.encode(), hashlib.sha256).digest()).decode()


def callback_hash(oid: str, status: str, total: str) -> str:
    message = oid + SALT + status + total
    return base64.b64encode(hmac.new(KEY.encode(), message.encode(), hashlib.sha256).digest()).decode()


def oid(prefix: str) -> str:
    return unique(prefix).replace("-", "x")


def iframe_request(merchant_oid: str, first_item: str = "Örnek ürün", kurus: int = 3456) -> Dict[str, Any]:
    return {
        "user_ip": "85.34.78.112", "merchant_oid": merchant_oid, "email": "ayşe@örnek.com.tr",
        "payment_amount": kurus, "user_basket": [[first_item, "18.00", 1], ["Çay", "16.56", 1]],
        "no_installment": 0, "max_installment": 0, "user_name": "Ayşe Yılmaz",
        "user_address": "İstiklal Cd. 1, İstanbul", "user_phone": "05555555555",
        "merchant_ok_url": "https://shop.example/ok", "merchant_fail_url": "https://shop.example/fail",
    }


def post_form(url: str, fields: Dict[str, str]) -> Dict[str, Any]:
    body = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req) as r:  # noqa: S310 (loopback only)
        return json.loads(r.read())


TURKISH = "ğüşıöçĞÜŞİÖÇ âî"


def random_text(rng: random.Random, n: int) -> str:
    alphabet = TURKISH + "abcdefghijklmnopqrstuvwxyz0123456789 &=+%/\"'"
    return "".join(rng.choice(alphabet) for _ in range(n)).strip() or "ü"


def test_iframe_tokens_equal_pythons_hmac_on_random_turkish_inputs(sim, client) -> None:
    rng = random.Random(20261207)
    for i in range(12):
        name = random_text(rng, rng.randint(1, 30))
        price = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
        kurus = rng.randint(1, 10_000_000)
        email = f"{random_text(rng, 6).replace(' ', '')}@örnek{i}.com.tr"
        no_inst = rng.randint(0, 1)
        max_inst = rng.randint(0, 12)
        basket = [[name, price, rng.randint(1, 5)]]

        # Through odeme: the simulator books it only if odeme's token is the formula's.
        mine = oid(f"py{i}")
        req = iframe_request(mine, kurus=kurus)
        req.update({"email": email, "user_basket": basket, "no_installment": no_inst, "max_installment": max_inst})
        r = client.call("paytr.create_iframe_token", req)
        assert r["outcome"]["type"] == "iframe"
        assert r["outcome"]["url"] == f"{sim.base_url}/odeme/guvenli/{r['outcome']['token']}"

        # The same inputs with a token made here: accepted too, and a token off by one byte is not.
        theirs = oid(f"ph{i}")
        b64 = base64.b64encode(json.dumps(basket, ensure_ascii=False, separators=(",", ":")).encode()).decode()
        fields = {
            "merchant_id": MERCHANT_ID, "user_ip": req["user_ip"], "merchant_oid": theirs, "email": email,
            "payment_amount": str(kurus), "user_basket": b64, "no_installment": str(no_inst),
            "max_installment": str(max_inst), "currency": "TL", "test_mode": "1",
            "user_name": req["user_name"], "user_address": req["user_address"], "user_phone": req["user_phone"],
            "merchant_ok_url": req["merchant_ok_url"], "merchant_fail_url": req["merchant_fail_url"],
        }
        fields["paytr_token"] = paytr_token(
            MERCHANT_ID, req["user_ip"], theirs, email, str(kurus), b64, str(no_inst), str(max_inst), "TL", "1")
        assert post_form(sim.base_url + "/odeme/api/get-token", fields)["status"] == "success"
        fields["merchant_oid"] = theirs + "x"
        assert post_form(sim.base_url + "/odeme/api/get-token", fields) == {
            "status": "failed", "reason": "paytr_token gonderilmedi veya gecersiz"}


def test_callback_hash_equals_pythons_hmac_on_random_turkish_inputs(client) -> None:
    rng = random.Random(7)
    for _ in range(20):
        merchant_oid = "".join(rng.choice("abcXYZ0123456789") for _ in range(rng.randint(1, 64)))
        status = rng.choice(["success", "failed"])
        total = str(rng.randint(1, 10**9))
        fields = {"merchant_oid": merchant_oid, "status": status, "total_amount": total,
                  "hash": callback_hash(merchant_oid, status, total),
                  "failed_reason_msg": random_text(rng, 20), "payment_type": "card", "currency": "TL"}
        r = client.call("paytr.verify_callback", fields)
        assert r["outcome"]["state"] == ("paid" if status == "success" else "failed")
        assert r["outcome"]["reply"] == "OK"
        fields["total_amount"] = total + "0"
        with pytest.raises(odeme.SignatureError):
            client.call("paytr.verify_callback", fields)


def test_iframe_pay_callback_status_and_refunds_end_to_end(sim, client) -> None:
    merchant_oid = oid("pye2e")
    r = client.call("paytr.create_iframe_token", iframe_request(merchant_oid))
    fields = sim.visit(r["outcome"]["url"])
    assert fields["status"] == "success" and fields["total_amount"] == "3456"
    # The simulator's callback hash is PayTR's formula, computed here independently.
    assert fields["hash"] == callback_hash(merchant_oid, "success", "3456")

    v = client.call("paytr.verify_callback", fields)
    assert v["operation"] == "paytr.verify_callback"
    assert v["outcome"]["type"] == "notification" and v["outcome"]["state"] == "paid"
    assert v["outcome"]["order_id"] == merchant_oid and v["outcome"]["reply"] == "OK"
    assert v["outcome"]["duplicate"] is False
    with pytest.raises(odeme.SignatureError):
        client.call("paytr.verify_callback", {**fields, "total_amount": "999999"})

    q = client.call("paytr.query_order", {"merchant_oid": merchant_oid})
    assert q["outcome"]["state"] == "paid" and q["outcome"]["amount"] == "34.56"

    refund = client.call("paytr.refund", {"merchant_oid": merchant_oid, "return_amount": "4.56"})
    assert refund["outcome"]["type"] == "refund" and refund["outcome"]["amount"] == "4.56"
    q = client.call("paytr.query_order", {"merchant_oid": merchant_oid})
    assert q["outcome"]["state"] == "partially_refunded"
    assert [x["amount"] for x in q["outcome"]["refunds"]] == ["4.56"]

    with pytest.raises(odeme.ProviderError) as pe:
        client.call("paytr.refund", {"merchant_oid": merchant_oid, "return_amount": "30.01"})
    assert pe.value.provider_code == "009"
    with pytest.raises(odeme.InvalidRequestError) as ie:
        client.call("paytr.refund", {"merchant_oid": merchant_oid, "return_amount": "30.01", "refundable": "30.00"})
    assert ie.value.field == "return_amount"


def test_a_lost_token_reply_is_outcome_unknown_sent_once_and_reconciled(sim, client) -> None:
    merchant_oid = oid("pydrop")
    with pytest.raises(odeme.OutcomeUnknownError) as e:
        client.call("paytr.create_iframe_token", iframe_request(merchant_oid, first_item="sim:drop"))
    assert e.value.reconcile_with == "paytr.query_order"
    assert e.value.reconcile_request == {"merchant_oid": merchant_oid}
    sent = [x for x in sim.requests() if x["operation"] == "paytr.create_iframe_token" and x["order_ref"] == merchant_oid]
    assert len(sent) == 1
    q = client.call(e.value.reconcile_with, e.value.reconcile_request)
    assert q["outcome"]["state"] == "pending"  # booked, nobody paid
    sim.visit(f"{sim.base_url}/__sim/webhook/paytr/{merchant_oid}")  # the payer completes
    q = client.call(e.value.reconcile_with, e.value.reconcile_request)
    assert q["outcome"]["state"] == "paid"


def test_with_a_journal_the_same_callback_twice_is_a_duplicate(sim) -> None:
    with tempfile.TemporaryDirectory() as d:
        c = odeme.Client(sim.config(journal={"path": str(pathlib.Path(d) / "j.sqlite3")}))
        merchant_oid = oid("pydup")
        with pytest.raises(odeme.OutcomeUnknownError):
            c.call("paytr.create_iframe_token", iframe_request(merchant_oid, first_item="sim:drop"))
        assert [row["reference"] for row in c.pending()] == [merchant_oid]
        delivery = sim.visit(f"{sim.base_url}/__sim/webhook/paytr/{merchant_oid}")
        body = delivery["body"].encode()
        first = c.verify_webhook("paytr", delivery["headers"], body)
        assert first["outcome"]["duplicate"] is False and first["outcome"]["reply"] == "OK"
        assert c.pending() == []
        again = c.verify_webhook("paytr", delivery["headers"], body)
        assert again["outcome"]["duplicate"] is True
        fields: Dict[str, Any] = dict(urllib.parse.parse_qsl(delivery["body"]))
        assert c.call("paytr.verify_callback", fields)["outcome"]["duplicate"] is True


def test_bad_input_names_the_field_before_any_io(sim, client) -> None:
    before: List[Any] = sim.requests()
    for field, value, named in [
        ("payment_amount", "34.56", "payment_amount"),
        ("user_basket", [["x", "1"]], "user_basket[0]"),
        ("currency", "JPY", "currency"),
    ]:
        req = iframe_request(oid("pybad"))
        req[field] = value
        with pytest.raises(odeme.InvalidRequestError) as e:
            client.call("paytr.create_iframe_token", req)
        assert e.value.field == named
    assert len(sim.requests()) == len(before)
