"""B6: fsyncs per journaled call, counted by strace (not timed).

Runs `perf_calls BASE_URL CA_FILE N odeme-journal` (odeme's Rust `call_json` with an SQLite
journal on a fresh file: 200 warm-up calls, then N calls) under
`strace -c -f -e trace=fsync,fdatasync`, once with SHORT and once with LONG calls, and prints one
JSON object: the fsync and fdatasync counts of each run and their difference per call,
(count(LONG) - count(SHORT)) / (LONG - SHORT), so that opening the journal, the warm-up and the
checkpoint on close cancel out. Checkpoints during the calls (SQLite's auto-checkpoint, every
1000 WAL pages) are counted: they are part of what a call costs over time.

Usage (from tests/perf/run): python fsyncs.py PERF_CALLS BASE_URL CA_FILE
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

EXE, BASE, CA_FILE = sys.argv[1], sys.argv[2], sys.argv[3]
SHORT = int(os.environ.get("B6_FSYNC_SHORT", "100"))
LONG = int(os.environ.get("B6_FSYNC_LONG", "1100"))
SYNCS = ("fsync", "fdatasync")


def count(calls: int) -> dict:
    """strace -c's call counts of fsync and fdatasync for one perf_calls run of `calls` calls."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
        subprocess.run(["strace", "-c", "-f", "-e", "trace=" + ",".join(SYNCS), "-o", out.name,
                        EXE, BASE, CA_FILE, str(calls), "odeme-journal"], check=True, stdout=subprocess.DEVNULL)
        counts = {name: 0 for name in SYNCS}
        for line in out.read().splitlines():
            # % time  seconds  usecs/call  calls  [errors]  syscall
            fields = line.split()
            if fields and fields[-1] in SYNCS:
                counts[fields[-1]] = int(fields[3])
        return counts


def main() -> None:
    short, long = count(SHORT), count(LONG)
    total = {name: long[name] - short[name] for name in SYNCS}
    print(json.dumps({"short_calls": SHORT, "long_calls": LONG, "short": short, "long": long,
                      "per_call": sum(total.values()) / (LONG - SHORT),
                      "filesystem": subprocess.run(["stat", "-f", "-c", "%T", tempfile.gettempdir()],
                                                   capture_output=True, text=True).stdout.strip()}))


if __name__ == "__main__":
    main()
