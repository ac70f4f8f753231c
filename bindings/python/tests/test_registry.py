"""The operation registry: published by odeme.operations(), mirrored by the binding's methods, and
carried by every outcome_unknown error as the way to reconcile."""

from __future__ import annotations

import inspect

import odeme
from builders import iyzico_payment, paymes_order, unique


def test_every_operation_has_a_method_and_every_method_an_operation(client) -> None:
    declared = {op["name"] for op in odeme.operations()}
    exposed = set()
    for provider in {op["provider"] for op in odeme.operations()}:
        namespace = getattr(client, provider)
        for name, member in inspect.getmembers(type(namespace), inspect.isfunction):
            if not name.startswith("_"):
                exposed.add(f"{provider}.{name}")
    assert exposed == declared, f"missing methods: {declared - exposed}; undeclared methods: {exposed - declared}"


def test_operations_carry_the_contracts_policies() -> None:
    ops = {op["name"]: op for op in odeme.operations()}
    create = dict(ops["iyzico.create_payment"])
    assert create.pop("summary")
    assert create == {
        "name": "iyzico.create_payment", "provider": "iyzico", "sends": "at_most_once",
        "reconcile_with": "iyzico.payment_details", "reconcile_by": "conversationId",
        "method": "POST", "path": "/payment/auth", "outcome": ["completed", "review"],
    }
    for op in ops.values():
        assert (op["method"] is None and op["path"] is None) == (op["sends"] == "local"), op["name"]
        assert op["outcome"], op["name"]
    assert ops["iyzico.payment_details"]["sends"] == "retryable"
    assert ops["paymes.verify_notification"]["sends"] == "local"
    for name in ("paymes.create_order", "paymago.create_order", "esnekpos.send_payment_request"):
        assert ops[name]["sends"] == "at_most_once" and ops[name]["reconcile_with"] is None


def test_outcome_unknown_carries_a_reconcile_request_that_finds_the_payment(sim, client) -> None:
    conv = unique("rr")
    try:
        client.iyzico.create_payment(iyzico_payment(conv, product="sim:drop"))
        raise AssertionError("expected OutcomeUnknownError")
    except odeme.OutcomeUnknownError as e:
        assert e.reconcile_with == "iyzico.payment_details"
        assert e.reconcile_request == {"paymentConversationId": conv}
        assert e.to_dict()["reconcile_request"] == {"paymentConversationId": conv}
        r = client.call(e.reconcile_with, e.reconcile_request)
    assert r["outcome"]["state"] == "paid"
    assert r["outcome"]["order_id"] == conv
    assert r["outcome"]["refunds"] == [] and r["outcome"]["cancelled"] is False


def test_a_provider_without_a_query_says_where_to_look(client) -> None:
    try:
        client.paymes.create_order(paymes_order(unique("pd"), product="sim:drop"))
        raise AssertionError("expected OutcomeUnknownError")
    except odeme.OutcomeUnknownError as e:
        assert e.reconcile_with is None and e.reconcile_request is None
        assert "notification" in str(e)


def test_the_typed_methods_name_their_outcome_types() -> None:
    """The generated return annotations follow each declaration's outcome types."""
    hints = {
        op["name"]: inspect.signature(getattr(getattr(odeme, op["provider"].capitalize()), op["name"].split(".", 1)[1])).return_annotation
        for op in odeme.operations()
    }
    assert hints["iyzico.create_payment"] == "Union[CompletedResponse, ReviewResponse]"
    assert hints["iyzico.bin_check"] == "CardInfoResponse"
    assert hints["paymago.create_order"] == "Union[RedirectResponse, HtmlResponse]"
