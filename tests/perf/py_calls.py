"""N calls of odeme's Python `Client.call` (dict in, dict out) or `Client.call_json` (JSON text
in and out) against odeme-sim, each made in `one_call` so that a profiler can count the calls
alone (tests/perf/instructions: callgrind, `--toggle-collect` on the binding's method).

Usage: python py_calls.py BASE_URL CA_FILE N call|call_json
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import odeme  # noqa: E402
from payment import payment  # noqa: E402

base, ca_file, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
client = odeme.Client({"ca_pem": open(ca_file).read(), "timeout_ms": 60000, "connect_timeout_ms": 10000,
                       "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key",
                                  "base_url": base}})
method = {"call": client.call, "call_json": client.call_json}[mode]
for warm in range(200):
    request = payment(f"py-calls-{os.getpid()}-warm-{warm}")
    method("iyzico.create_payment", request if mode == "call" else json.dumps(request, ensure_ascii=False))
requests = [payment(f"py-calls-{os.getpid()}-{i}") for i in range(n)]
if mode == "call_json":
    requests = [json.dumps(r, ensure_ascii=False) for r in requests]
for request in requests:
    out = method("iyzico.create_payment", request)
    del out
