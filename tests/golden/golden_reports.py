"""A fixed comparison used by the report tests (and the browser test)."""

from __future__ import annotations

from pathlib import Path

from golden_helpers import DEFAULTS, INT, LOAD, STR, task_spec, write_bundle

from compiler.golden import GoldenReport, check_bundle, read_bundle, write_golden_dir

OLD = [
    (LOAD, task_spec(), DEFAULTS),
    ("00_shop.orders.purge_1", task_spec("shop.orders.purge", inputs={"days": INT}), None),
]
NEW = [
    (
        LOAD,
        task_spec(
            image="registry.example.com/team/app:2.1",
            inputs={"order_ids": {"collection_type": STR}},
        ),
        {"source": "shop/orders.py:10", "defaults": {}},
    ),
    ("00_shop.stock.count_1", task_spec("shop.stock.count", outputs={"o0": STR}), None),
]


def sample_report(root: Path) -> GoldenReport:
    """Goldens from ``OLD`` under ``root/golden``; the bundle from ``NEW``; their comparison."""
    write_golden_dir(read_bundle(write_bundle(root / "old", OLD)), root / "golden")
    return check_bundle(write_bundle(root / "new", NEW), root / "golden")
