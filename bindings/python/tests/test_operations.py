"""Every operation against the simulator, over HTTP and over TLS."""

from __future__ import annotations

import pytest

import odeme
from builders import esnekpos_request, iyzico_payment, paymago_order, paymes_order, unique


def run_all(sim, client: odeme.Client) -> None:
    conv = unique("py")
    r = client.iyzico.create_payment(iyzico_payment(conv))
    assert r["operation"] == "iyzico.create_payment"
    assert r["outcome"]["type"] == "completed"
    assert r["outcome"]["paid_price"] == "1.2"
    assert r["raw"]["price"] == "1.0", "amounts come back as strings with their digits"
    assert isinstance(r["raw"]["installment"], int)
    payment_id = r["provider_reference"]
    assert client.iyzico.retrieve_payment({"paymentId": payment_id})["outcome"]["state"] == "paid"
    assert client.iyzico.retrieve_payment({"paymentConversationId": conv})["outcome"]["state"] == "paid"

    r = client.paymes.create_order(paymes_order(unique("pm")))
    assert r["outcome"]["type"] == "redirect"
    paymes_id = r["outcome"]["provider_order_id"]
    assert client.paymes.query_order({"paymesOrderId": paymes_id})["outcome"]["state"] == "pending"
    notification = sim.visit(r["outcome"]["url"])
    n = client.paymes.verify_notification(notification)
    assert n["outcome"] == {
        "type": "notification", "state": "paid", "order_id": notification["orderId"],
        "provider_order_id": paymes_id, "amount": "1050.00", "currency": "TRY", "message": "Ödeme Başarılı",
    }
    assert client.paymes.query_order({"paymesOrderId": paymes_id})["outcome"]["state"] == "paid"
    kiosk = client.paymes.create_kiosk_order(paymes_order(unique("pk")))
    assert kiosk["outcome"]["type"] == "terminal" and kiosk["outcome"]["invoice_code"]
    legacy = client.paymes.create_order_legacy(paymes_order(unique("pl")))
    assert legacy["outcome"]["type"] == "redirect"

    r = client.paymago.create_order(paymago_order())
    assert r["outcome"]["type"] == "redirect"
    order_id = r["outcome"]["order_id"]
    callback = sim.visit(r["outcome"]["url"])
    q = client.paymago.order_result({"orderId": order_id, "paymentId": callback["paymentId"]})
    assert q["outcome"]["state"] == "paid"
    html = client.paymago.create_order(paymago_order(unique("pg"), product="sim:html"))
    assert html["outcome"]["type"] == "html" and "<form" in html["outcome"]["html"]

    r = client.esnekpos.send_payment_request(esnekpos_request())
    link = r["outcome"]
    assert link["type"] == "payment_link"
    sim.visit(link["url"])
    q = client.esnekpos.query_payment_request({"SEND_PAYMENT_REQUEST_ID": int(link["request_id"])})
    assert q["outcome"]["state"] == "paid"


def test_every_operation_over_http(sim, client) -> None:
    run_all(sim, client)


def test_every_operation_over_tls(tls_sim) -> None:
    assert tls_sim.base_url.startswith("https://")
    run_all(tls_sim, odeme.Client(tls_sim.config()))


def test_call_and_methods_are_the_same(client) -> None:
    a = client.call("iyzico.retrieve_payment", {"paymentConversationId": "nope"})
    b = client.iyzico.retrieve_payment({"paymentConversationId": "nope"})
    assert a["outcome"] == b["outcome"] == {
        "type": "status", "state": "not_found", "order_id": "nope", "provider_order_id": None,
        "amount": None, "currency": None, "message": None,
    }


def test_config_as_json_text(sim) -> None:
    import json

    c = odeme.Client(json.dumps(sim.config()))
    assert c.paymes.query_order({"paymesOrderId": "missing"})["outcome"]["state"] == "not_found"


def test_version() -> None:
    assert odeme.__version__.count(".") == 2


@pytest.mark.parametrize("amount", ["1.0", 1, "1"])
def test_amount_types(client, amount) -> None:
    req = iyzico_payment(unique("amt"))
    req["price"] = amount
    req["basketItems"][0]["price"] = "0.3"
    req["basketItems"][1]["price"] = "0.7"
    assert client.iyzico.create_payment(req)["outcome"]["type"] == "completed"


def test_call_json_is_call_with_text_in_and_out(client) -> None:
    import json

    conv = unique("json")
    text = client.call_json("iyzico.create_payment", json.dumps(iyzico_payment(conv), default=str))
    assert isinstance(text, str)
    # Numbers keep their digits in the text: read fractions as their own text, as call() gives them.
    r = json.loads(text, parse_float=str)
    assert r["operation"] == "iyzico.create_payment"
    assert r["outcome"]["type"] == "completed"
    assert r["outcome"]["paid_price"] == "1.2"
    assert r["raw"]["conversationId"] == conv
    d = client.call("iyzico.create_payment", iyzico_payment(unique("dict")))
    assert list(r) == list(d) == ["operation", "outcome", "provider_reference", "raw"]
    assert list(r["raw"]) == list(d["raw"]), "raw is the provider's reply, in its order"
    assert type(r["raw"]["installment"]) is type(d["raw"]["installment"]) is int
    assert r["raw"]["price"] == d["raw"]["price"] == "1.0"
    card = iyzico_payment("x")["paymentCard"]
    assert card["cardNumber"] not in text and '"' + card["cvc"] + '"' not in text


def test_call_json_errors_are_call_errors(client) -> None:
    import json

    req = iyzico_payment(unique("bad"))
    req["price"] = "1.234"
    with pytest.raises(odeme.InvalidRequestError) as e:
        client.call_json("iyzico.create_payment", json.dumps(req, default=str))
    assert e.value.field == "price"
    assert e.value.operation == "iyzico.create_payment"
    assert req["paymentCard"]["cardNumber"] not in str(e.value) + repr(e.value)
    with pytest.raises(odeme.InvalidArgumentError):
        client.call_json("iyzico.create_payment", "{not json")
    with pytest.raises(odeme.InvalidArgumentError) as e:
        client.call_json("iyzico.create_payment", iyzico_payment(unique("d")))
    assert e.value.field == "request"
    with pytest.raises(odeme.InvalidArgumentError) as e:
        client.call_json("iyzico.create_payment", '{"conversationId": "\ud800"}')
    assert e.value.field == "request"
