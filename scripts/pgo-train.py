"""The training run of a profile-guided build (scripts/build-wheel --pgo, scripts/install-c --pgo):
what a merchant's backend does most, against odeme-sim over TLS. iyzico payments, each looked up
afterwards, some declined; Paymes orders and their status; the hash helpers. The examples, run
after this, add 3-D Secure and Paymago. Fails if a call does not answer as the simulator should, so
a broken instrumented build never yields a profile.

Usage: python scripts/pgo-train.py BASE_URL CA_FILE            (the installed odeme module)
       python scripts/pgo-train.py BASE_URL CA_FILE LIBODEME   (libodeme.so through its C ABI)
"""
import ctypes
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "perf"))
from payment import payment  # noqa: E402  (the request the benchmarks make)

BASE, CA_FILE = sys.argv[1], sys.argv[2]
CONFIG = {"ca_pem": open(CA_FILE).read(),
          "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key",
                     "base_url": BASE},
          "paymes": {"public_key": "sim-paymes-public-key", "secret_key": "sim-paymes-secret-key",
                     "base_url": BASE}}


class Declined(Exception):
    pass


class CAbi:
    """The same calls through libodeme's C ABI (include/odeme.h), as a C program makes them."""

    def __init__(self, path):
        lib = self.lib = ctypes.CDLL(path)
        p, c, s, u8 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint8)
        out = ctypes.POINTER(ctypes.c_void_p)
        for name, args in {"odeme_client_new": [c, out, out], "odeme_call": [p, c, c, out, out],
                           "odeme_paymes_hash": [ctypes.POINTER(c), s, c, out, out],
                           "odeme_iyzico_auth_header": [c, c, c, c, u8, s, out, out],
                           "odeme_iyzico_signature": [c, ctypes.POINTER(c), s, out, out]}.items():
            getattr(lib, name).argtypes, getattr(lib, name).restype = args, ctypes.c_int
        lib.odeme_error_kind.argtypes, lib.odeme_error_kind.restype = [p], c
        lib.odeme_error_message.argtypes, lib.odeme_error_message.restype = [p], c
        lib.odeme_error_free.argtypes = [p]
        lib.odeme_string_free.argtypes = [p]
        self.client = self.text(lib.odeme_client_new, json.dumps(CONFIG).encode(), keep=True)

    def text(self, fn, *args, keep=False):
        """Call `fn(*args, &out, &err)`; the owned output (a client when `keep`, else a string)."""
        out, err = ctypes.c_void_p(), ctypes.c_void_p()
        status = fn(*args, ctypes.byref(out), ctypes.byref(err))
        if status != 0:
            kind = self.lib.odeme_error_kind(err).decode()
            message = self.lib.odeme_error_message(err).decode()
            self.lib.odeme_error_free(err)
            raise (Declined if kind == "declined" else RuntimeError)(f"{kind}: {message}")
        if keep:
            return out
        value = ctypes.string_at(out).decode()
        self.lib.odeme_string_free(out)
        return value

    def call(self, operation, request):
        return json.loads(self.text(self.lib.odeme_call, self.client, operation.encode(),
                                    json.dumps(request).encode()))

    @staticmethod
    def strings(xs):
        return (ctypes.c_char_p * len(xs))(*[x.encode() for x in xs]), len(xs)

    def paymes_hash(self, parts, secret):
        return self.text(self.lib.odeme_paymes_hash, *self.strings(parts), secret.encode())

    def iyzico_auth_header(self, key, secret, rnd, path, body):
        buf = (ctypes.c_uint8 * len(body)).from_buffer_copy(body)
        return self.text(self.lib.odeme_iyzico_auth_header, key.encode(), secret.encode(), rnd.encode(),
                         path.encode(), buf, len(body))

    def iyzico_signature(self, secret, fields):
        return self.text(self.lib.odeme_iyzico_signature, secret.encode(), *self.strings(fields))


if len(sys.argv) > 3:
    client = helpers = CAbi(sys.argv[3])
else:
    import odeme
    Declined = odeme.DeclinedError  # noqa: F811
    client, helpers = odeme.Client(CONFIG), odeme

declined = 0
for i in range(2000):
    conv = f"pgo-{i}"
    # One in ten with the simulator's insufficient-funds card (odeme_sim::cards::INSUFFICIENT_FUNDS).
    card = "4111111111111129" if i % 10 == 9 else "5528790000000008"
    try:
        paid = client.call("iyzico.create_payment", payment(conv, card))
    except Declined:
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
    assert len(helpers.paymes_hash(parts, "111111111")) == 88
    assert helpers.iyzico_auth_header("key", "secret", f"rnd{i}", "/payment/auth", b'{"a":1}').startswith("IYZWSv2 ")
    assert len(helpers.iyzico_signature("secret", ["1", "TRY", "B1", f"c{i}", "1.2", "1"])) == 64
print(f"pgo-train: 2000 iyzico payments ({declined} declined) and their lookups, 300 Paymes orders, the helpers")
