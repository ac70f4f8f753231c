"""Fixtures: the odeme-sim binary (plain HTTP and TLS) and clients configured for it."""

from __future__ import annotations

import json
import time
import os
import pathlib
import subprocess
import tempfile
import urllib.request
import ssl
from typing import Any, Dict, Iterator

import pytest

import odeme

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _sim_binary() -> str:
    path = os.environ.get("ODEME_SIM_BIN") or str(ROOT / "target" / "debug" / "odeme-sim")
    if not os.path.exists(path):
        raise RuntimeError(f"odeme-sim not found at {path}; run `cargo build -p odeme-sim` or set ODEME_SIM_BIN")
    return path


class Sim:
    def __init__(self, tls: bool) -> None:
        args = [_sim_binary(), "--quiet"]
        self._tmp = tempfile.TemporaryDirectory() if tls else None
        if self._tmp:
            args += ["--tls", self._tmp.name]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        first = json.loads(self.proc.stdout.readline())
        self.base_url: str = first["base_url"]
        self.ca_pem = pathlib.Path(first["ca_file"]).read_text() if first["ca_file"] else None

    def config(self, **overrides: Any) -> Dict[str, Any]:
        cfg: Dict[str, Any] = {
            "timeout_ms": 30000,
            "allow_http": self.ca_pem is None,
            "ca_pem": self.ca_pem,
            "iyzico": {"api_key": "sim-iyzico-api-key", "secret_key": "sim-iyzico-secret-key", "base_url": self.base_url},
            "paymes": {
                "public_key": "sim-paymes-public-key",
                "secret_key": "sim-paymes-secret-key",
                "secret": "sim-paymes-legacy-secret",
                "base_url": self.base_url,
            },
            "paymago": {"token": "sim-paymago-token", "base_url": self.base_url + "/api"},
            "esnekpos": {"merchant": "TEST1234", "merchant_key": "4oK26hK8MOXrIV1bzTRVPA==", "base_url": self.base_url},
            "paytr": {
                "merchant_id": "100000",
                "merchant_key": "sim-paytr-merchant-key",
                "merchant_salt": "sim-paytr-merchant-salt",
                "base_url": self.base_url,
                "test_mode": True,
            },
        }
        cfg.update(overrides)
        return cfg

    def visit(self, url: str) -> Dict[str, Any]:
        """GET a payment URL as the payer's browser would."""
        ctx = ssl.create_default_context(cadata=self.ca_pem) if self.ca_pem else None
        with urllib.request.urlopen(url, context=ctx) as r:  # noqa: S310 (loopback only)
            return json.loads(r.read())

    def requests(self) -> Any:
        return self.visit(self.base_url + "/__sim/requests")

    def wait_until_booked(self, operation: str, order_ref: str) -> None:
        """Wait for an event (the simulator logged the request), not a time; the cap only turns
        a hang into a failure. A client that gave up early may have sent before it was read."""
        deadline = time.monotonic() + 120
        while not any(r["operation"] == operation and r["order_ref"] == order_ref for r in self.requests()):
            assert time.monotonic() < deadline, f"{operation} {order_ref} never reached the simulator"
            time.sleep(0.005)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        if self._tmp:
            self._tmp.cleanup()


@pytest.fixture(scope="session")
def sim() -> Iterator[Sim]:
    s = Sim(tls=False)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def tls_sim() -> Iterator[Sim]:
    s = Sim(tls=True)
    yield s
    s.stop()


@pytest.fixture()
def client(sim: Sim) -> odeme.Client:
    return odeme.Client(sim.config())
