"""One launch plan per option; names are module-qualified by hand as users write them."""

from __future__ import annotations

from datetime import datetime, timedelta

from compiler import (
    Annotations,
    AuthRole,
    ConcurrencyLimitBehavior,
    ConcurrencyPolicy,
    CronSchedule,
    Email,
    FixedRate,
    Identity,
    Labels,
    LaunchPlan,
    PagerDuty,
    RawOutputDataConfig,
    Secret,
    SecurityContext,
    Slack,
    WorkflowExecutionPhase,
)
from probe_launch_plans.flows import Tier, Window, heartbeat, nothing, report

default_again = LaunchPlan.get_or_create(report)

with_defaults = LaunchPlan.get_or_create(
    report,
    name="plans.with_defaults",
    default_inputs={"region": "eu", "limit": 25, "tier": Tier.GOLD},
)
with_fixed = LaunchPlan.get_or_create(
    report,
    name="plans.with_fixed",
    fixed_inputs={"region": "us", "window": Window(start="2024-02-01", days=3), "note": "fixed"},
)
fixed_and_default = LaunchPlan.create(
    "plans.fixed_and_default",
    report,
    default_inputs={"region": "apac", "run_at": datetime(2025, 1, 2, 3, 4, 5)},
    fixed_inputs={"limit": 3},
)
cron = LaunchPlan.get_or_create(
    heartbeat,
    name="plans.cron",
    schedule=CronSchedule(schedule="30 4 * * 1-5", kickoff_time_input_arg="at"),
)
cron_alias = LaunchPlan.get_or_create(
    heartbeat, name="plans.cron_alias", schedule=CronSchedule(schedule="@daily")
)
cron_offset = LaunchPlan.get_or_create(
    heartbeat,
    name="plans.cron_offset",
    schedule=CronSchedule(schedule="0 */6 * * *", offset="PT1H", kickoff_time_input_arg="at"),
)
rate_days = LaunchPlan.get_or_create(
    heartbeat,
    name="plans.rate_days",
    schedule=FixedRate(duration=timedelta(days=2), kickoff_time_input_arg="at"),
)
rate_hours = LaunchPlan.get_or_create(
    heartbeat,
    name="plans.rate_hours",
    schedule=FixedRate(duration=timedelta(hours=6)),
    fixed_inputs={"at": datetime(2024, 1, 1)},
)
rate_minutes = LaunchPlan.get_or_create(
    heartbeat,
    name="plans.rate_minutes",
    schedule=FixedRate(duration=timedelta(minutes=90)),
    fixed_inputs={"at": datetime(2024, 1, 1)},
)
notified = LaunchPlan.get_or_create(
    report,
    name="plans.notified",
    notifications=[
        Email(
            phases=[WorkflowExecutionPhase.FAILED, WorkflowExecutionPhase.TIMED_OUT],
            recipients_email=["oncall@example.com", "data@example.com"],
        ),
        Slack(phases=[WorkflowExecutionPhase.SUCCEEDED], recipients_email=["chan@slack.example"]),
        PagerDuty(phases=[WorkflowExecutionPhase.ABORTED], recipients_email=["pd@example.com"]),
    ],
)
labelled = LaunchPlan.get_or_create(
    report,
    name="plans.labelled",
    labels=Labels({"team": "data", "cost-center": "42"}),
    annotations=Annotations({"owner": "data-team@example.com"}),
)
tuned = LaunchPlan.get_or_create(
    report,
    name="plans.tuned",
    raw_output_data_config=RawOutputDataConfig(output_location_prefix="s3://bucket/raw"),
    max_parallelism=7,
    overwrite_cache=True,
    concurrency=ConcurrencyPolicy(max_concurrency=2, behavior=ConcurrencyLimitBehavior.SKIP),
)
secured = LaunchPlan.get_or_create(
    report,
    name="plans.secured",
    security_context=SecurityContext(
        run_as=Identity(k8s_service_account="reporter"),
        secrets=[Secret(group="db", key="password")],
    ),
)
role = LaunchPlan.get_or_create(
    nothing,
    name="plans.role",
    auth_role=AuthRole(
        assumable_iam_role="arn:aws:iam::123:role/flyte", kubernetes_service_account="runner"
    ),
)
same_again = LaunchPlan.get_or_create(
    report,
    name="plans.with_defaults",
    default_inputs={"region": "eu", "limit": 25, "tier": Tier.GOLD},
)

# Created without a variable: still registered, as flytekit does.
LaunchPlan.get_or_create(nothing, name="plans.unassigned", labels=Labels({"kind": "bare"}))
