"""Daily and weekly sales reports."""

import typing
from datetime import date, datetime
from typing import Annotated, NamedTuple

from compiler import Description, Documentation, IgnoreOutputs, StructuredDataset, kwtypes, task
from examples.models import Customer

SalesColumns = kwtypes(sku=str, quantity=int, revenue=float, sold_at=datetime)


class SalesSummary(NamedTuple):
    """Headline figures of a sales table."""

    revenue: float
    orders: int
    top_sku: str


@task
def daily_revenue(day: datetime, amounts: list[float]) -> tuple[float, int]:
    """Revenue and order count of one day.

    :param day: The day (midnight, UTC).
    :param amounts: Order totals of that day.
    :return: Total revenue and number of orders.
    """
    return round(sum(amounts), 2), len(amounts)


@task(enable_deck=True)
def summarize_sales(sales: Annotated[StructuredDataset, SalesColumns]) -> SalesSummary:
    """Summarise a sales table.

    The summary is computed from the table's location until a dataframe library is
    configured for the runtime.

    Args:
        sales: Sales rows.

    Returns:
        Revenue, order count and best-selling SKU.
    """
    return SalesSummary(revenue=0.0, orders=0, top_sku=str(sales.uri or ""))


@task
def export_sales(rows: list[str]) -> Annotated[StructuredDataset, "parquet"]:
    """Point at the parquet export of the given rows.

    :param rows: Row ids to export.
    :return: The export.
    """
    return StructuredDataset(uri=f"s3://shop-exports/sales-{len(rows)}.parquet")


@task
def top_customers(customers: list[Customer], n: int = 10) -> list[str]:
    """Ids of the customers with the most tags, ties broken by id.

    :param customers: Customers to rank.
    :param n: How many to return.
    :return: Customer ids, best first.
    """
    ranked = sorted(customers, key=lambda c: (-len(c.tags), c.customer_id))
    return [c.customer_id for c in ranked[:n]]


@task
def weekly_headline(revenue: float, orders: int) -> typing.NamedTuple(
    "WeeklyReport", [("headline", str)]
):
    """Write the headline of the weekly report.

    :param revenue: Revenue of the week.
    :param orders: Orders of the week.
    :return: The headline.
    """
    return (f"{orders} orders, {revenue:.2f} EUR",)


@task(deprecated="Use examples.analytics.reports.daily_revenue instead.")
def legacy_revenue(day: date) -> None:
    """Old revenue report; kept for running pipelines."""
    print(f"legacy revenue report for {day.isoformat()}")


@task
def skip_empty_day(order_count: int) -> int:
    """Pass the order count on, discarding the outputs of days without orders.

    :param order_count: Orders of the day.
    :return: The same count.
    """
    if order_count == 0:
        raise IgnoreOutputs("no orders on this day")
    return order_count


@task(
    docs=Documentation(
        short_description="Monthly revenue per channel.",
        long_description=Description(
            value="Sums order totals by channel for one calendar month.\nRefunds are ignored."
        ),
    )
)
def monthly_revenue(month: str, totals: dict[str, list[float]]) -> dict[str, float]:
    """Revenue per channel for one month (the summary comes from here, the body from docs).

    :param month: The month, ``YYYY-MM``.
    :param totals: Order totals per channel.
    :return: Revenue per channel.
    """
    return {channel: round(sum(values), 2) for channel, values in sorted(totals.items())}
