"""The GIL is released during network calls: threads overlap, and replies match requests."""

from __future__ import annotations

import json
import socket
import threading

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
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 4
    assert all(k == v for k, v in results.items()), "every reply matches its own request"


def test_the_gil_is_released_while_a_call_waits() -> None:
    """A provider (a Python thread here) that answers only after the main thread, which needs
    the GIL, has seen the request arrive: if the call held the GIL while it waited, neither the
    provider nor the main thread could run and the call would end in its timeout. No clock."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    arrived, go = threading.Event(), threading.Event()
    reply = json.dumps({"status": "success", "locale": "tr", "systemTime": 1, "binNumber": "552879",
                        "cardType": "CREDIT_CARD", "cardAssociation": "MASTER_CARD", "cardFamily": "Paraf",
                        "bankName": "Halkbank", "bankCode": 12, "commercial": 0}).encode()

    def read_request(conn: socket.socket) -> bool:
        """The whole request, or False when the client closed first."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")))
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            body += chunk
        return True

    def provider() -> None:
        conn, _ = listener.accept()
        with conn:
            whole = read_request(conn)
            arrived.set()  # also when the client gave up: the assertion below then fails
            if whole:
                go.wait()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(reply)).encode() + b"\r\nConnection: close\r\n\r\n" + reply)

    port = listener.getsockname()[1]
    client = odeme.Client({"allow_http": True, "timeout_ms": 120000, "read_retries": 0,
                           "iyzico": {"api_key": "k", "secret_key": "s", "base_url": f"http://127.0.0.1:{port}"}})
    out: list = []
    server = threading.Thread(target=provider)
    caller = threading.Thread(target=lambda: out.append(client.iyzico.bin_check({"binNumber": "552879"})))
    server.start()
    caller.start()
    arrived.wait()
    go.set()  # the main thread ran while the call was waiting: the GIL was free
    caller.join()
    server.join()
    listener.close()
    assert out and out[0]["outcome"]["bank_name"] == "Halkbank"
