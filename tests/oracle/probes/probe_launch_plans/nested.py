"""Launch plans called inside workflows: launch-plan nodes."""

from __future__ import annotations

from datetime import datetime

from compiler import LaunchPlan, reference_launch_plan, workflow
from probe_launch_plans.flows import heartbeat, report
from probe_launch_plans.plans import rate_hours, with_fixed


@workflow
def launches(region: str, at: datetime) -> str:
    """Run a named plan with fixed inputs and two default plans, one ordered after another."""
    with_fixed(limit=4)
    beat = LaunchPlan.get_or_create(heartbeat)(at=at)
    LaunchPlan.get_or_create(report)(region=region) >> rate_hours()
    return beat


@workflow
def launches_again(region: str) -> str:
    """A workflow whose node launches a workflow that itself launches plans."""
    return LaunchPlan.get_or_create(launches)(region=region, at=datetime(2024, 3, 1))


@reference_launch_plan(project="shop", domain="production", name="billing.nightly", version="v7")
def remote_billing(day: str, dry_run: bool = False) -> int:
    """The billing team's launch plan: only its signature is declared here."""
    ...


@workflow
def bill(day: str) -> int:
    """Launch the billing team's registered launch plan."""
    return remote_billing(day=day, dry_run=True)
