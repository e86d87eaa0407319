"""Prices, discounts and currency conversion."""

from datetime import date, datetime, timedelta
from typing import Annotated

from compiler import FlyteAnnotation, task
from examples.models import Currency


@task
def apply_discount(
    price: float, percent: Annotated[float, FlyteAnnotation({"unit": "percent", "max": 90})]
) -> float:
    """Apply a percentage discount to a price.

    Args:
        price: The list price.
        percent: The discount, 0 to 90.

    Returns:
        The discounted price, rounded to cents.
    """
    return round(price * (1 - percent / 100), 2)


@task
def price_points(since: date, window: timedelta, every_days: int = 7) -> list[datetime]:
    """List the instants at which prices are sampled.

    :param since: First day of the window.
    :param window: Length of the window.
    :param every_days: Days between samples.
    :return: The sampling instants.
    """
    start = datetime(since.year, since.month, since.day)
    count = int(window / timedelta(days=every_days))
    return [start + timedelta(days=every_days * i) for i in range(count + 1)]


@task
def convert_prices(
    prices: dict[str, float], rates: dict[str, dict[str, float]], target: Currency
) -> dict[str, float]:
    """Convert prices given as ``"<amount> <currency>"`` keys into one currency.

    :param prices: Price per SKU, in EUR.
    :param rates: Exchange rates, ``rates[from][to]``.
    :param target: The currency to convert into.
    :return: Price per SKU in the target currency.
    """
    rate = rates.get("EUR", {}).get(target.value, 1.0)
    return {sku: round(price * rate, 2) for sku, price in sorted(prices.items())}


@task
def price_rules(overrides: dict, nested: list[dict[str, list[int]]]) -> dict:
    """Merge free-form pricing overrides with tier tables.

    :param overrides: Any JSON object.
    :param nested: Tier tables.
    :return: The merged rules.
    """
    merged = dict(overrides)
    merged["tiers"] = [dict(table) for table in nested]
    return merged
