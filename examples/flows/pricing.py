"""Pricing workflows: discounts, conversion and sampling calendars."""

from datetime import date, timedelta

from compiler import workflow
from examples.catalog.pricing import apply_discount, convert_prices, price_points
from examples.models import Currency

RATES = {"EUR": {"USD": 1.1, "GBP": 0.85}}


@workflow
def discounted(price: float, percent: float = 10.0) -> float:
    """A price after its discount."""
    return apply_discount(price=price, percent=percent)


@workflow
def price_list(price: float, target: Currency = Currency.USD) -> dict[str, float]:
    """The discounted and the list price of a SKU in another currency.

    Args:
        price: The list price in EUR.
        target: The currency to quote in.

    Returns:
        Both prices, converted.
    """
    sale = discounted(price=price, percent=20.0)
    return convert_prices(prices={"sale": sale, "list": price}, rates=RATES, target=target)


@workflow
def quote(price: float) -> dict[str, float]:
    """A quote in pounds: a sub-workflow of a sub-workflow."""
    return price_list(price=price, target=Currency.GBP)


@workflow
def sampling_calendar(since: date = date(2024, 1, 1), weeks: timedelta = timedelta(days=28)):
    """Sample prices weekly over four weeks (no outputs: the samples are logged)."""
    price_points(since=since, window=weeks)
