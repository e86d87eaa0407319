"""The example workflows and launch plans run locally and give what their tasks compute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from examples.analytics.reports import daily_revenue, monthly_revenue, weekly_headline
from examples.catalog.pricing import apply_discount, convert_prices, price_points
from examples.flows import orders, pricing, reports, schedules
from examples.models import Address, Channel, Currency, Customer, Order, OrderLine
from examples.orders.ingest import order_total
from examples.orders.validate import OrderReview

LINES = [OrderLine("sku-1", 2, 3.5), OrderLine("sku-2", 5, 1.25)]
RAW = {
    "order_id": "o-1",
    "customer_id": "c-1",
    "channel": "web",
    "placed_at": "2024-05-01T10:00:00",
    "coupon": "SPRING",
}


def test_orders_flows() -> None:
    assert orders.ingest_orders(order_ids=["a", " a", "b", "c"], limit=2) == 2
    assert orders.price_order(raw=RAW, lines=LINES) == order_total(lines=LINES) == 13.25
    order = Order("o-1", "c-1", Channel.WEB, LINES, datetime(2024, 5, 1), coupon="X")
    assert orders.strict_review(order=order) == OrderReview(
        approved=False, reason="coupon needs manual review"
    )
    assert orders.fraud_check(scores={"o-1": 0.8, "o-2": 0.5}) == {"o-1": True, "o-2": False}
    intake = orders.full_intake(order_ids=["a", "b"], raw=RAW, lines=LINES)
    assert (intake.loaded, intake.total) == (2, 13.25)


def test_reports_flows() -> None:
    day = datetime(2024, 5, 1, tzinfo=UTC)
    revenue, count = daily_revenue(day=day, amounts=[10.0, 5.5])
    expected = weekly_headline(revenue=revenue, orders=count)[0]
    assert reports.headline(day=day, amounts=[10.0, 5.5]) == expected == "2 orders, 15.50 EUR"
    customers = [
        Customer(f"c-{i}", f"c{i}@example.com", Address("Berlin"), tags=["x"] * i) for i in range(7)
    ]
    assert reports.top_five(customers=customers) == ["c-6", "c-5", "c-4", "c-3", "c-2"]
    totals = {"web": [1.0, 2.25], "store": [4.0]}
    assert reports.month_close(month="2024-05", totals=totals, run_at=day) == monthly_revenue(
        month="2024-05", totals=totals
    )


def test_pricing_flows() -> None:
    assert pricing.discounted(price=20.0) == apply_discount(price=20.0, percent=10.0) == 18.0
    expected = convert_prices(
        prices={"sale": 16.0, "list": 20.0}, rates=pricing.RATES, target=Currency.USD
    )
    assert pricing.price_list(price=20.0) == expected == {"list": 22.0, "sale": 17.6}
    assert pricing.quote(price=20.0) == {"list": 17.0, "sale": 13.6}
    assert pricing.sampling_calendar() is None
    assert len(price_points(since=date(2024, 1, 1), window=timedelta(days=28))) == 5


def test_launch_plans_run_their_workflows_with_their_inputs() -> None:
    run_at = datetime(2024, 5, 2, tzinfo=UTC)
    assert schedules.nightly_headline_plan(run_at=run_at) == "1 orders, 0.00 EUR"
    assert schedules.hourly_ingest() == 1  # the default order_ids: ["warm-up"]
    assert schedules.hourly_ingest(order_ids=["a", "b", "a"]) == 2
    assert schedules.month_end(run_at=run_at) == {"web": 0.0}
    assert schedules.fraud_watch() == {}
    assert schedules.gbp_price_list() == {"list": 8.49, "sale": 6.79}


def test_every_named_launch_plan_is_compiled_with_its_workflow() -> None:
    names = {plan.name for plan in orders.ingest_orders.companion_entities()}
    assert names == {
        "examples.flows.orders.ingest_orders",
        "examples.flows.hourly_ingest",
        "examples.flows.weekday_ingest",
    }
