"""Launch plans: schedules, notifications, creation rules, and local runs."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flyteidl.admin import schedule_pb2

from compiler import (
    CronSchedule,
    Email,
    FixedRate,
    LaunchPlan,
    PagerDuty,
    Slack,
    WorkflowExecutionPhase,
    task,
    workflow,
)
from compiler.errors import ExecutionError, LaunchPlanError
from compiler.workflow.schedule import check_cron

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_launch_plans import flows, plans


@task
def add(a: int, b: int) -> int:
    return a + b


@workflow
def total(a: int, b: int = 2) -> int:
    return add(a=a, b=b)


@pytest.mark.parametrize(
    "expression",
    [
        "* * * * *",
        "30 4 * * 1-5",
        "*/15 0-6,22,23 1,15 JAN-MAR,dec sun,SAT",
        "0 0 L * ?",
        "0 9 ? * 5#3",
        "0 12 1 */2 *",
        "@daily",
        "DAILY",
        "@annually",
        "hours",
    ],
)
def test_valid_cron_expressions(expression: str) -> None:
    check_cron(expression)
    assert CronSchedule(schedule=expression).to_proto().cron_schedule.schedule == expression


@pytest.mark.parametrize(
    ("expression", "field"),
    [
        ("60 * * * *", "minute"),
        ("* 24 * * *", "hour"),
        ("* * 0 * *", "day of month"),
        ("* * * 13 *", "month"),
        ("* * * * 8", "day of week"),
        ("* * * FOO *", "month"),
        ("5-1 * * * *", "minute"),
        ("*/0 * * * *", "minute"),
        ("? * * * *", "minute"),
        ("* * * * 1#6", "day of week"),
    ],
)
def test_invalid_cron_fields_are_named(expression: str, field: str) -> None:
    with pytest.raises(LaunchPlanError) as info:
        CronSchedule(schedule=expression)
    assert info.value.code == "CT952"
    assert f"the {field} field" in info.value.message


def test_cron_needs_five_fields_and_refuses_aws_expressions() -> None:
    with pytest.raises(LaunchPlanError, match="has 6 field"):
        CronSchedule(schedule="0 4 * * ? 2024")
    with pytest.raises(LaunchPlanError, match="not supported by Flyte's native scheduler"):
        CronSchedule(cron_expression="0 4 * * ? *")
    with pytest.raises(LaunchPlanError, match="ISO 8601"):
        CronSchedule(schedule="@daily", offset="one hour")


@pytest.mark.parametrize(
    ("duration", "unit", "value"),
    [
        (timedelta(days=3), schedule_pb2.DAY, 3),
        (timedelta(hours=30), schedule_pb2.HOUR, 30),
        (timedelta(days=1, hours=1), schedule_pb2.HOUR, 25),
        (timedelta(minutes=90), schedule_pb2.MINUTE, 90),
        (timedelta(minutes=1), schedule_pb2.MINUTE, 1),
    ],
)
def test_fixed_rate_uses_the_largest_whole_unit(duration: timedelta, unit: int, value: int) -> None:
    rate = FixedRate(duration=duration).to_proto().rate
    assert (rate.unit, rate.value) == (unit, value)


@pytest.mark.parametrize(
    "duration", [timedelta(seconds=30), timedelta(seconds=90), timedelta(0), timedelta(minutes=-5)]
)
def test_fixed_rate_below_a_minute_or_not_whole_minutes(duration: timedelta) -> None:
    with pytest.raises(LaunchPlanError) as info:
        FixedRate(duration=duration)
    assert info.value.code == "CT954"


def test_notifications_write_their_own_field_and_refuse_running() -> None:
    phases = [WorkflowExecutionPhase.FAILED]
    for kind, field in ((Email, "email"), (Slack, "slack"), (PagerDuty, "pager_duty")):
        message = kind(phases=phases, recipients_email=["a@example.com"]).to_proto()
        assert message.WhichOneof("type") == field
        assert list(getattr(message, field).recipients_email) == ["a@example.com"]
    with pytest.raises(LaunchPlanError, match="RUNNING would never be sent"):
        Email(phases=[WorkflowExecutionPhase.RUNNING], recipients_email=["a@example.com"])
    with pytest.raises(LaunchPlanError, match="list of addresses"):
        Email(phases=phases, recipients_email="a@example.com")


def test_the_default_launch_plan_is_one_object_per_workflow() -> None:
    assert LaunchPlan.get_or_create(total) is total.default_launch_plan
    assert LaunchPlan.get_default_launch_plan(None, total) is total.default_launch_plan
    assert total.default_launch_plan.name == total.name
    assert plans.default_again is flows.report.default_launch_plan


def test_get_or_create_returns_the_first_plan_for_the_same_options() -> None:
    assert plans.same_again is plans.with_defaults


def test_a_plan_created_without_a_variable_is_compiled_with_its_workflow() -> None:
    names = [plan.name for plan in flows.nothing.companion_entities()]
    assert names == [flows.nothing.name, "plans.role", "plans.unassigned"]


def test_fixed_inputs_leave_the_interface_and_defaults_override() -> None:
    interface = plans.with_fixed.python_interface
    assert "region" not in interface.inputs
    assert "window" not in interface.inputs
    assert plans.with_defaults.python_interface.defaults["limit"] == 25


def test_a_launch_plan_runs_its_workflow_locally_with_its_inputs() -> None:
    assert plans.with_defaults() == "eu:25:2024-05-01:gold:2024-01-01:None"
    assert plans.with_fixed(limit=1) == "us:1:2024-05-01:silver:2024-02-01:fixed"
    assert plans.fixed_and_default(tier=flows.Tier.GOLD) == (
        "apac:3:2025-01-02:gold:2024-01-01:None"
    )
    assert plans.rate_hours() == "2024-01-01T00:00:00+00:00 0:05:00"  # UTC, as on a cluster


def test_a_fixed_input_cannot_be_given_locally() -> None:
    with pytest.raises(ExecutionError) as info:
        plans.with_fixed(region="eu")
    assert info.value.code == "CT961"
    assert "fixed by the launch plan" in info.value.message


def test_a_default_launch_plan_runs_like_its_workflow() -> None:
    assert total.default_launch_plan(a=1) == total(a=1) == 3


def test_a_missing_required_input_is_reported_locally() -> None:
    with pytest.raises(ExecutionError) as info:
        plans.cron()
    assert info.value.code == "CT190"


def test_kickoff_argument_must_be_a_datetime_input() -> None:
    with pytest.raises(LaunchPlanError) as info:
        LaunchPlan.get_or_create(
            total,
            name="tests.kickoff",
            schedule=CronSchedule(schedule="@daily", kickoff_time_input_arg="a"),
        )
    assert info.value.code == "CT953"
    assert "add an input such as run_at: datetime" in (info.value.hint or "")
