"""odeme from Python: an iyzico payment and a Paymago order against the simulator, with a
declined card and an outcome-unknown payment reconciled by querying.

    scripts/with-sim -- python3 examples/python/pay.py
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal

import odeme

base = os.environ.get("ODEME_SIM_URL", "http://127.0.0.1:8080")
client = odeme.Client({
    "allow_http": base.startswith("http://"),
    "timeout_ms": 1500,
    "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key", "base_url": base},
    "paymago": {"token": "sim-paymago-token", "base_url": base + "/api"},
})


def payment(order: str, card: str, product: str = "Kitap") -> dict:
    return {
        "conversationId": order, "price": Decimal("149.90"), "paidPrice": Decimal("149.90"), "installment": 1,
        "paymentCard": {"cardHolderName": "Ayşe Yılmaz", "cardNumber": card, "expireMonth": "12",
                        "expireYear": "2030", "cvc": "123"},
        "buyer": {"id": "B1", "name": "Ayşe", "surname": "Yılmaz", "identityNumber": "11111111110",
                  "email": "ayse@example.com", "registrationAddress": "Kadıköy", "city": "Istanbul",
                  "country": "Turkey", "ip": "85.34.78.112"},
        "billingAddress": {"contactName": "Ayşe Yılmaz", "city": "Istanbul", "country": "Turkey", "address": "Kadıköy"},
        "basketItems": [{"id": "SKU-1", "name": product, "category1": "Books", "itemType": "VIRTUAL",
                         "price": Decimal("149.90")}],
    }


ok = True
r = client.iyzico.create_payment(payment("web-1001", "5528790000000008"))
print("iyzico payment:", r["outcome"]["type"], r["outcome"]["payment_id"], r["outcome"]["paid_price"])

try:
    client.iyzico.create_payment(payment("web-1002", "4111111111111129"))
    ok = False
except odeme.DeclinedError as e:
    print("declined:", e.provider_code, e.provider_message, "-> ask for another card")

try:
    client.iyzico.create_payment(payment("web-1003", "5528790000000008", product="sim:delay"))
    ok = False
except odeme.OutcomeUnknownError as e:
    print("outcome unknown:", e.message)
    # Never resend. Ask iyzico what happened to web-1003.
    q = client.iyzico.retrieve_payment({"paymentConversationId": "web-1003"})
    print("  reconciled: web-1003 is", q["outcome"]["state"])
    ok = ok and q["outcome"]["state"] == "paid"

r = client.paymago.create_order({
    "amount": "150.00", "currencyCode": "949", "cardHolderName": "Ayşe Yılmaz", "cardNumber": "5528790000000008",
    "expireYear": "2030", "expireMonth": "12", "cvc": "123", "saleProduct": "Telefon", "saleProductPrice": "150.00",
    "isSecureTransaction": True, "callbackUrl": "https://shop.example/paymago/callback",
})
outcome = r["outcome"]
print("paymago order:", outcome["type"], outcome["order_id"], "->", outcome.get("url"))
status = client.paymago.order_result({"orderId": outcome["order_id"], "paymentId": outcome["provider_order_id"]})
print("paymago before 3-D Secure:", status["outcome"]["state"])
sys.exit(0 if ok else 1)
