"""Hostile input never takes the host process down (issue 16).

Every entry point that reads caller data (`Client(...)`, `call`, the typed methods, the hash
helpers) answers any value with a result or an `odeme.OdemeError`: nesting deeper than 128 levels
(128 levels) is `InvalidArgumentError` naming the path, text that is not Unicode (lone surrogates) is
`InvalidArgumentError` naming the field, a request over `max_request_bytes` is
`InvalidRequestError`, floats, huge ints and non-finite Decimals are `InvalidRequestError`.
Replies are hostile too: a local HTTP server answers with deep, huge and odd JSON.

The property tests have a fixed budget (`ODEME_HOSTILE_EXAMPLES`, default 80 examples each;
`ODEME_HOSTILE_DEEP_EXAMPLES`, default 25, for the deep ones; no deadline); the deepest cases
run in a child process whose exit status is checked.
"""

from __future__ import annotations

import http.server
import os
import pathlib
import subprocess
import sys
import threading
from decimal import Decimal
from typing import Any, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import odeme
from hostile import BUDGET, CONFIG, KEYS, METHODS, OPERATIONS, REQUESTS, TEXTS, VALUES, nest, survives

HERE = pathlib.Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def nowhere() -> odeme.Client:
    return odeme.Client(CONFIG)


def child(code: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter; a crash is a negative return code."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=HERE, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(HERE)},
    )


