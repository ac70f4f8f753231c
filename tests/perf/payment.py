"""The request every benchmark and the profile-guided build's training run make: iyzico's
documented sample order (a plain function, so building one costs what a caller's dict literal
costs)."""


def payment(conv: str, card: str = "5528790000000008") -> dict:
    """A signed `iyzico.create_payment` request (iyzico's documented sample order) under `conv`."""
    return {
        "locale": "tr", "conversationId": conv, "price": "1.0", "paidPrice": "1.2", "currency": "TRY",
        "installment": "1", "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12",
                        "expireYear": "2030", "cvc": "123", "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000",
                  "email": "email@email.com", "identityNumber": "74300864791", "lastLoginDate": "2015-10-05 12:43:35",
                  "registrationDate": "2013-04-21 15:12:09",
                  "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1", "ip": "85.34.78.112",
                  "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey",
                            "address": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey",
                           "address": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1", "zipCode": "34732"},
        "basketItems": [
            {"id": "BI101", "name": "Binocular", "category1": "Collectibles", "category2": "Accessories",
             "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "category2": "Online Game Items",
             "itemType": "VIRTUAL", "price": "0.5"},
            {"id": "BI103", "name": "Usb", "category1": "Electronics", "category2": "Usb / Cable",
             "itemType": "PHYSICAL", "price": "0.2"},
        ],
    }
