"""Loading raw orders into typed records."""

from datetime import datetime

from compiler import Resources, task
from examples.models import Channel, Currency, Order, OrderLine


@task(cache=True, cache_version="v3", retries=2)
def load_orders(order_ids: list[str], limit: int = 100) -> int:
    """Load orders into the staging table.

    Orders already present are skipped, so the task
    can be retried safely.

    :param order_ids: Orders to load.
    :param limit: Largest number of orders to load in one run.
    :return: Number of rows written.
    """
    return min(len(set(order_ids)), limit)


@task
def dedupe_order_ids(order_ids: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for order_id in order_ids:
        seen.setdefault(order_id.strip(), None)
    return list(seen)


@task(requests=Resources(cpu="500m", mem="256Mi"))
def parse_order(raw: dict[str, str], lines: list[OrderLine]) -> Order:
    """Build an order record from the shop front's key/value payload.

    Args:
        raw: The payload; ``order_id``, ``customer_id``, ``channel`` and ``placed_at`` are
            required, ``coupon`` is optional.
        lines: The order's product lines.

    Returns:
        The typed order.
    """
    return Order(
        order_id=raw["order_id"],
        customer_id=raw["customer_id"],
        channel=Channel(raw["channel"]),
        lines=lines,
        placed_at=datetime.fromisoformat(raw["placed_at"]),
        coupon=raw.get("coupon") or None,
    )


@task
def split_lines(order: Order) -> list[OrderLine]:
    """Return the order's lines, largest quantity first.

    :param order: The order to split.
    :returns: The lines.
    """
    return sorted(order.lines, key=lambda line: -line.quantity)


@task(limits=Resources(cpu="1", mem="512Mi", ephemeral_storage="1Gi"))
def order_total(lines: list[OrderLine], currency: Currency = Currency.EUR) -> float:
    """Sum the value of order lines.

    Args:
        lines: Lines to add up.
        currency: Currency of the unit prices.

    Returns:
        float: The total, rounded to cents.
    """
    rate = {Currency.EUR: 1.0, Currency.USD: 1.0, Currency.GBP: 1.0}[currency]
    return round(sum(line.quantity * line.unit_price for line in lines) * rate, 2)
