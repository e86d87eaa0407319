"""Workflows the launch plans launch: inputs of every kind a launch plan fixes or defaults."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from compiler import Annotations, Labels, Options, task, workflow


class Tier(enum.Enum):
    GOLD = "gold"
    SILVER = "silver"


@dataclass
class Window:
    start: str
    days: int = 7


@task
def summarize(
    region: str, limit: int, run_at: datetime, tier: Tier, window: Window, note: str | None
) -> str:
    return f"{region}:{limit}:{run_at:%Y-%m-%d}:{tier.value}:{window.start}:{note}"


@workflow
def report(
    region: str,
    limit: int = 10,
    run_at: datetime = datetime(2024, 5, 1),
    tier: Tier = Tier.SILVER,
    window: Window = Window(start="2024-01-01"),  # noqa: B008
    note: str | None = None,
) -> str:
    """Build the regional report.

    Args:
        region: Which region.
        limit: How many rows.
        run_at: The scheduled time.
        tier: Customer tier.
        window: The reporting window.
        note: A free text note.
    """
    return summarize(region=region, limit=limit, run_at=run_at, tier=tier, window=window, note=note)


@task
def ping(at: datetime, every: timedelta) -> str:
    return f"{at.isoformat()} {every}"


@workflow
def heartbeat(at: datetime, every: timedelta = timedelta(minutes=5)) -> str:
    return ping(at=at, every=every)


@workflow
def nothing() -> None:
    pass


@workflow(
    default_options=Options(
        labels=Labels({"team": "ops"}), annotations=Annotations({"pager": "ops@example.com"})
    )
)
def labelled_by_default(at: datetime) -> str:
    """Its default launch plan carries the labels and annotations of default_options."""
    return ping(at=at, every=timedelta(minutes=1))


@workflow
def optional_inputs(tag: str | None, note: str | None = None) -> str:
    """Optional inputs with and without a default: both get a bare none default."""
    return ping(at=datetime(2024, 1, 1), every=timedelta(minutes=1))
