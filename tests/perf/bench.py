"""B1-B5 (Python side) against odeme-sim over TLS. Prints one JSON object with every figure.

Usage (from tests/perf/run): python bench.py BASE_URL CA_FILE
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import statistics
import string
import sys
import threading
import time
import timeit
import urllib.request
import ssl
from decimal import Decimal

BASE, CA_FILE = sys.argv[1], sys.argv[2]
os.environ["SSL_CERT_FILE"] = CA_FILE  # the official SDK uses Python's default SSL context

import iyzipay  # noqa: E402
import requests  # noqa: E402

import odeme  # noqa: E402
from payment import payment  # noqa: E402  (tests/perf/payment.py, shared with the PGO training run)

API_KEY, SECRET = "sim-iyzico-api-key", "sim-iyzico-secret-key"
CA_PEM = open(CA_FILE).read()
CALLS_PER_CLIENT = int(os.environ.get("B1_CALLS", "5000"))
ROUNDS = 10


def rss_kib() -> int:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sim_stats() -> dict:
    ctx = ssl.create_default_context(cafile=CA_FILE)
    with urllib.request.urlopen(BASE + "/__sim/stats", context=ctx) as r:
        return json.loads(r.read())


def strip_zeros(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def verify(reply: dict) -> None:
    fields = [str(reply["paymentId"]), reply["currency"], reply["basketId"], reply["conversationId"],
              strip_zeros(str(reply["paidPrice"])), strip_zeros(str(reply["price"]))]
    want = hmac.new(SECRET.encode(), ":".join(fields).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, reply["signature"]):
        raise AssertionError("signature")


# ---- the three contenders ----------------------------------------------------------------

client = odeme.Client({"ca_pem": CA_PEM, "timeout_ms": 30000,
                       "iyzico": {"api_key": API_KEY, "secret_key": SECRET, "base_url": BASE}})


def call_odeme(conv: str) -> None:
    r = client.iyzico.create_payment(payment(conv))
    assert r["outcome"]["type"] == "completed"


session = requests.Session()


def call_requests(conv: str) -> None:
    body = json.dumps(payment(conv), separators=(",", ":"), ensure_ascii=False).encode()
    rnd = "".join(random.SystemRandom().choice(string.ascii_letters + string.digits) for _ in range(16))
    sig = hmac.new(SECRET.encode(), rnd.encode() + b"/payment/auth" + body, hashlib.sha256).hexdigest()
    auth = base64.b64encode(f"apiKey:{API_KEY}&randomKey:{rnd}&signature:{sig}".encode()).decode()
    r = session.post(BASE + "/payment/auth", data=body, verify=CA_FILE, timeout=30,
                     headers={"Authorization": "IYZWSv2 " + auth, "x-iyzi-rnd": rnd,
                              "Content-Type": "application/json", "Accept": "application/json"})
    reply = r.json()
    assert reply["status"] == "success", reply
    verify(reply)


iyzipay_options = {"api_key": API_KEY, "secret_key": SECRET, "base_url": BASE.split("://", 1)[1]}


def call_iyzipay(conv: str) -> None:
    reply = json.loads(iyzipay.Payment().create(payment(conv), iyzipay_options).read())
    assert reply["status"] == "success", reply
    verify(reply)


def summary(wall: list, cpu: list) -> dict:
    """Median and p99 of a contender's wall times and, when measured, of its thread CPU times
    (nanoseconds in, µs out)."""
    wall, cpu = sorted(wall), sorted(cpu)
    out = {"calls": len(wall), "median_us": statistics.median(wall) / 1000,
           "p99_us": wall[int(len(wall) * 0.99) - 1] / 1000}
    if cpu:
        out["cpu_median_us"] = statistics.median(cpu) / 1000
        out["cpu_p99_us"] = cpu[int(len(cpu) * 0.99) - 1] / 1000
    return out


def timed(fn, *args) -> tuple:
    """Run fn(*args); its wall time and the calling thread's CPU time (`time.thread_time_ns`,
    CLOCK_THREAD_CPUTIME_ID: user and system time of this thread only, so neither the simulator
    nor the time spent waiting for it counts), in nanoseconds, and its result."""
    c0 = time.thread_time_ns()
    t0 = time.perf_counter_ns()
    r = fn(*args)
    t1 = time.perf_counter_ns()
    c1 = time.thread_time_ns()
    return t1 - t0, c1 - c0, r


def b1() -> dict:
    contenders = {"odeme": call_odeme, "requests.Session": call_requests, "iyzipay SDK": call_iyzipay}
    samples = {name: ([], []) for name in contenders}
    for name, fn in contenders.items():  # warm-up: connections, imports, caches
        for i in range(20):
            fn(f"warm-{name}-{i}")
    per_round = CALLS_PER_CLIENT // ROUNDS
    names = list(contenders)
    order = random.Random(20261127)
    for rnd in range(ROUNDS):
        for name in order.sample(names, len(names)):  # interleaved, a new order every round (see b0)
            fn = contenders[name]
            for i in range(per_round):
                wall, cpu, _ = timed(fn, f"b1-{name}-{rnd}-{i}")
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
    return {name: summary(wall, cpu) for name, (wall, cpu) in samples.items()}


B0_CALLS = int(os.environ.get("B0_CALLS", "10000"))
B0_BLOCK = int(os.environ.get("B0_BLOCK", "100"))


def b0() -> dict:
    """The per-call floor: a bare ureq client (examples/perf_calls.rs, keep-alive, the same body,
    IYZWSv2 per call, reply read but not parsed), odeme's Rust `call_json`, odeme with a journal,
    odeme from C (`odeme_call`, tests/perf/b0.c linked to the installed library; ODEME_PERF_C is
    its path) and odeme from Python. The Rust contenders live in one `perf_calls serve` process,
    the C one in a `b0` process speaking the same protocol (each warmed up with 200 calls on
    first use); every contender runs B0_CALLS calls in blocks of B0_BLOCK,
    the blocks interleaved in a new random order every round, so that all of them meet the same machine
    conditions (the simulator, the other core, the VM's drift). Figures are the median and p99
    of all of a contender's calls, of the wall time and of the calling thread's CPU time
    (CLOCK_THREAD_CPUTIME_ID around each call, in Rust, C and Python alike)."""
    import subprocess
    import tempfile

    exe = os.environ["ODEME_PERF_CALLS"]
    serve = subprocess.Popen([exe, BASE, CA_FILE, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)

    def served(proc: subprocess.Popen, mode: str) -> tuple:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"{mode} {B0_BLOCK}\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{mode}: the contender's process ended (exit status {proc.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"{mode}: {reply['error']}")
        return reply["ns"], reply.get("cpu_ns", [])

    def rust(mode: str) -> tuple:
        return served(serve, mode)

    # An earlier build's perf_calls (ODEME_PERF_CALLS_BASE, e.g. before a change), measured in
    # the same run as "odeme (Rust, base build)": a before/after that meets the same machine.
    base_exe = os.environ.get("ODEME_PERF_CALLS_BASE")
    base_serve = None
    if base_exe:
        base_serve = subprocess.Popen([base_exe, BASE, CA_FILE, "serve"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)

    # odeme from C: the client's configuration and the request (conversationId "@CONV@") as
    # files, as bench.py's own client and payment.py make them. ODEME_PERF_C links the library
    # as released (profile-guided, scripts/install-c --pgo); ODEME_PERF_C_PLAIN, when set, a plain
    # release build of it: the profile's worth, measured in the same run.
    c_exe = os.environ.get("ODEME_PERF_C")
    c_dir = tempfile.TemporaryDirectory()
    config_file, request_file = os.path.join(c_dir.name, "config.json"), os.path.join(c_dir.name, "request.json")
    with open(config_file, "w") as f:
        json.dump({"ca_pem": CA_PEM, "timeout_ms": 60000, "connect_timeout_ms": 10000,
                   "iyzico": {"api_key": API_KEY, "secret_key": SECRET, "base_url": BASE}}, f)
    with open(request_file, "w") as f:
        json.dump(payment("@CONV@"), f, ensure_ascii=False)
    c_serves = {name: subprocess.Popen([exe, config_file, request_file], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True)
                for name, exe in (("odeme (C)", c_exe), ("odeme (C, plain build)", os.environ.get("ODEME_PERF_C_PLAIN")))
                if exe}

    for i in range(200):  # the same 200-call warm-up as the Rust contenders
        client.call("iyzico.create_payment", payment(f"b0-py-warm-{time.monotonic_ns()}-{i}"))

    def python() -> tuple:
        # Requests are built before the clock starts, as the Rust contenders' texts are.
        batch = [payment(f"b0-py-{time.monotonic_ns()}-{i}") for i in range(B0_BLOCK)]
        ns, cpu = [], []
        for request in batch:
            wall, used, r = timed(client.call, "iyzico.create_payment", request)
            ns.append(wall)
            cpu.append(used)
            assert r["outcome"]["type"] == "completed"
            # Freed here, after the clock, as the Rust contenders drop their response after
            # theirs (rebinding `r` would free it inside the next call's time).
            del r
        return ns, cpu

    def python_text() -> tuple:
        # The same calls with JSON text in and out (`Client.call_json`): no dict is converted
        # either way, so the difference from `python` is the binding's dict conversion.
        batch = [json.dumps(payment(f"b0-pyt-{time.monotonic_ns()}-{i}"), ensure_ascii=False)
                 for i in range(B0_BLOCK)]
        ns, cpu = [], []
        for request in batch:
            wall, used, r = timed(client.call_json, "iyzico.create_payment", request)
            ns.append(wall)
            cpu.append(used)
            assert r.startswith('{"operation":"iyzico.create_payment","outcome":{"type":"completed"'), r[:80]
            del r
        return ns, cpu

    for i in range(200):
        client.call_json("iyzico.create_payment", json.dumps(payment(f"b0-pyt-warm-{time.monotonic_ns()}-{i}")))

    contenders = {"floor": lambda: rust("floor"), "floor + ureq timeouts": lambda: rust("floor-timeouts"),
                  "odeme (Rust)": lambda: rust("odeme"), "odeme (Rust, journal)": lambda: rust("odeme-journal"),
                  "odeme (Python)": python, "odeme (Python, JSON text in and out)": python_text}
    for name, proc in c_serves.items():
        contenders[name] = lambda proc=proc: served(proc, "odeme-c")
    if base_serve is not None:
        contenders["odeme (Rust, base build)"] = lambda: served(base_serve, "odeme")
    samples: dict = {name: ([], []) for name in contenders}
    names = list(contenders)
    try:
        # A new order every round, not a rotation: rotating keeps each client's predecessor
        # fixed, and the block just before changes the next one's figures (one that follows
        # the journal's fsync waits measured faster). Seeded, so runs are comparable.
        order = random.Random(20261127)
        for _ in range(B0_CALLS // B0_BLOCK):
            for name in order.sample(names, len(names)):
                wall, cpu = contenders[name]()
                samples[name][0].extend(wall)
                samples[name][1].extend(cpu)
    finally:
        for proc in (serve, base_serve, *c_serves.values()):
            if proc is not None:
                assert proc.stdin is not None
                proc.stdin.close()
                proc.wait()
        c_dir.cleanup()
    out = {name: {**summary(wall, cpu), "block": B0_BLOCK} for name, (wall, cpu) in samples.items()}
    if "odeme (C)" not in c_serves:
        out["odeme (C)"] = {"error": "ODEME_PERF_C (tests/perf/b0.c built against the installed library) not set"}
    return out


def b2() -> dict:
    fresh = odeme.Client({"ca_pem": CA_PEM, "iyzico": {"api_key": API_KEY, "secret_key": SECRET, "base_url": BASE}})
    pid = fresh.iyzico.create_payment(payment("b2-seed"))["provider_reference"]
    before = sim_stats()
    n = 10_000
    for _ in range(n):
        fresh.iyzico.retrieve_payment({"paymentId": pid})
    after = sim_stats()
    return {"calls": n, "tls_handshakes": after["tls_handshakes"] - before["tls_handshakes"],
            "connections": after["connections"] - before["connections"]}


def b3() -> dict:
    out = {}
    shared = odeme.Client({"ca_pem": CA_PEM, "iyzico": {"api_key": API_KEY, "secret_key": SECRET, "base_url": BASE}})
    total = 4000
    for threads in (1, 2, 4, 8):
        mismatches = []
        per = total // threads

        def work(t: int) -> None:
            for i in range(per):
                conv = f"b3-{threads}-{t}-{i}"
                r = shared.iyzico.create_payment(payment(conv))
                if r["raw"]["conversationId"] != conv:
                    mismatches.append(conv)

        ts = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
        t0 = time.perf_counter()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        elapsed = time.perf_counter() - t0
        out[str(threads)] = {"calls": per * threads, "calls_per_s": per * threads / elapsed,
                             "all_replies_match": not mismatches}
    return out


PARTS = ["123456789", "1050.00", "TRY", "Ürün İsmi", "Mehmet Yılmaz", "05555555555", "email@example.com",
         "Örnek adres bilgisi"]


def b4_python() -> dict:
    """The same hot-path work done with Python's hmac/hashlib/json (ns per operation)."""
    body = json.dumps(payment("123456789"), separators=(",", ":"), ensure_ascii=False).encode()
    reply = json.dumps({"status": "success", "conversationId": "123456789", "price": 1.0, "paidPrice": 1.2,
                        "installment": 1, "paymentId": "10851936", "fraudStatus": 1, "currency": "TRY",
                        "basketId": "B67832", "signature": hmac.new(SECRET.encode(), b"10851936:TRY:B67832:123456789:1.2:1",
                                                                   hashlib.sha256).hexdigest()})

    def header() -> str:
        sig = hmac.new(SECRET.encode(), b"123456789/payment/auth" + body, hashlib.sha256).hexdigest()
        return base64.b64encode(f"apiKey:{API_KEY}&randomKey:123456789&signature:{sig}".encode()).decode()

    def paymes() -> str:
        return base64.b64encode(hashlib.sha512(("".join(PARTS) + "111111111").encode()).digest()).decode()

    def signature() -> bool:
        want = hmac.new(SECRET.encode(), b"10851936:TRY:B67832:123456789:1.2:1", hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, "dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c")

    def serialise() -> bytes:
        return json.dumps(payment("123456789"), separators=(",", ":"), ensure_ascii=False).encode()

    def parse() -> None:
        verify(json.loads(reply))

    out = {}
    for name, fn in [("iyzws_v2_header", header), ("paymes_hash", paymes), ("iyzico_response_signature", signature),
                     ("iyzico.create_payment serialise", serialise), ("iyzico.create_payment parse+verify", parse)]:
        n, t = timeit.Timer(fn).autorange()
        best = min(timeit.Timer(fn).repeat(5, n)) / n
        out[name] = best * 1e9
    return out


def b5_python() -> dict:
    n = 100_000
    t0 = time.perf_counter_ns()
    for i in range(n):
        odeme.paymes_hash(PARTS, "111111111")
        if i == 999:
            rss_1000 = rss_kib()
    elapsed = time.perf_counter_ns() - t0
    return {"lang": "Python", "ns_per_call": elapsed / n, "rss_after_1000_kib": rss_1000,
            "rss_after_100000_kib": rss_kib()}


if __name__ == "__main__":
    only = os.environ.get("BENCH_ONLY")  # "b0" or "b0,b1": a quick look at the per-call ratios alone
    if only:
        parts = {"b0": b0, "b1": b1}
        print(json.dumps({name: parts[name]() for name in only.split(",")}))
        sys.exit(0)
    results = {"b0": b0(), "b4_python_ns": b4_python(), "b5_python": b5_python(), "b2": b2(), "b3": b3(),
               "b1": b1()}
    print(json.dumps(results))
