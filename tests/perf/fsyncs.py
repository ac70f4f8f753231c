"""B6: fsyncs per journaled call, counted by strace (not timed).

Runs `perf_calls BASE_URL CA_FILE N odeme-journal` (odeme's Rust `call_json` with an SQLite
journal on a fresh file: 200 warm-up calls, then N calls) under
`strace -c -f -e trace=fsync,fdatasync`, once with SHORT and once with LONG calls, and prints one
JSON object: the fsync and fdatasync counts of each run and their difference per call,
(count(LONG) - count(SHORT)) / (LONG - SHORT), so that opening the journal, the warm-up and the
checkpoint on close cancel out. Checkpoints during the calls (SQLite's auto-checkpoint, every
1000 WAL pages) are counted: they are part of what a call costs over time.

With ODEME_TEST_PG_URL set (tests/perf/run runs this under scripts/with-postgres), the same for
a PostgreSQL journal, whose syncs happen in the server: a `perf_calls serve` process makes its
client and warms it up (`odeme-journal-pg`, ODEME_PERF_PG_URL), then strace attaches to every
server process (`pg_stat_activity`: the client's backend, the WAL writer, the checkpointer, ...)
for SHORT calls and again for LONG calls; the WAL writer's background flushes of the outcomes'
asynchronous commits are counted with the rest.

Usage (from tests/perf/run): python fsyncs.py PERF_CALLS BASE_URL CA_FILE
"""

from __future__ import annotations

import json
import os
import signal
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
        return parse(out.read())


def parse(text: str) -> dict:
    counts = {name: 0 for name in SYNCS}
    for line in text.splitlines():
        # % time  seconds  usecs/call  calls  [errors]  syscall
        fields = line.split()
        if fields and fields[-1] in SYNCS:
            counts[fields[-1]] = int(fields[3])
    return counts


def postgres(url: str) -> dict:
    """The PostgreSQL server's fsync/fdatasync counts around SHORT and LONG journaled calls."""
    psql = os.path.join(os.environ["ODEME_TEST_PG_BIN"], "psql")
    serve = subprocess.Popen([EXE, BASE, CA_FILE, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "ODEME_PERF_PG_URL": url})

    def calls(n: int) -> None:
        assert serve.stdin is not None and serve.stdout is not None
        serve.stdin.write(f"odeme-journal-pg {n}\n")
        serve.stdin.flush()
        reply = json.loads(serve.stdout.readline() or '{"error": "perf_calls ended"}')
        if "error" in reply:
            raise RuntimeError(f"odeme-journal-pg: {reply['error']}")

    def traced(n: int) -> dict:
        pids = subprocess.run([psql, url, "-Atc", "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()"],
                              check=True, capture_output=True, text=True).stdout.split()
        with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
            args = ["strace", "-c", "-f", "-e", "trace=" + ",".join(SYNCS), "-o", out.name]
            for pid in pids:
                args += ["-p", pid]
            strace = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
            assert strace.stderr is not None
            attached = 0
            while attached < len(pids):  # strace says "Process N attached" for each (or that it ended)
                line = strace.stderr.readline()
                if not line:
                    raise RuntimeError("strace ended before attaching to every server process")
                attached += "attached" in line or "No such process" in line
            calls(n)
            strace.send_signal(signal.SIGINT)
            strace.wait()
            return parse(out.read())

    try:
        calls(1)  # the client, its connection (a server backend) and the 200-call warm-up
        short, long = traced(SHORT), traced(LONG)
    finally:
        assert serve.stdin is not None
        serve.stdin.close()
        serve.wait()
    total = {name: long[name] - short[name] for name in SYNCS}
    return {"short": short, "long": long, "per_call": sum(total.values()) / (LONG - SHORT)}


def main() -> None:
    short, long = count(SHORT), count(LONG)
    total = {name: long[name] - short[name] for name in SYNCS}
    pg_url = os.environ.get("ODEME_TEST_PG_URL")
    print(json.dumps({"short_calls": SHORT, "long_calls": LONG, "short": short, "long": long,
                      "postgres": postgres(pg_url) if pg_url else None,
                      "per_call": sum(total.values()) / (LONG - SHORT),
                      "filesystem": subprocess.run(["stat", "-f", "-c", "%T", tempfile.gettempdir()],
                                                   capture_output=True, text=True).stdout.strip()}))


if __name__ == "__main__":
    main()
