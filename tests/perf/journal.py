"""B6: the payment journal's cost per at_most_once call, from Python against odeme-sim over TLS.

Clients in one process: one without a journal, one with an SQLite journal (a fresh file: WAL;
two committed transactions per call, the intent's with synchronous=FULL, so one fsync, the
outcome's with synchronous=NORMAL, no sync of its own) and, when ODEME_TEST_PG_URL is set
(tests/perf/run runs this under scripts/with-postgres), one with a PostgreSQL journal (a fresh
database on that local server: an INSERT and an UPDATE per call, each its own committed
transaction, the UPDATE's with synchronous_commit off, over loopback TCP). fsyncs per call are
counted by fsyncs.py. They are called in interleaved rounds with
rotating order, so all see the same machine state. Prints one JSON object.

Usage (from tests/perf/run): python journal.py BASE_URL CA_FILE
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import odeme

BASE, CA_FILE = sys.argv[1], sys.argv[2]
CA_PEM = open(CA_FILE).read()
CALLS = int(os.environ.get("B6_CALLS", "2000"))
ROUNDS = 10


def payment(conv: str) -> dict:
    return {
        "locale": "tr", "conversationId": conv, "price": "1.0", "paidPrice": "1.2", "currency": "TRY",
        "installment": "1", "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": "5528790000000008", "expireMonth": "12",
                        "expireYear": "2030", "cvc": "123", "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000",
                  "email": "email@email.com", "identityNumber": "74300864791",
                  "registrationAddress": "Nidakule Göztepe", "ip": "85.34.78.112", "city": "Istanbul",
                  "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey",
                            "address": "Nidakule Göztepe", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey",
                           "address": "Nidakule Göztepe", "zipCode": "34732"},
        "basketItems": [{"id": "BI101", "name": "Binocular", "category1": "Collectibles",
                         "itemType": "PHYSICAL", "price": "1.0"}],
    }


def main() -> None:
    tmp = tempfile.TemporaryDirectory()
    path = os.path.join(tmp.name, "journal.sqlite3")
    config = {"ca_pem": CA_PEM, "timeout_ms": 30000,
              "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key", "base_url": BASE}}
    clients = {"without journal": odeme.Client(config), "with journal": odeme.Client({**config, "journal": {"path": path}})}
    pg_url = os.environ.get("ODEME_TEST_PG_URL")
    if pg_url:
        database = f"odeme_b6_{os.getpid()}"
        subprocess.run([os.path.join(os.environ["ODEME_TEST_PG_BIN"], "psql"), pg_url, "-qc",
                        f"CREATE DATABASE {database}"], check=True)
        url = pg_url.rsplit("/", 1)[0] + "/" + database
        clients["with PostgreSQL journal"] = odeme.Client({**config, "journal": {"url": url}})
    times: dict = {name: [] for name in clients}
    seq = 0
    per_round = max(1, CALLS // ROUNDS)
    for r in range(ROUNDS):
        order = list(clients.items())
        # Rotate which client goes first, so none always follows the same one.
        shift = r % len(order)
        order = order[shift:] + order[:shift]
        for name, client in order:
            for _ in range(per_round):
                seq += 1
                conv = f"b6-{os.getpid()}-{seq}"
                t0 = time.perf_counter()
                client.iyzico.create_payment(payment(conv))
                times[name].append(time.perf_counter() - t0)
    journaled = clients["with journal"].pending()
    out = {name: {"calls": len(t), "median_us": statistics.median(t) * 1e6,
                  "p99_us": sorted(t)[int(len(t) * 0.99) - 1] * 1e6} for name, t in times.items()}
    out["ratio_median"] = out["with journal"]["median_us"] / out["without journal"]["median_us"]
    out["added_median_us"] = out["with journal"]["median_us"] - out["without journal"]["median_us"]
    out["pending_after"] = len(journaled)
    if pg_url:
        pg = out["with PostgreSQL journal"]
        out["pg_ratio_median"] = pg["median_us"] / out["without journal"]["median_us"]
        out["pg_added_median_us"] = pg["median_us"] - out["without journal"]["median_us"]
        out["pg_pending_after"] = len(clients["with PostgreSQL journal"].pending())
    out["filesystem"] = os.popen(f"stat -f -c %T {tmp.name}").read().strip()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
