"""Checks run on every order before it is accepted."""

from typing import Annotated, Literal, NamedTuple, Optional

from compiler import FlyteAnnotation, task
from examples.models import Channel, Order


class OrderReview(NamedTuple):
    """Outcome of an order review."""

    approved: bool
    reason: str


@task
def validate_quantity(quantity: Annotated[int, FlyteAnnotation({"min": 1, "max": 64})]) -> int:
    """Reject quantities the warehouse cannot pick.

    :param quantity: Items of one product in an order.
    :return: The quantity, unchanged.
    :raises ValueError: When the quantity is outside 1..64.
    """
    if not 1 <= quantity <= 64:
        raise ValueError(f"quantity {quantity} is outside 1..64")
    return quantity


@task
def check_coupon(code: Optional[str] = None) -> Optional[str]:  # noqa: UP045
    """Normalise a coupon code; no code gives no coupon.

    :param code: The code as typed by the customer.
    :return: The upper-cased code, or nothing.
    """
    if code is None or not code.strip():
        return None
    return code.strip().upper()


@task
def classify_channel(channel: Literal["web", "store", "marketplace"]) -> Channel:
    """Map the shop front's channel string to the channel enum."""
    return Channel(channel)


@task(retries=1, interruptible=True)
def review_order(order: Order, strict: bool = False) -> OrderReview:
    """Approve or hold an order.

    Args:
        order: The order to review.
        strict: Hold orders that use a coupon.

    Returns:
        Whether the order is approved, and why.
    """
    if not order.lines:
        return OrderReview(approved=False, reason="empty order")
    if strict and order.coupon:
        return OrderReview(approved=False, reason="coupon needs manual review")
    return OrderReview(approved=True, reason="ok")


@task(timeout=300, interruptible=False)
def flag_fraud(scores: dict[str, float], threshold: float = 0.9) -> dict[str, bool]:
    """Flag orders whose fraud score reaches the threshold.

    :param scores: Fraud score per order id.
    :param threshold:
    :return: Whether each order is flagged.
    """
    return {order_id: score >= threshold for order_id, score in sorted(scores.items())}


@task
def coupon_or_channel(value: str | int | None) -> str:
    """Describe a value that is a coupon code, a channel number or missing."""
    if value is None:
        return "none"
    return f"{type(value).__name__}:{value}"
