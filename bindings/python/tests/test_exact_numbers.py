"""Issue 30: a reply carrying a 100 KB string beside its amounts (iyzico echoes the
conversationId, as long as a 3-D page) gives back every amount exactly: the outcome's amounts and
every non-integer number of ``raw`` are strings of the provider's digits, never floats; integers
stay ints."""

from __future__ import annotations

import json
from typing import Any, List

from builders import iyzico_payment, unique


def floats(value: Any, path: str = "") -> List[str]:
    if isinstance(value, float):
        return [f"{path} = {value!r}"]
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in floats(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [f for i, v in enumerate(value) for f in floats(v, f"{path}[{i}]")]
    return []


def test_amounts_beside_a_100_kb_string_are_exact(client) -> None:
    conv = unique("exact") + "c" * (100 * 1024)
    r = client.iyzico.create_payment(iyzico_payment(conv))
    assert r["outcome"]["type"] == "completed"
    assert r["raw"]["conversationId"] == conv
    assert floats(r) == []
    # odeme sends paidPrice "1.20" as iyzico's SDK does ("1.2"); the reply's digits come back.
    assert r["outcome"]["paid_price"] == "1.2"
    raw: Any = r["raw"]
    assert (raw["paidPrice"], raw["price"], raw["iyziCommissionFee"]) == ("1.2", "1.0", "0.25")
    assert raw["itemTransactions"][0]["convertedPayout"]["merchantPayoutAmount"] == "0.3"
    assert raw["installment"] == 1 and isinstance(raw["systemTime"], int)

    # JSON text in and out: the provider's digits as numbers.
    text = client.call_json("iyzico.retrieve_payment", json.dumps({"paymentConversationId": conv}))
    assert len(text) > 100 * 1024
    assert '"paidPrice":1.2,' in text
