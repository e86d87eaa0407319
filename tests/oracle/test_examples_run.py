"""The oracle's example tasks are real code: local calls give exact results.

The same sources are ported to flytekit by the oracle, so these bodies must stay valid flytekit
too (a single-field NamedTuple may be returned as a plain tuple there, for instance).
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest

from examples.analytics.reports import (
    SalesSummary,
    daily_revenue,
    skip_empty_day,
    top_customers,
    weekly_headline,
)
from examples.catalog.assets import count_rows, export_catalog, latest_snapshot
from examples.catalog.pricing import apply_discount, convert_prices, price_points
from examples.models import Address, Channel, Currency, Customer, Order, OrderLine
from examples.orders.ingest import dedupe_order_ids, load_orders, order_total, parse_order
from examples.orders.validate import (
    OrderReview,
    check_coupon,
    classify_channel,
    review_order,
    validate_quantity,
)
from examples.platform.batch import count_sessions

LINES = [OrderLine("sku-1", 2, 1.5), OrderLine("sku-2", 5, 0.25)]
RAW = {
    "order_id": "o-1",
    "customer_id": "c-9",
    "channel": "web",
    "placed_at": "2024-05-01T10:00:00+00:00",
}


def test_lists_and_scalars() -> None:
    assert load_orders(order_ids=["a", "b", "a"]) == 2
    assert load_orders(order_ids=["a", "b", "c"], limit=1) == 1
    assert dedupe_order_ids(order_ids=[" a", "a", "b"]) == ["a", "b"]
    assert order_total(lines=LINES) == 4.25
    assert daily_revenue(day=datetime(2024, 5, 1, tzinfo=UTC), amounts=[1.0, 2.5]) == (
        3.5,
        2,
    )
    assert apply_discount(price=10.0, percent=10.0) == 9.0
    assert convert_prices(prices={"a": 2.0}, rates={"EUR": {"USD": 1.1}}, target=Currency.USD) == {
        "a": 2.2
    }
    assert count_sessions(day="2024-05-01") == 0


def test_dataclasses_enums_and_named_tuples() -> None:
    order = parse_order(raw=RAW, lines=LINES)
    assert order == Order(
        order_id="o-1",
        customer_id="c-9",
        channel=Channel.WEB,
        lines=LINES,
        placed_at=datetime(2024, 5, 1, 10, tzinfo=UTC),
        coupon=None,
    )
    assert review_order(order=order) == OrderReview(approved=True, reason="ok")
    assert classify_channel(channel="store") is Channel.STORE
    customers = [
        Customer("c1", "a@x", Address("Berlin"), ["vip"]),
        Customer("c0", "b@x", Address("Oslo", "NO")),
    ]
    assert top_customers(customers=customers, n=1) == ["c1"]


def test_optional_none() -> None:
    assert check_coupon() is None
    assert check_coupon(code=" spring ") == "SPRING"
    assert latest_snapshot() is None


def test_dates_and_durations() -> None:
    points = price_points(since=date(2024, 5, 1), window=timedelta(days=14))
    assert [p.replace(tzinfo=None) for p in points] == [
        datetime(2024, 5, 1),
        datetime(2024, 5, 8),
        datetime(2024, 5, 15),
    ]


def test_user_error_and_ignored_outputs() -> None:
    with pytest.raises(ValueError, match=r"quantity 100 is outside 1\.\.64"):
        validate_quantity(quantity=100)
    assert validate_quantity(quantity=3) == 3
    assert skip_empty_day(order_count=0) is None
    assert skip_empty_day(order_count=4) == 4


def test_writing_a_file() -> None:
    report = export_catalog(skus=["a", "b"], prices=[1.0, 2.5])
    with open(report, encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [["sku", "price"], ["a", "1.0"], ["b", "2.5"]]
    assert count_rows(report=report) == 2


def test_single_field_named_tuple_returned_as_tuple() -> None:
    assert tuple(weekly_headline(revenue=10.0, orders=3)) == ("3 orders, 10.00 EUR",)


def test_sales_summary_is_a_named_tuple() -> None:
    assert SalesSummary._fields == ("revenue", "orders", "top_sku")


def test_shell_steps_compress_and_count_a_manifest() -> None:
    import gzip

    from examples.platform.tooling import package_manifest

    archive, count = package_manifest(names=["north", "south", "east"])
    assert count == 3
    with gzip.open(archive, "rt", encoding="utf-8") as handle:
        assert handle.read() == "north\nsouth\neast\n"
