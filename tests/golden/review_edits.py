"""One pull request's worth of edits to ``examples/``: every review rule is hit at least once.

``EDITS`` are ``(file, old text, new text)`` replacements applied to a copy of the examples;
``EXPECTED`` says which rule (or compatible change) each edit must produce on which entity.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: The images the committed goldens of ``examples/`` were compiled with (the default image
#: and the named ``gpu`` image): a review of the edited examples must compile with them too.
IMAGES = [
    "--image",
    "registry.example.com/team/app:2.0",
    "--image",
    "gpu=registry.example.com/team/gpu:1.4",
]

EDITS: list[tuple[str, str, str]] = [
    # removed: a workflow (and its default launch plan)
    (
        "flows/reports.py",
        '''@workflow(
    default_options=Options(
        labels=Labels({"team": "crm"}), annotations=Annotations({"tier": "gold"})
    )
)
def top_five(customers: list[Customer]) -> list[str]:
    """The five customers with the most tags."""
    return top_customers(customers=customers, n=5)
''',
        "",
    ),
    # renamed: a workflow
    ("flows/control.py", "def ordered_close(", "def ordered_close_v2("),
    # input-renamed
    (
        "flows/orders.py",
        'def strict_review(order: Order) -> OrderReview:\n    """Review an order, holding coupons '
        'for a person to check."""\n    return review_order(order=order, strict=True)',
        'def strict_review(the_order: Order) -> OrderReview:\n    """Review an order, holding '
        'coupons for a person to check."""\n    return review_order(order=the_order, strict=True)',
    ),
    # input-removed and output-removed
    (
        "flows/pricing.py",
        'def quote(price: float) -> dict[str, float]:\n    """A quote in pounds: a sub-workflow '
        'of a sub-workflow."""\n    return price_list(price=price, target=Currency.GBP)',
        'def quote() -> None:\n    """A quote in pounds: a sub-workflow of a sub-workflow."""\n'
        "    price_list(price=9.99, target=Currency.GBP)",
    ),
    # input-retyped, input-required, output-retyped
    (
        "flows/control.py",
        "def sync_customers(since: date) -> int:",
        "def sync_customers(since: str) -> int:",
    ),
    ("flows/control.py", "def crm_export(day: date) -> int:", "def crm_export(day: str) -> float:"),
    (
        "flows/control.py",
        "def crm_refresh(since: date) -> int:",
        "def crm_refresh(since: str, dry_run: bool) -> float:",
    ),
    # input-default-removed (workflow)
    (
        "flows/pricing.py",
        "def sampling_calendar(since: date = date(2024, 1, 1), weeks",
        "def sampling_calendar(since: date, weeks",
    ),
    # a task change that breaks workflows using it (input-default-removed on the task)
    (
        "orders/ingest.py",
        "def load_orders(order_ids: list[str], limit: int = 100) -> int:",
        "def load_orders(order_ids: list[str], limit: int) -> int:",
    ),
    (
        "flows/control.py",
        'add_entity(load_orders, order_ids=_unique.outputs["o0"])',
        'add_entity(load_orders, order_ids=_unique.outputs["o0"], limit=100)',
    ),
    # fixed-input-changed and max parallelism (compatible)
    ("flows/schedules.py", 'fixed_inputs={"limit": 500}', 'fixed_inputs={"limit": 600}'),
    ("flows/schedules.py", "max_parallelism=4,", "max_parallelism=8,"),
    # schedule-removed and a label (compatible)
    (
        "flows/schedules.py",
        "    schedule=FixedRate(duration=timedelta(minutes=15)),\n"
        '    default_inputs={"scores": {}},',
        '    default_inputs={"scores": {}},',
    ),
    ("flows/schedules.py", '"tier": "critical"', '"tier": "high"'),
    # fixed-input-added
    (
        "flows/schedules.py",
        '    name="examples.flows.secured_calendar",\n',
        '    name="examples.flows.secured_calendar",\n'
        '    fixed_inputs={"weeks": timedelta(days=14)},\n',
    ),
    # workflow-changed (a launch plan launching another workflow)
    (
        "flows/schedules.py",
        "legacy_role_calendar = LaunchPlan.get_or_create(\n    sampling_calendar,",
        "legacy_role_calendar = LaunchPlan.get_or_create(\n    price_list,",
    ),
    # input-default-removed (launch plan)
    (
        "flows/schedules.py",
        'default_inputs={"month": "2024-01", "totals": {"web": [0.0]}},',
        'default_inputs={"totals": {"web": [0.0]}},',
    ),
    # notifications (compatible)
    ("flows/schedules.py", '"reports@shop.example"', '"reports-oncall@shop.example"'),
    # a node added (dag) and a node renamed (dag), failure policy removed
    (
        "flows/reports.py",
        "    legacy >> revenue\n    return revenue\n",
        "    legacy >> revenue\n    legacy_revenue(day=date(2024, 2, 29))\n    return revenue\n",
    ),
    (
        "flows/orders.py",
        'split_lines(order=order).with_overrides(name="largest-first")',
        "split_lines(order=order)",
    ),
    ("flows/control.py", "@workflow(on_failure=report_checkout_failure)", "@workflow"),
]

#: (kind, entity, rule or category, breaking)
EXPECTED: list[tuple[str, str, str, bool]] = [
    ("workflow", "examples.flows.reports.top_five", "removed", True),
    ("launch plan", "examples.flows.reports.top_five", "removed", True),
    ("workflow", "examples.flows.control.ordered_close_v2", "renamed", True),
    ("workflow", "examples.flows.orders.strict_review", "input-renamed", True),
    ("workflow", "examples.flows.pricing.quote", "input-removed", True),
    ("workflow", "examples.flows.pricing.quote", "output-removed", True),
    ("launch plan", "examples.flows.pricing.quote", "input-removed", True),
    ("workflow", "examples.flows.control.crm_refresh", "input-retyped", True),
    ("workflow", "examples.flows.control.crm_refresh", "input-required", True),
    ("workflow", "examples.flows.control.crm_refresh", "output-retyped", True),
    ("launch plan", "examples.flows.control.crm_refresh", "input-required", True),
    ("workflow", "examples.flows.pricing.sampling_calendar", "input-default-removed", True),
    ("task", "examples.orders.ingest.load_orders", "input-default-removed", True),
    ("launch plan", "examples.flows.hourly_ingest", "fixed-input-changed", True),
    ("launch plan", "examples.flows.fraud_watch", "schedule-removed", True),
    ("launch plan", "examples.flows.secured_calendar", "fixed-input-added", True),
    ("launch plan", "examples.flows.legacy_role_calendar", "workflow-changed", True),
    ("launch plan", "examples.flows.month_end", "input-default-removed", True),
    ("launch plan", "examples.flows.hourly_ingest", "execution", False),
    ("launch plan", "examples.flows.fraud_watch", "labels/annotations", False),
    ("launch plan", "examples.flows.nightly_headline_plan", "notifications", False),
    ("workflow", "examples.flows.reports.month_close", "dag", False),
    ("workflow", "examples.flows.orders.price_order", "dag", False),
    ("workflow", "examples.flows.control.checkout", "failure policy", False),
]


def edited_examples(source: Path, target: Path) -> Path:
    """Copy ``source`` (the ``examples`` package) to ``target/examples`` and apply ``EDITS``."""
    root = target / "examples"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, old, new in EDITS:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{relative}: {old[:60]!r} is not there exactly once"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return root
