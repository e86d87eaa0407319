"""Probe references: nodes calling entities registered elsewhere, by project/domain/name/version."""

from __future__ import annotations

from compiler import reference_task, reference_workflow, task, workflow


@reference_task(project="shop", domain="production", name="billing.tasks.charge", version="v7")
def charge(account: str, cents: int, currency: str = "EUR") -> str:
    """Charge an account (registered by the billing team)."""


@reference_task(project="shop", domain="production", name="billing.tasks.ping", version="v1")
def remote_ping() -> None: ...


@reference_workflow(project="shop", domain="staging", name="billing.flows.refund", version="v3")
def refund(receipt: str) -> int:
    return 0  # flytekit compiles the body of a reference workflow: it must return a value


@task
def receipt_of(account: str) -> str:
    return f"receipt-{account}"


@workflow
def checkout(account: str, cents: int = 100) -> str:
    receipt = charge(account=account, cents=cents, currency="EUR")
    remote_ping().with_overrides(retries=3)
    return receipt


@workflow
def mixed(account: str) -> str:
    return charge(account=receipt_of(account=account), cents=5, currency="USD")
