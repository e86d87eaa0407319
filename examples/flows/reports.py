"""Reporting workflows: headlines, rankings and the month-end close."""

from datetime import date, datetime

from compiler import Annotations, Labels, Options, workflow
from examples.analytics.reports import (
    daily_revenue,
    legacy_revenue,
    monthly_revenue,
    top_customers,
    weekly_headline,
)
from examples.models import Customer


@workflow
def headline(day: datetime, amounts: list[float]) -> str:
    """The headline of a day's sales.

    Args:
        day: The day.
        amounts: Order totals of that day.

    Returns:
        The headline text.
    """
    revenue, orders = daily_revenue(day=day, amounts=amounts)
    return weekly_headline(revenue=revenue, orders=orders).headline


@workflow(
    default_options=Options(
        labels=Labels({"team": "crm"}), annotations=Annotations({"tier": "gold"})
    )
)
def top_five(customers: list[Customer]) -> list[str]:
    """The five customers with the most tags."""
    return top_customers(customers=customers, n=5)


@workflow
def month_close(month: str, totals: dict[str, list[float]], run_at: datetime) -> dict[str, float]:
    """Close a month: the legacy report runs first, then the revenue per channel.

    :param month: The month, YYYY-MM.
    :param totals: Order totals per channel.
    :param run_at: When the close was scheduled.
    :return: Revenue per channel.
    """
    legacy = legacy_revenue(day=date(2024, 1, 31))
    revenue = monthly_revenue(month=month, totals=totals)
    legacy >> revenue
    return revenue


@workflow
def nightly_headline(run_at: datetime, amounts: list[float] = [0.0]) -> str:  # noqa: B006
    """The headline of the night's run, for the scheduled launch plans."""
    return headline(day=run_at, amounts=amounts)
