"""The training run of a profile-guided wheel build (scripts/build-wheel --pgo): what a merchant's
backend does most, against odeme-sim over TLS. iyzico payments, each looked up afterwards, some
declined; Paymes orders and their status; the hash helpers. The examples, run after this, add
3-D Secure and Paymago. Fails if a call does not answer as the simulator should, so a broken
instrumented build never yields a profile.

Usage: python scripts/pgo-train.py BASE_URL CA_FILE
"""
import os
import sys

import odeme

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "perf"))
from payment import payment  # noqa: E402  (the request the benchmarks make)

BASE, CA_FILE = sys.argv[1], sys.argv[2]
client = odeme.Client({"ca_pem": open(CA_FILE).read(),
                       "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key",
                                  "base_url": BASE},
                       "paymes": {"public_key": "sim-paymes-public-key", "secret_key": "sim-paymes-secret-key",
                                  "base_url": BASE}})


declined = 0
for i in range(2000):
    conv = f"pgo-{i}"
    # One in ten with the simulator's insufficient-funds card (odeme_sim::cards::INSUFFICIENT_FUNDS).
    card = "4111111111111129" if i % 10 == 9 else "5528790000000008"
    try:
        paid = client.call("iyzico.create_payment", payment(conv, card))
    except odeme.DeclinedError:
        declined += 1
        continue
    assert paid["outcome"]["type"] == "completed", paid["outcome"]
    if i % 5 == 0:
        status = client.call("iyzico.retrieve_payment", {"paymentConversationId": conv})
        assert status["outcome"]["state"] == "paid", status["outcome"]
    if i % 20 == 0:
        report = client.call("iyzico.payment_details", {"paymentConversationId": conv})
        assert report["outcome"]["state"] == "paid", report["outcome"]
assert declined == 200, declined

for i in range(300):
    order = client.call("paymes.create_order", {
        "orderId": f"pgo-paymes-{i}", "price": "1050", "currency": "TRY", "productName": "Kitap",
        "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
        "buyerAddress": "Örnek adres bilgisi"})
    assert order["outcome"]["type"] == "redirect", order["outcome"]
    status = client.call("paymes.query_order", {"paymesOrderId": order["outcome"]["provider_order_id"]})
    assert status["outcome"]["type"] == "status", status["outcome"]

parts = ["123456789", "1050.00", "TRY", "Ürün İsmi", "Mehmet Yılmaz", "05555555555", "email@example.com",
         "Örnek adres bilgisi"]
for i in range(2000):
    assert len(odeme.paymes_hash(parts, "111111111")) == 88
    assert odeme.iyzico_auth_header("key", "secret", f"rnd{i}", "/payment/auth", b'{"a":1}').startswith("IYZWSv2 ")
    assert len(odeme.iyzico_signature("secret", ["1", "TRY", "B1", f"c{i}", "1.2", "1"])) == 64
print(f"pgo-train: 2000 iyzico payments ({declined} declined) and their lookups, 300 Paymes orders, the helpers")
