"""iyzico 3-D Secure from Python: start the payment, show the bank's page, receive iyzico's
callback in a web handler (standard library only), verify it, and complete the payment.

    scripts/with-sim -- python3 examples/python/threeds.py

The rules this shop follows (the ones third-party plugins got wrong):

* the callback is untrusted: ``verify_3ds_callback`` checks its signature in constant time and
  says ``authenticated`` only for ``status=success`` and ``mdStatus=1``; anything else is a
  failed payment and is never completed;
* the amounts of the completion come from the shop's own order, never from the posted form;
* the callback is keyed by ``conversationId`` (iyzico's cross-site POST carries no session cookie);
* if the completion's reply is lost (``OutcomeUnknownError``), the payment is looked up with the
  error's ``reconcile_with``/``reconcile_request`` instead of being completed again.
"""

from __future__ import annotations

import html as html_lib
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional

import odeme


class Shop:
    """The shop's side: its orders, and one odeme client."""

    def __init__(self, client: odeme.Client, callback_url: str = "") -> None:
        self.client = client
        self.callback_url = callback_url
        self.orders: Dict[str, Dict[str, Any]] = {}
        self.lock = threading.Lock()

    def start_payment(self, order_id: str, card: Dict[str, str], price: Decimal, item: str = "Kitap") -> str:
        """Create the 3-D Secure payment; returns the HTML to show the payer."""
        request = {
            "conversationId": order_id, "price": price, "paidPrice": price, "installment": 1,
            "currency": "TRY", "basketId": "basket-" + order_id,
            "paymentCard": card,
            "buyer": {"id": "B1", "name": "Ayşe", "surname": "Yılmaz", "identityNumber": "11111111110",
                      "email": "ayse@example.com", "registrationAddress": "Kadıköy", "city": "Istanbul",
                      "country": "Turkey", "ip": "85.34.78.112"},
            "billingAddress": {"contactName": "Ayşe Yılmaz", "city": "Istanbul", "country": "Turkey",
                               "address": "Kadıköy"},
            "basketItems": [{"id": "SKU-1", "name": item, "category1": "Books", "itemType": "VIRTUAL",
                             "price": price}],
            "callbackUrl": self.callback_url,
        }
        r = self.client.iyzico.init_3ds(request)
        with self.lock:
            self.orders[order_id] = {
                "payment_id": r["outcome"]["payment_id"], "price": price, "currency": "TRY",
                "basket_id": "basket-" + order_id, "state": "awaiting_3ds",
            }
        return r["outcome"]["html"]

    def on_callback(self, form: Dict[str, str]) -> str:
        """Handle the form iyzico posted to callbackUrl; returns the order's new state."""
        try:
            cb = self.client.iyzico.verify_3ds_callback(form)["outcome"]
        except odeme.SignatureError:
            return "rejected"  # not from iyzico: change nothing
        order_id = cb["conversation_id"] or ""
        with self.lock:
            order = self.orders.get(order_id)
            if order is None or order["payment_id"] != cb["payment_id"] or order["state"] != "awaiting_3ds":
                return "unknown"
            order["state"] = "completing"
        if cb["state"] != "authenticated":
            return self._set(order_id, "failed", md_status=cb["md_status"])
        request = {"paymentId": order["payment_id"], "paidPrice": order["price"], "basketId": order["basket_id"],
                   "currency": order["currency"], "conversationId": order_id}
        if cb["conversation_data"]:
            request["conversationData"] = cb["conversation_data"]
        try:
            done = self.client.iyzico.complete_3ds(request)
            state = "paid" if done["outcome"]["type"] == "completed" else "review"
        except odeme.OutcomeUnknownError as e:
            # The money may have moved: ask, never complete twice.
            assert e.reconcile_with is not None and e.reconcile_request is not None
            found = self.client.call(e.reconcile_with, e.reconcile_request)
            state = "paid" if found["outcome"]["state"] == "paid" else "needs_attention"
        except odeme.DeclinedError:
            state = "declined"
        return self._set(order_id, state)

    def _set(self, order_id: str, state: str, **extra: Any) -> str:
        with self.lock:
            self.orders[order_id].update(state=state, **extra)
        return state


def make_handler(shop: Shop) -> type:
    class CallbackHandler(BaseHTTPRequestHandler):
        """``POST /iyzico/3ds-callback``: iyzico's form (application/x-www-form-urlencoded)."""

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            if self.path != "/iyzico/3ds-callback":
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, 64 * 1024)).decode("utf-8", "replace")
            # keep_blank_values: conversationData and conversationId may be empty and are signed.
            form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
            state = shop.on_callback(form)
            page = f"<!doctype html><p>Payment {html_lib.escape(state)}</p>".encode()
            self.send_response(400 if state == "rejected" else 200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return CallbackHandler


def serve(shop: Shop) -> ThreadingHTTPServer:
    """Start the shop's callback endpoint on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(shop))
    shop.callback_url = f"http://127.0.0.1:{server.server_address[1]}/iyzico/3ds-callback"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bank_page_action(page: str) -> str:
    """The URL the bank's page submits to (what the payer's browser does)."""
    start = page.index('action="') + len('action="')
    return page[start:page.index('"', start)]


def payer_completes_3ds(page: str, callback_url: str, ca_pem: Optional[str] = None) -> str:
    """Play the payer's browser against the simulator: open the bank's page, authenticate, and
    post what the bank sends back to the shop's callback. Returns the shop's answer page."""
    import json
    import ssl

    ctx = ssl.create_default_context(cadata=ca_pem) if ca_pem else None
    with urllib.request.urlopen(bank_page_action(page), context=ctx) as r:  # noqa: S310 (loopback)
        fields = json.loads(r.read())
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(callback_url, data=data, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req) as r:  # noqa: S310 (loopback)
            return r.read().decode()
    except urllib.error.HTTPError as e:
        return e.read().decode()


def main() -> int:
    base = os.environ.get("ODEME_SIM_URL", "http://127.0.0.1:8080")
    client = odeme.Client({
        "allow_http": base.startswith("http://"),
        "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key", "base_url": base},
    })
    shop = Shop(client)
    server = serve(shop)
    ok = True
    try:
        card = {"cardHolderName": "Ayşe Yılmaz", "cardNumber": "5528790000000008", "expireMonth": "12",
                "expireYear": "2030", "cvc": "123"}
        page = shop.start_payment("web-3ds-1", card, Decimal("149.90"))
        print("init_3ds: show", len(page), "bytes of the bank's page to the payer")
        print("callback:", payer_completes_3ds(page, shop.callback_url))
        print("order web-3ds-1:", shop.orders["web-3ds-1"]["state"])
        ok &= shop.orders["web-3ds-1"]["state"] == "paid"

        # A card whose 3-D Secure authentication fails (mdStatus 0): never completed.
        page = shop.start_payment("web-3ds-2", dict(card, cardNumber="4131111111111117"), Decimal("20"))
        payer_completes_3ds(page, shop.callback_url)
        order = shop.orders["web-3ds-2"]
        print("order web-3ds-2:", order["state"], "mdStatus", order.get("md_status"))
        ok &= order["state"] == "failed"
    finally:
        server.shutdown()
    print("threeds example:", "ok" if ok else "UNEXPECTED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
