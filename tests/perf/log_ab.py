"""The cost of the log (README, "Logs") in B0's terms: a reduced, interleaved A/B of signed
`iyzico.create_payment` calls over TLS against odeme-sim.

    python3 tests/perf/log_ab.py BASE_URL CA_FILE PERF_CALLS_A PERF_CALLS_B [BLOCKS]

PERF_CALLS_A is `core/examples/perf_calls` built from another commit (e.g. main, before the log
existed), PERF_CALLS_B the one built from this tree. Contenders: the floor (B), odeme's Rust call
from A, from B with logging off (no logger installed: the default), and from B with a sink at
info and at debug (`odeme-log-info`, `odeme-log-debug`: each event rendered as JSON and written to
`std::io::sink()`). Every contender runs BLOCKS blocks of 100 calls, the blocks of all of them in
a new seeded random order every round, as B0 does. Prints one JSON object: per contender the
median and p99 per call (µs) and the median relative to A.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys

BLOCK = 100


def main() -> None:
    base, ca, exe_a, exe_b = sys.argv[1:5]
    blocks = int(sys.argv[5]) if len(sys.argv) > 5 else 60
    a = subprocess.Popen([exe_a, base, ca, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    b = subprocess.Popen([exe_b, base, ca, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(proc: subprocess.Popen, mode: str) -> list:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"{mode} {BLOCK}\n")
        proc.stdin.flush()
        reply = json.loads(proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(f"{mode}: {reply['error']}")
        return reply["ns"]

    contenders = {
        "floor": (b, "floor"),
        "A: odeme (Rust)": (a, "odeme"),
        "B: odeme (Rust), logging off": (b, "odeme"),
        "B: odeme (Rust), log at info": (b, "odeme-log-info"),
        "B: odeme (Rust), log at debug": (b, "odeme-log-debug"),
    }
    samples: dict = {name: [] for name in contenders}
    names = list(contenders)
    order = random.Random(20261207)
    try:
        for _ in range(blocks):
            for name in order.sample(names, len(names)):
                proc, mode = contenders[name]
                samples[name].extend(run(proc, mode))
    finally:
        for p in (a, b):
            assert p.stdin is not None
            p.stdin.close()
            p.wait()

    def p99(xs: list) -> float:
        return sorted(xs)[int(0.99 * (len(xs) - 1))]

    ref = statistics.median(samples["A: odeme (Rust)"])
    out = {
        name: {
            "calls": len(xs),
            "median_us": round(statistics.median(xs) / 1000, 1),
            "p99_us": round(p99(xs) / 1000, 1),
            "median_vs_A": round(statistics.median(xs) / ref, 3),
        }
        for name, xs in samples.items()
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
