"""Hostile values for test_hostile.py and its child process: strategies, builders and the one
property every entry point must have (a result or an odeme error, nothing else)."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any, Callable, List, Tuple

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import odeme

# Nothing listens on port 1: a request that passes every check ends in a TransportError,
# without a simulator and without waiting.
NOWHERE = "http://127.0.0.1:1"
CONFIG = {
    "allow_http": True,
    "read_retries": 0,
    "timeout_ms": 5000,
    "connect_timeout_ms": 2000,
    "iyzico": {"api_key": "k", "secret_key": "s", "base_url": NOWHERE},
    "paymes": {"public_key": "p", "secret_key": "s", "secret": "x", "base_url": NOWHERE},
    "paymago": {"token": "t", "base_url": NOWHERE + "/api"},
    "esnekpos": {"merchant": "TEST1234", "merchant_key": "k", "base_url": NOWHERE},
}

OPERATIONS: List[str] = [o["name"] for o in odeme.operations()]
METHODS: List[Tuple[str, str]] = [tuple(name.split(".", 1)) for name in OPERATIONS]  # type: ignore[misc]

# A fixed budget: the property tests take seconds, not minutes, and never depend on timing.
BUDGET = settings(
    max_examples=int(__import__("os").environ.get("ODEME_HOSTILE_EXAMPLES", "80")),
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
# The child's examples build up to a million levels each: fewer of them.
DEEP_BUDGET = settings(BUDGET, max_examples=int(__import__("os").environ.get("ODEME_HOSTILE_DEEP_EXAMPLES", "25")))

SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
# Any code point, lone surrogates and NULs included.
CHARS = st.one_of(st.characters(), SURROGATES, st.just("\x00"))
TEXTS = st.one_of(
    st.text(CHARS, max_size=40),
    # Big strings are built, not drawn character by character: empty to 3 MB.
    st.tuples(st.integers(0, 3 * 1024 * 1024), st.sampled_from(["x", "é", "\x00", "\ud800", "€"])).map(
        lambda t: t[1] * t[0]
    ),
)
ODD_DECIMALS = st.sampled_from(
    [
        Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
        Decimal("1E+999999999"), Decimal("1E-999999999"), Decimal("-0"), Decimal("0E-1000"),
        Decimal("1" * 5000), Decimal("10.005"), Decimal("1.0"),
    ]
)
INTS = st.one_of(
    st.integers(),
    st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 2**64, 2**255, 2**256, -(2**1000)]),
    # (built by a map: Python refuses to repr ints over 4300 digits, and Hypothesis reprs strategies)
    st.sampled_from([4301, 100_000]).map(lambda n: -(10**n)),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    INTS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    ODD_DECIMALS,
    TEXTS,
    st.binary(max_size=20),
    st.complex_numbers(),
    st.just(object()),
    st.just(bytearray(b"\xff\x00")),
    st.frozensets(st.integers(), max_size=3),
)
KEYS = st.one_of(st.text(CHARS, max_size=12), st.integers(), st.none(), st.binary(max_size=4), SURROGATES)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.tuples(children, children),
        st.dictionaries(KEYS, children, max_size=6),
        st.sets(st.integers(), max_size=3),
    ),
    max_leaves=30,
)
# Well-formed requests with one hostile value under a real field name (so validation, not only
# the converter, sees them).
FIELDS = st.sampled_from(
    ["price", "paidPrice", "paymentId", "paymentConversationId", "conversationId", "basketItems", "buyer",
     "paymentCard", "amount", "currency", "orderId", "paymesOrderId", "hash", "ORDER_REF_NUMBER"]
)
REQUESTS = st.one_of(VALUES, st.dictionaries(FIELDS, VALUES, max_size=5))


def nest(depth: int, kind: str, leaf: Any = "x") -> Any:
    """`depth` containers around `leaf`, built without recursion."""
    v = leaf
    for i in range(depth):
        k = kind if kind != "mixed" else ("list", "dict", "tuple")[i % 3]
        v = [v] if k == "list" else {"a": v} if k == "dict" else (v,)
    return v


def survives(fn: Callable[..., Any], *args: Any) -> str:
    """Call `fn`: a result or an odeme error is fine (returns which); anything else fails."""
    try:
        fn(*args)
        return "result"
    except odeme.OdemeError as e:
        assert e.kind in {
            "invalid_argument", "invalid_request", "config", "transport", "outcome_unknown",
            "signature", "decode", "provider", "auth", "declined",
        }, (e.kind, e.message[:200])
        return type(e).__name__
    except BaseException as e:  # noqa: BLE001 - the point is that nothing else escapes
        raise AssertionError(f"{type(e).__name__} escaped: {str(e)[:300]}") from e


def deep_cases(client: odeme.Client, depth: int, kind: str) -> List[str]:
    """Every entry point that walks caller data, given `depth` levels of nesting."""
    v = nest(depth, kind)
    out = [
        survives(client.call, "iyzico.retrieve_payment", {"paymentConversationId": v}),
        survives(client.call, "paymes.verify_notification", v),
        survives(odeme.Client, {**CONFIG, "iyzico": v}),
        survives(odeme.Client, v),
        survives(odeme.paymes_hash, [v], "s"),
        survives(odeme.iyzico_signature, "s", v),
    ]
    if depth >= 127:
        assert out[0] == "InvalidArgumentError", out
    return out


if __name__ == "__main__":  # pragma: no cover - a manual check
    print(deep_cases(odeme.Client(CONFIG), int(sys.argv[1]), sys.argv[2]))
