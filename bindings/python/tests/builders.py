"""Request builders shared by the tests."""

from __future__ import annotations

import itertools
import os
from decimal import Decimal
from typing import Any, Dict, Optional

SUCCESS = "5528790000000008"
INSUFFICIENT_FUNDS = "4111111111111129"
DO_NOT_HONOUR = "4129111111111111"
INVALID_CVC = "4124111111111116"

_seq = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{next(_seq)}"


def iyzico_payment(conversation_id: str, card: str = SUCCESS, product: str = "Binocular") -> Dict[str, Any]:
    return {
        "locale": "tr", "conversationId": conversation_id, "price": Decimal("1.0"), "paidPrice": "1.20",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12",
                        "expireYear": "2030", "cvc": "123"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "identityNumber": "74300864791",
                  "email": "email@email.com", "registrationAddress": "Nidakule Göztepe", "ip": "85.34.78.112",
                  "city": "Istanbul", "country": "Turkey"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule"},
        "basketItems": [
            {"id": "BI101", "name": product, "category1": "Collectibles", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": Decimal("0.70")},
        ],
    }


def paymes_order(order_id: str, product: str = "Ürün İsmi") -> Dict[str, Any]:
    return {"orderId": order_id, "price": 1050, "currency": "TRY", "productName": product,
            "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
            "buyerAddress": "Örnek adres bilgisi"}


def paymago_order(order_id: Optional[str] = None, card: str = SUCCESS, product: str = "Phone") -> Dict[str, Any]:
    req: Dict[str, Any] = {"amount": "150.00", "currencyCode": "949", "cardHolderName": "John Doe",
                           "cardNumber": card, "expireYear": "2030", "expireMonth": "12", "cvc": "123",
                           "saleProduct": product, "saleProductPrice": "150.00", "isSecureTransaction": True,
                           "callbackUrl": "https://merchant.example/callback"}
    if order_id is not None:
        req["orderId"] = order_id
    return req


def esnekpos_request(product: str = "Test Ürün") -> Dict[str, Any]:
    return {"AMOUNT": "10.56", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322", "MAIL": "test@mail.com",
            "TYPE": 3, "LOCALE": "tr", "IS_TOTAL_AMOUNT": True, "PRODUCT": product}
