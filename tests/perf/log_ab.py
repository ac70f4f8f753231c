"""The cost of the log (README, "Logs") in B0's terms: an interleaved A/B of signed
`iyzico.create_payment` calls over TLS against odeme-sim, all contenders in one run.

    python3 tests/perf/log_ab.py BASE_URL CA_FILE PERF_CALLS [BLOCKS] [--base PERF_CALLS_A]

PERF_CALLS is `core/examples/perf_calls` built from this tree (tests/perf/run passes its release
build). Contenders: the floor (bare ureq); odeme's Rust call with no logger installed (the
default, B0's "odeme (Rust)"); with a sink installed at level `off` (`odeme-log-off`); with that
sink at `info` and at `debug` (each event rendered as JSON and written to `std::io::sink()`, a
logger's least work). With `--base`, also the same call from another build (e.g. a commit before
the log existed). Every contender runs BLOCKS blocks of 100 calls (default 60), the blocks of all
of them in a new seeded random order every round, as B0 does. Prints one JSON object: per
contender the calls, the median and p99 per call (µs), the median relative to "no logger", and
the interquartile range of its block medians (µs), the run's noise at that contender.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess

BLOCK = 100
NO_LOGGER = "odeme (Rust), no logger installed"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base_url")
    ap.add_argument("ca_file")
    ap.add_argument("perf_calls")
    ap.add_argument("blocks", nargs="?", type=int, default=60)
    ap.add_argument("--base", help="perf_calls built from another commit")
    args = ap.parse_args()
    procs = {"this": subprocess.Popen([args.perf_calls, args.base_url, args.ca_file, "serve"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)}
    if args.base:
        procs["base"] = subprocess.Popen([args.base, args.base_url, args.ca_file, "serve"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(proc: subprocess.Popen, mode: str) -> list:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"{mode} {BLOCK}\n")
        proc.stdin.flush()
        reply = json.loads(proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(f"{mode}: {reply['error']}")
        return reply["ns"]

    contenders = {
        "floor": ("this", "floor"),
        NO_LOGGER: ("this", "odeme"),
        "odeme (Rust), sink at off": ("this", "odeme-log-off"),
        "odeme (Rust), sink at info": ("this", "odeme-log-info"),
        "odeme (Rust), sink at debug": ("this", "odeme-log-debug"),
    }
    if args.base:
        contenders["odeme (Rust), base build"] = ("base", "odeme")
    samples: dict = {name: [] for name in contenders}
    names = list(contenders)
    order = random.Random(20261207)
    try:
        for _ in range(args.blocks):
            for name in order.sample(names, len(names)):
                which, mode = contenders[name]
                samples[name].append(run(procs[which], mode))
    finally:
        for p in procs.values():
            assert p.stdin is not None
            p.stdin.close()
            p.wait()

    def p99(xs: list) -> float:
        return sorted(xs)[int(0.99 * (len(xs) - 1))]

    def iqr(blocks: list) -> float:
        medians = sorted(statistics.median(b) for b in blocks)
        return medians[(3 * (len(medians) - 1)) // 4] - medians[(len(medians) - 1) // 4]

    ref = statistics.median([x for b in samples[NO_LOGGER] for x in b])
    out = {}
    for name, blocks in samples.items():
        xs = [x for b in blocks for x in b]
        out[name] = {
            "calls": len(xs),
            "median_us": round(statistics.median(xs) / 1000, 1),
            "p99_us": round(p99(xs) / 1000, 1),
            "median_vs_no_logger": round(statistics.median(xs) / ref, 3),
            "block_median_iqr_us": round(iqr(blocks) / 1000, 1),
        }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