def alive(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"child died with {result.returncode}: {result.stderr[-2000:]}"
    return result.stdout


# -- the reproductions, in a child process (they used to kill the interpreter) --------

def test_a_request_nested_300000_levels_is_an_invalid_argument_not_a_crash() -> None:
    out = alive(child(
        "import odeme, hostile\n"
        "c = odeme.Client(hostile.CONFIG)\n"
        "try:\n"
        "    c.call('iyzico.retrieve_payment', hostile.nest(300_000, 'dict'))\n"
        "except odeme.InvalidArgumentError as e:\n"
        "    print(type(e).__name__, e.field, e.operation)\n"
    ))
    name, field, op = out.split()
    assert name == "InvalidArgumentError"
    assert field.startswith("a.a.a.a") and op == "iyzico.retrieve_payment"


def test_a_config_nested_300000_levels_is_an_invalid_argument_not_a_crash() -> None:
    out = alive(child(
        "import odeme, hostile\n"
        "for cfg in (hostile.nest(300_000, 'dict'), {**hostile.CONFIG, 'iyzico': hostile.nest(300_000, 'list')}):\n"
        "    try:\n"
        "        odeme.Client(cfg)\n"
        "    except odeme.InvalidArgumentError as e:\n"
        "        print(type(e).__name__, e.field)\n"
    ))
    first, second = out.splitlines()
    assert first.startswith("InvalidArgumentError a.a.a")
    assert second.startswith("InvalidArgumentError iyzico[0][0]")


def test_nesting_from_zero_to_a_million_levels_in_a_child_process() -> None:
    out = alive(subprocess.run(
        [sys.executable, str(HERE / "hostile_child.py")], cwd=HERE, capture_output=True, text=True,
        timeout=900, env={**os.environ, "PYTHONPATH": str(HERE)},
    ))
    assert "hostile child: survived" in out


# -- fixed cases: each names the field ------------------------------------------------------

def test_depth_limit_is_128_and_names_the_path(nowhere: odeme.Client) -> None:
    with pytest.raises(odeme.InvalidArgumentError) as e:
        nowhere.call("iyzico.retrieve_payment", {"buyer": {"list": nest(200, "mixed")}})
    assert e.value.field is not None and e.value.field.startswith("buyer.list.a[0][0].a[0][0].a")
    assert "128" in e.value.message
    assert e.value.operation == "iyzico.retrieve_payment"
    # 127 levels (the request dict itself is the first) are converted and reach validation;
    # 128 is the limit, as for a request given as JSON text (serde_json's parser limit)
    with pytest.raises(odeme.InvalidRequestError):
        nowhere.call("iyzico.retrieve_payment", {"paymentConversationId": nest(126, "list")})
    with pytest.raises(odeme.InvalidArgumentError) as e:
        nowhere.call("iyzico.retrieve_payment", {"paymentConversationId": nest(127, "list")})
    assert e.value.field == "paymentConversationId" + "[0]" * 126


def test_a_structure_that_contains_itself_is_refused(nowhere: odeme.Client) -> None:
    loop: Any = []
    loop.append(loop)
    with pytest.raises(odeme.InvalidArgumentError):
        nowhere.call("iyzico.retrieve_payment", {"paymentId": loop})
    d: Any = {}
    d["self"] = d
    with pytest.raises(odeme.InvalidArgumentError):
        odeme.Client(d)


@pytest.mark.parametrize("where", ["value", "key", "deep key"])
def test_lone_surrogates_in_requests_are_invalid_arguments(nowhere: odeme.Client, where: str) -> None:
    req: Any = {
        "value": {"paymentConversationId": "order-\ud800"},
        "key": {"payment\udfffId": "1"},
        "deep key": {"buyer": {"addr": [{"\udc80": "x"}]}},
    }[where]
    with pytest.raises(odeme.InvalidArgumentError) as e:
        nowhere.iyzico.retrieve_payment(req)
    assert e.value.field == {"value": "paymentConversationId", "key": "(request)", "deep key": "buyer.addr[0]"}[where]
    assert "Unicode" in e.value.message


def test_lone_surrogate_in_the_operation_name(nowhere: odeme.Client) -> None:
    with pytest.raises(odeme.InvalidArgumentError) as e:
        nowhere.call("iyzico.\ud800", {})
    assert e.value.field == "operation"
    with pytest.raises(odeme.InvalidArgumentError) as e:
        nowhere.call(None, {})  # type: ignore[arg-type]
    assert e.value.field == "operation"


def test_lone_surrogates_in_configs_are_invalid_arguments() -> None:
    with pytest.raises(odeme.InvalidArgumentError) as e:
        odeme.Client({**CONFIG, "iyzico": {"api_key": "k\ud800", "secret_key": "s", "base_url": "http://127.0.0.1:1"}})
    assert e.value.field == "iyzico.api_key"
    with pytest.raises(odeme.InvalidArgumentError) as e:
        odeme.Client({"\ud800": 1})
    assert e.value.field == "(config)"
    with pytest.raises(odeme.InvalidArgumentError) as e:
        odeme.Client('{"iyzico": "\ud800"}')
    assert e.value.field == "config"


def test_huge_ints_and_odd_decimals_are_invalid_requests(nowhere: odeme.Client) -> None:
    for amount in (10**5000, 2**300, Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"),
                   Decimal("1E+999999999"), Decimal("1E-999999999")):
        with pytest.raises(odeme.InvalidRequestError) as e:
            nowhere.paymes.create_order({"price": amount})
        assert e.value.field == "price", (amount, e.value.message)


def test_nuls_are_data_not_terminators(nowhere: odeme.Client) -> None:
    with pytest.raises(odeme.TransportError):
        nowhere.iyzico.retrieve_payment({"paymentConversationId": "order\x00-1", "locale": "tr"})
    assert odeme.paymes_hash(["a\x00b"], "k") != odeme.paymes_hash(["a"], "k")


def test_a_10_mb_string_is_refused_at_the_size_check(nowhere: odeme.Client) -> None:
    with pytest.raises(odeme.InvalidRequestError) as e:
        nowhere.iyzico.retrieve_payment({"paymentConversationId": "x" * (10 * 1024 * 1024)})
    assert e.value.field == "(request)"
    assert "max_request_bytes (1048576 bytes)" in e.value.message
    small = odeme.Client({**CONFIG, "max_request_bytes": 2048})
    with pytest.raises(odeme.InvalidRequestError) as e:
        small.iyzico.retrieve_payment({"paymentConversationId": "é" * 1500})
    assert "max_request_bytes (2048 bytes)" in e.value.message
    with pytest.raises(odeme.TransportError):  # under the limit: sent (to nowhere)
        small.iyzico.retrieve_payment({"paymentConversationId": "é" * 100})


def test_hash_helpers_refuse_bad_arguments_with_odeme_errors() -> None:
    cases = [
        (odeme.paymes_hash, (["a"], "\ud800"), "secret_key"),
        (odeme.paymes_hash, (["a", "\ud800"], "k"), "parts[1]"),
        (odeme.paymes_hash, ([1], "k"), "parts[0]"),
        (odeme.paymes_hash, (None, "k"), "parts"),
        (odeme.paymes_hash, ("abc", "k"), "parts"),
        (odeme.iyzico_signature, (b"k", ["a"]), "secret_key"),
        (odeme.iyzico_signature, ("k", iter([object()])), "fields[0]"),
        (odeme.iyzico_auth_header, ("a", "s", "r", "/p", 12), "body"),
        (odeme.iyzico_auth_header, ("a", "s", "r", "/p\udfff", b""), "uri_path"),
        (odeme.iyzico_auth_header, ("a", "s", "r", "/p", "\ud800"), "body"),
    ]
    for fn, args, field in cases:
        with pytest.raises(odeme.InvalidArgumentError) as e:
            fn(*args)
        assert e.value.field == field, (args, e.value.field)


def test_an_iterator_that_raises_is_an_invalid_argument() -> None:
    def parts() -> Iterator[str]:
        yield "a"
        raise ValueError("boom")
    with pytest.raises(odeme.InvalidArgumentError) as e:
        odeme.paymes_hash(parts(), "k")
    assert e.value.field == "parts" and "ValueError" in e.value.message


# -- properties ------------------------------------------------------------------------------

@BUDGET
@given(op=st.one_of(st.sampled_from(OPERATIONS), TEXTS, VALUES), request=REQUESTS)
def test_call_answers_anything_with_a_result_or_an_odeme_error(nowhere: odeme.Client, op: Any, request: Any) -> None:
    survives(nowhere.call, op, request)


@BUDGET
@given(method=st.sampled_from(METHODS), request=REQUESTS)
def test_typed_methods_answer_anything_with_a_result_or_an_odeme_error(nowhere: odeme.Client, method: Any, request: Any) -> None:
    provider, name = method
    survives(getattr(getattr(nowhere, provider), name), request)


@BUDGET
@given(
    config=st.one_of(
        VALUES,
        TEXTS,
        st.tuples(st.sampled_from(sorted(CONFIG)), VALUES).map(lambda kv: {**CONFIG, kv[0]: kv[1]}),
        st.tuples(st.sampled_from(["api_key", "secret_key", "base_url", "extra"]), VALUES).map(
            lambda kv: {**CONFIG, "iyzico": {**CONFIG["iyzico"], kv[0]: kv[1]}}  # type: ignore[dict-item]
        ),
        st.dictionaries(KEYS, VALUES, max_size=4),
    )
)
def test_client_answers_any_config_with_a_client_or_an_odeme_error(config: Any) -> None:
    survives(odeme.Client, config)


@BUDGET
@given(
    parts=st.one_of(st.lists(TEXTS, max_size=4), VALUES),
    key=st.one_of(TEXTS, VALUES),
    body=st.one_of(st.binary(), TEXTS, VALUES),
)
def test_hash_helpers_answer_anything_with_a_hash_or_an_odeme_error(parts: Any, key: Any, body: Any) -> None:
    survives(odeme.paymes_hash, parts, key)
    survives(odeme.iyzico_signature, key, parts)
    survives(odeme.iyzico_auth_header, key, key, key, key, body)


# -- replies are hostile too ------------------------------------------------------------------

REPLIES = {
    "a million brackets": b"[" * 1_000_000,
    "deep but well-formed": b'{"status":"success","a":' + b"[" * 200 + b"]" * 200 + b"}",
    "huge numbers": b'{"status":"success","paymentId":1' + b"0" * 100_000 + b',"price":1e999999999,"paidPrice":-0.0e-99999}',
    "a big string": b'{"status":"failure","errorCode":"1","errorMessage":"' + b"x" * 900_000 + b'"}',
    "over max_response_bytes": b'{"status":"success","x":"' + b"y" * 2_000_000 + b'"}',
    "invalid UTF-8": b'{"status":"failure","errorCode":"\xff\xfe","errorMessage":"\xc3"}',
    "NULs": b'{"status":"failure\x00","errorCode":"\\u0000","errorMessage":"a\\u0000b"}',
    "lone surrogate escapes": b'{"status":"failure","errorCode":"\\ud800","errorMessage":"\\udfff"}',
    "not an object": b"12345678901234567890123456789012345678901234567890",
    "empty": b"",
}


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[Any]:
    state = {"body": b""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = state["body"]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", sorted(REPLIES))
@pytest.mark.parametrize("op", ["iyzico.retrieve_payment", "iyzico.payment_details", "paymes.query_order",
                                "paymago.order_result", "esnekpos.query_payment_request"])
def test_hostile_replies_end_in_a_result_or_an_odeme_error(hostile_server: Any, name: str, op: str) -> None:
    assert op in OPERATIONS, f"{op} is not declared"
    state, url = hostile_server
    state["body"] = REPLIES[name]
    # A generous deadline: a 2 MB reply on a loaded machine must end as what it is, not a timeout.
    cfg = {**CONFIG, "timeout_ms": 30000, "connect_timeout_ms": 30000,
           "iyzico": {**CONFIG["iyzico"], "base_url": url},  # type: ignore[dict-item]
           "paymes": {**CONFIG["paymes"], "base_url": url},  # type: ignore[dict-item]
           "paymago": {**CONFIG["paymago"], "base_url": url + "/api"},  # type: ignore[dict-item]
           "esnekpos": {**CONFIG["esnekpos"], "base_url": url}}  # type: ignore[dict-item]
    client = odeme.Client(cfg)
    request = {
        "iyzico.retrieve_payment": {"paymentConversationId": "order-1"},
        "iyzico.payment_details": {"paymentConversationId": "order-1"},
        "paymes.query_order": {"paymesOrderId": "1"},
        "paymago.order_result": {"orderId": "o-1", "paymentId": "1"},
        "esnekpos.query_payment_request": {"SEND_PAYMENT_REQUEST_ID": 1},
    }[op]
    outcome = survives(client.call, op, request)
    if name in ("a million brackets", "over max_response_bytes", "empty"):
        assert outcome == "DecodeError", outcome
    # The server answered: whatever it said, the call never reads as a network failure.
    assert outcome not in ("TransportError", "OutcomeUnknownError"), outcome


def test_reply_numbers_keep_their_digits_whatever_their_size(hostile_server: Any) -> None:
    # Whole numbers come back as int, others as their digits in a str (never a float); a whole
    # number too long for Python's int() (over 4300 digits) stays a str as well.
    state, url = hostile_server
    cfg = {**CONFIG, "paymes": {**CONFIG["paymes"], "base_url": url}}  # type: ignore[dict-item]
    client = odeme.Client(cfg)
    head = b'{"status":true,"results":{"currency":"TRY","price":"0.10","type":"success","orderId":"o-1","paymesOrderId":"1"'
    state["body"] = head + b',"n":42,"d":1.10,"e":1e2,"m":-0}}'
    r = client.call("paymes.query_order", {"paymesOrderId": "1"})
    results = r["raw"]["results"]
    assert results["n"] == 42 and type(results["n"]) is int
    assert (results["d"], results["e"]) == ("1.10", "1e2"), "digits exactly as the provider wrote them"
    assert results["m"] == 0
    assert r["outcome"]["state"] == "paid"
    huge = "7" + "0" * 5000
    state["body"] = head + b',"big":' + huge.encode() + b',"d":1.10}}'
    results = client.call("paymes.query_order", {"paymesOrderId": "1"})["raw"]["results"]
    assert results["big"] == huge and results["d"] == "1.10"
    # Exponents anywhere (in a list, in an object in a list) keep their own spelling, and the
    # values around them are read as usual.
    state["body"] = head + b',"l":[1.5E3,{"x":2e-1,"s":"\\u00e7","t":true,"z":null}],"n":7}}'
    results = client.call("paymes.query_order", {"paymesOrderId": "1"})["raw"]["results"]
    assert results["l"] == ["1.5E3", {"x": "2e-1", "s": "\u00e7", "t": True, "z": None}]
    assert results["n"] == 7 and type(results["n"]) is int and results["price"] == "0.10"


def test_reply_keys_read_the_same_however_many_there_are(hostile_server: Any) -> None:
    # Keys are made once and then reused from a bounded cache: replies with more distinct keys
    # than it holds, escaped keys, long keys and the same keys again must all read exactly.
    state, url = hostile_server
    cfg = {**CONFIG, "paymes": {**CONFIG["paymes"], "base_url": url}}  # type: ignore[dict-item]
    client = odeme.Client(cfg)
    head = '{"status":true,"results":{"currency":"TRY","price":"0.10","type":"success","orderId":"o-1","paymesOrderId":"1"'
    for round_ in range(3):
        keys = [f"k{round_}-{i}" for i in range(1500)] + ["\\u00e7ay", "x" * 200, '\\"q\\"']
        extra = "".join(f',"{k}":{i}' for i, k in enumerate(keys))
        items = ',"items":[' + ",".join('{"itemId":"%d","price":"0.%d"}' % (i, i) for i in range(5)) + "]"
        state["body"] = (head + extra + items + "}}").encode()
        results = client.call("paymes.query_order", {"paymesOrderId": "1"})["raw"]["results"]
        for i, k in enumerate(keys[:1500]):
            assert results[k] == i
        assert results["\u00e7ay"] == 1500 and results["x" * 200] == 1501 and results['"q"'] == 1502
        assert results["items"] == [{"itemId": str(i), "price": f"0.{i}"} for i in range(5)]
        assert list(results)[:6] == ["currency", "price", "type", "orderId", "paymesOrderId", keys[0]]
