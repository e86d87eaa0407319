"""Order intake: load, price and review orders, composed from the order tasks."""

from datetime import timedelta
from typing import NamedTuple

from compiler import workflow
from examples.models import Currency, Order, OrderLine
from examples.orders.ingest import (
    dedupe_order_ids,
    load_orders,
    order_total,
    parse_order,
    split_lines,
)
from examples.orders.validate import OrderReview, flag_fraud, review_order


@workflow
def ingest_orders(order_ids: list[str], limit: int = 50) -> int:
    """Load a batch of orders once each.

    Args:
        order_ids: Order ids as the shop front sent them (may repeat).
        limit: Most orders to load.

    Returns:
        The number of orders loaded.
    """
    unique = dedupe_order_ids(order_ids=order_ids)
    return load_orders(order_ids=unique, limit=limit)


@workflow
def price_order(
    raw: dict[str, str], lines: list[OrderLine], currency: Currency = Currency.EUR
) -> float:
    """Parse an order and add up its lines.

    :param raw: The shop front's payload.
    :param lines: The order's lines.
    :param currency: The currency of the unit prices.
    :return: The order total.
    """
    order = parse_order(raw=raw, lines=lines)
    ordered = split_lines(order=order).with_overrides(name="largest-first")
    return order_total(lines=ordered, currency=currency)


@workflow
def strict_review(order: Order) -> OrderReview:
    """Review an order, holding coupons for a person to check."""
    return review_order(order=order, strict=True).with_overrides(
        retries=3, timeout=timedelta(minutes=10), interruptible=False
    )


@workflow
def fraud_check(scores: dict[str, float]) -> dict[str, bool]:
    """Flag suspicious orders with a lower threshold than the task's default."""
    return flag_fraud(scores=scores, threshold=0.75).with_overrides(node_name="flag")


class Intake(NamedTuple):
    loaded: int
    total: float


@workflow
def full_intake(order_ids: list[str], raw: dict[str, str], lines: list[OrderLine]) -> Intake:
    """Load the batch and price its first order: two sub-workflows in one run."""
    loaded = ingest_orders(order_ids=order_ids)
    total = price_order(raw=raw, lines=lines, currency=Currency.USD)
    return Intake(loaded=loaded, total=total)
