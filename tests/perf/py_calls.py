"""N calls of odeme's Python `Client.call` (dict in, dict out) or `Client.call_json` (JSON text
in and out) against odeme-sim, for tests/perf/instructions (callgrind over the whole process).

The 900 requests are built before any call, in both forms, whatever N: within one mode the
process's work outside the calls (start-up, the mode's 200 warm-up calls, the requests) is then
the same for every N, so the difference of two counts is the calls' own (plus the loop's few
instructions per call).

Usage: python py_calls.py BASE_URL CA_FILE N call|call_json
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import odeme  # noqa: E402
from payment import payment  # noqa: E402

MOST = 900
base, ca_file, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
if not 0 <= n <= MOST:
    sys.exit(f"N must be 0..{MOST}")
client = odeme.Client({"ca_pem": open(ca_file).read(), "timeout_ms": 60000, "connect_timeout_ms": 10000,
                       "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key",
                                  "base_url": base}})
method = {"call": client.call, "call_json": client.call_json}[mode]
for warm in range(200):
    request = payment(f"py-calls-{os.getpid()}-warm-{warm}")
    method("iyzico.create_payment", request if mode == "call" else json.dumps(request, ensure_ascii=False))
dicts = [payment(f"py-calls-{os.getpid()}-{i}") for i in range(MOST)]
texts = [json.dumps(r, ensure_ascii=False) for r in dicts]
requests = dicts if mode == "call" else texts
for request in requests[:n]:
    out = method("iyzico.create_payment", request)
    del out
