"""Control flow in production workflows: branches, failure handlers, imperative workflows,
explicit nodes, registered entities from other teams and launch plans as nodes."""

from datetime import date

from compiler import (
    LaunchPlan,
    Workflow,
    conditional,
    create_node,
    reference_launch_plan,
    reference_task,
    task,
    workflow,
)
from examples.analytics.reports import legacy_revenue, monthly_revenue
from examples.catalog.pricing import apply_discount
from examples.flows.orders import ingest_orders
from examples.flows.pricing import discounted
from examples.flows.schedules import hourly_ingest
from examples.models import Order, OrderLine
from examples.orders.ingest import dedupe_order_ids, load_orders, order_total, parse_order
from examples.orders.validate import OrderReview, review_order


@task
def report_checkout_failure(raw: dict[str, str], lines: list[OrderLine]) -> None:
    """Tell the shop front that an order could not be checked out."""
    print(f"checkout failed for order {raw.get('order_id', '?')} ({len(lines)} lines)")


@workflow(on_failure=report_checkout_failure)
def checkout(raw: dict[str, str], lines: list[OrderLine]) -> OrderReview:
    """Review an order: large orders strictly, and refuse orders without a value.

    Args:
        raw: The shop front's payload.
        lines: The order's lines.

    Returns:
        The review.
    """
    order: Order = parse_order(raw=raw, lines=lines)
    total = order_total(lines=lines)
    return (
        conditional("review_by_size")
        .if_(total > 100.0)
        .then(review_order(order=order, strict=True))
        .elif_(total > 0.0)
        .then(review_order(order=order))
        .else_()
        .fail("an order without a value cannot be checked out")
    )


@workflow
def price_band(price: float) -> float:
    """Discount by band: 15% from 100, 5% from 20 to 100, none below (a sub-workflow case)."""
    return (
        conditional("band")
        .if_(price >= 100.0)
        .then(apply_discount(price=price, percent=15.0))
        .elif_((price >= 20.0) & (price < 100.0))
        .then(apply_discount(price=price, percent=5.0))
        .else_()
        .then(discounted(price=price, percent=0.0))
    )


@workflow
def ordered_close(month: str, totals: dict[str, list[float]]) -> dict[str, float]:
    """Month close with explicit nodes: the legacy report first, then the revenue."""
    legacy = create_node(legacy_revenue, day=date(2024, 1, 31))
    revenue = create_node(monthly_revenue, month=month, totals=totals)
    legacy >> revenue
    return revenue.o0


@reference_task(project="shop", domain="production", name="crm.sync_customers", version="v12")
def sync_customers(since: date) -> int:
    """The CRM team's registered task: only its signature is declared here."""
    ...


@reference_launch_plan(project="shop", domain="production", name="crm.nightly_export", version="v3")
def crm_export(day: date) -> int:
    """The CRM team's registered nightly export."""
    ...


@workflow
def crm_refresh(since: date) -> int:
    """Sync customers with the CRM team's task, then run their export launch plan."""
    synced = sync_customers(since=since)
    exported = crm_export(day=since)
    synced >> exported
    return exported


@workflow
def catch_up(order_ids: list[str]) -> int:
    """Run the hourly ingest launch plan, then the default launch plan of ingest_orders."""
    first = hourly_ingest(order_ids=order_ids)
    again = LaunchPlan.get_or_create(ingest_orders)(order_ids=order_ids, limit=10)
    first >> again
    return again


imperative_ingest = Workflow(name="examples.flows.control.imperative_ingest")
_ids = imperative_ingest.add_workflow_input("order_ids", list[str])
_unique = imperative_ingest.add_entity(dedupe_order_ids, order_ids=_ids)
_loaded = imperative_ingest.add_entity(load_orders, order_ids=_unique.outputs["o0"])
imperative_ingest.add_workflow_output("loaded", _loaded.outputs["o0"])
