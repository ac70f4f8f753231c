"""The native module (Rust, PyO3). Use the ``odeme`` package rather than this module."""

from typing import Any, Dict, List, Mapping, Sequence, Union, final

__all__ = [
    "Client",
    "__version__",
    "iyzico_auth_header",
    "iyzico_signature",
    "operations",
    "paymes_hash",
    "pending",
    "reconcile",
    "verify_webhook",
]

__version__: str

@final
class Client:
    def __new__(cls, config: Union[Mapping[str, Any], str]) -> "Client": ...
    def call(self, operation: str, request: Mapping[str, Any]) -> Dict[str, Any]: ...

def paymes_hash(parts: Sequence[str], secret_key: str) -> str: ...
def iyzico_auth_header(
    api_key: str, secret_key: str, random_key: str, uri_path: str, body: Union[bytes, str]
) -> str: ...
def iyzico_signature(secret_key: str, fields: Sequence[str]) -> str: ...
def operations() -> List[Dict[str, Any]]: ...
def verify_webhook(client: Client, provider: str, headers: Mapping[str, str], body: bytes) -> Dict[str, Any]: ...
def pending(client: Client) -> List[Dict[str, Any]]: ...
def reconcile(client: Client) -> List[Dict[str, Any]]: ...
