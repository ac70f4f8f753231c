"""The binding reads a response's JSON text into Python objects with its own reader: strings
unescaped as JSON says (surrogate pairs, control escapes), whole numbers as int at any size, any
other number as the str of its digits, nesting, empty containers, true/false/null. Checked
against the standard library's reader on a signed iyzico webhook whose body carries all of them
(the body comes back as the response's `raw`)."""

from __future__ import annotations

import hashlib
import hmac
import json

import odeme

SECRET = "reader-secret"


def test_raw_reads_as_the_standard_reader_does_with_exact_numbers() -> None:
    body = {
        "paymentConversationId": 'conv "quoted" \\ / çok 😀 \u0001',
        "paymentId": 22484059,
        "status": "SUCCESS",
        "iyziEventType": "API_AUTH",
        "iyziReferenceCode": "ref-1",
        "amounts": [1.5, "1.50", -0.25, 0, -7, 123456789012345678901234567890, 10.000],
        "nested": {"a": [[], {}, [True, False, None]], "b": {"c": {"d": "\t\n\r\b\f"}}},
        "empty": "",
    }
    # Written with escapes for every non-ASCII character (a surrogate pair for the emoji), as a
    # provider may send them.
    text = json.dumps(body, ensure_ascii=True)
    text = text.replace("1.5,", "1.50,", 1)  # a number's digits as written, trailing zero kept
    message = SECRET + "API_AUTH" + "22484059" + body["paymentConversationId"] + "SUCCESS"
    sig = hmac.new(SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()
    c = odeme.Client({"iyzico": {"api_key": "k", "secret_key": SECRET}})
    r = c.verify_webhook("iyzico", {"X-IYZ-SIGNATURE-V3": sig}, text.encode())
    want = json.loads(text, parse_float=str)
    assert r["raw"] == want
    assert r["raw"]["amounts"][0] == "1.50" and r["raw"]["amounts"][5] == 123456789012345678901234567890
    assert r["outcome"]["order_id"] == body["paymentConversationId"]
