"""Fan-out and people in the loop: a map task over prices with a bound discount, a pause for the
caches to settle, an approval of the repriced list, an operator's price cap and an echo task
that hands the list to the next team without running a pod."""

import functools
from datetime import timedelta

from compiler import Echo, approve, kwtypes, map_task, sleep, task, wait_for_input, workflow
from examples.catalog.pricing import apply_discount

#: Propeller's echo plugin hands the inputs on as outputs (no container).
echo_prices = Echo(name="echo_prices", inputs=kwtypes(prices=list[float]))


@task
def cap_prices(prices: list[float], cap: float) -> list[float]:
    """Lower every price above the cap to the cap.

    Args:
        prices: The prices.
        cap: The highest price allowed.

    Returns:
        The capped prices, in order.
    """
    return [min(price, cap) for price in prices]


@task
def parse_price(text: str) -> float:
    """Read a price written as ``"12.50 EUR"``; anything else fails this element only."""
    amount, _, currency = text.partition(" ")
    if currency != "EUR":
        raise ValueError(f"not a EUR price: {text!r}")
    return float(amount)


#: Ten percent off every price, four at a time.
ten_percent_off = map_task(functools.partial(apply_discount, percent=10.0), concurrency=4)


@workflow
def reprice(prices: list[float]) -> list[float]:
    """Discount a price list, wait, have it approved and cap it at the operator's limit.

    Args:
        prices: The list prices.

    Returns:
        The approved prices, capped.
    """
    discounted = ten_percent_off(price=prices)
    settle = sleep(timedelta(minutes=5))
    shown = echo_prices(prices=discounted)
    approved = approve(shown, "approve_prices", timeout=timedelta(hours=4))
    settle >> approved
    cap = wait_for_input("price_cap", timeout=timedelta(hours=1), expected_type=float)
    return cap_prices(prices=approved, cap=cap)


@workflow
def quick_reprice(prices: list[float], feed: list[str]) -> list[float | None]:
    """Discount a price list without people in the loop, and read a partner feed in which up to
    a quarter of the lines may be broken (their element is ``None``).

    Args:
        prices: The list prices (the discounted list is not returned: it warms the caches).
        feed: The partner's prices as text.

    Returns:
        The partner's prices, ``None`` where a line could not be read.
    """
    ten_percent_off(price=prices)
    return map_task(parse_price, min_success_ratio=0.75)(text=feed)
