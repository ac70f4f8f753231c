"""The GIL is released during network calls: threads overlap, and replies match requests."""

from __future__ import annotations

import threading
import time

import odeme
from builders import iyzico_payment, unique


def test_four_threads_overlap_on_one_client(sim) -> None:
    client = odeme.Client(sim.config())
    client.iyzico.retrieve_payment({"paymentConversationId": "warm-up"})  # open a connection
    results = {}
    errors = []

    def work(i: int) -> None:
        conv = unique(f"thr{i}")
        try:
            r = client.iyzico.create_payment(iyzico_payment(conv, product="sim:slow"))
            results[conv] = r["raw"]["conversationId"]
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    assert not errors, errors
    assert len(results) == 4
    assert all(k == v for k, v in results.items()), "every reply matches its own request"
    # Serialised, four 200 ms calls take at least 800 ms; overlapped, about 200 ms.
    assert elapsed < 0.6, f"{elapsed:.3f}s: the GIL was not released"
