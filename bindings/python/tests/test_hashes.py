"""The hash helpers equal hashlib/hmac computations, for random inputs with Turkish text."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random

import odeme

ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ0123456789 .,:-_/&=?€"


def rand_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(n)))


def test_paymes_hash_matches_hashlib() -> None:
    rng = random.Random(20261122)
    for _ in range(300):
        parts = [rand_text(rng, 30) for _ in range(rng.randrange(0, 9))]
        secret = rand_text(rng, 40)
        want = base64.b64encode(hashlib.sha512(("".join(parts) + secret).encode()).digest()).decode()
        assert odeme.paymes_hash(parts, secret) == want


def test_paymes_seed_vector() -> None:
    parts = ["123456789", "1050", "TRY", "Ürün İsmi", "Mehmet Yılmaz", "05555555555", "email@example.com",
             "Örnek adres bilgisi"]
    assert odeme.paymes_hash(parts, "111111111") == (
        "knYih0b6Nrvqvw7yxtt5H9Tb6kkH7RJkYlB450FziSBKfx0q2eZACHLi+ZexDZKcs9rxJ//QCmoaq12LaI5+3g==")


def test_iyzico_auth_header_matches_hmac() -> None:
    rng = random.Random(7)
    for _ in range(300):
        api, secret, rnd = rand_text(rng, 20), rand_text(rng, 40), rand_text(rng, 16)
        path = "/" + rand_text(rng, 20)
        body = rand_text(rng, 200)
        sig = hmac.new(secret.encode(), (rnd + path + body).encode(), hashlib.sha256).hexdigest()
        want = "IYZWSv2 " + base64.b64encode(f"apiKey:{api}&randomKey:{rnd}&signature:{sig}".encode()).decode()
        assert odeme.iyzico_auth_header(api, secret, rnd, path, body.encode()) == want
        assert odeme.iyzico_auth_header(api, secret, rnd, path, body) == want


def test_iyzico_signature_matches_hmac() -> None:
    rng = random.Random(11)
    for _ in range(300):
        secret = rand_text(rng, 40)
        fields = [rand_text(rng, 12) for _ in range(rng.randrange(0, 8))]
        want = hmac.new(secret.encode(), ":".join(fields).encode(), hashlib.sha256).hexdigest()
        assert odeme.iyzico_signature(secret, fields) == want
    assert odeme.iyzico_signature(
        "sandbox-wbwpzKIiplZxI3hh5ALI4FJyAcZKL6kq", ["10851936", "TRY", "B67832", "123456789", "1.2", "1"]
    ) == "dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c"
