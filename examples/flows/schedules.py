"""Launch plans: how the example workflows run in production."""

from datetime import timedelta

from compiler import (
    Annotations,
    AuthRole,
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
from examples.flows.orders import fraud_check, ingest_orders
from examples.flows.pricing import price_list, sampling_calendar
from examples.flows.reports import month_close, nightly_headline
from examples.models import Currency

FAILED = [WorkflowExecutionPhase.FAILED, WorkflowExecutionPhase.TIMED_OUT]

nightly_headline_plan = LaunchPlan.get_or_create(
    nightly_headline,
    name="examples.flows.nightly_headline_plan",
    schedule=CronSchedule(schedule="30 2 * * *", kickoff_time_input_arg="run_at"),
    notifications=[Email(phases=FAILED, recipients_email=["reports@shop.example"])],
)

hourly_ingest = LaunchPlan.get_or_create(
    ingest_orders,
    name="examples.flows.hourly_ingest",
    fixed_inputs={"limit": 500},
    default_inputs={"order_ids": ["warm-up"]},
    schedule=FixedRate(duration=timedelta(hours=1)),
    max_parallelism=4,
    concurrency=ConcurrencyPolicy(max_concurrency=1),
)

month_end = LaunchPlan.get_or_create(
    month_close,
    name="examples.flows.month_end",
    schedule=CronSchedule(schedule="0 6 1 * *", offset="PT30M", kickoff_time_input_arg="run_at"),
    default_inputs={"month": "2024-01", "totals": {"web": [0.0]}},
    notifications=[
        Slack(phases=[WorkflowExecutionPhase.SUCCEEDED], recipients_email=["close@shop.slack"]),
        PagerDuty(phases=FAILED, recipients_email=["finance-oncall@shop.example"]),
    ],
)

fraud_watch = LaunchPlan.get_or_create(
    fraud_check,
    name="examples.flows.fraud_watch",
    schedule=FixedRate(duration=timedelta(minutes=15)),
    default_inputs={"scores": {}},
    labels=Labels({"team": "risk", "tier": "critical"}),
    annotations=Annotations({"runbook": "https://runbooks.shop.example/fraud"}),
    overwrite_cache=True,
)

gbp_price_list = LaunchPlan.create(
    "examples.flows.gbp_price_list",
    price_list,
    fixed_inputs={"target": Currency.GBP},
    default_inputs={"price": 9.99},
    raw_output_data_config=RawOutputDataConfig(output_location_prefix="s3://shop-raw/pricing"),
)

secured_calendar = LaunchPlan.get_or_create(
    sampling_calendar,
    name="examples.flows.secured_calendar",
    schedule=CronSchedule(schedule="@weekly"),
    security_context=SecurityContext(
        run_as=Identity(k8s_service_account="pricing-runner"),
        secrets=[Secret(group="pricing", key="api-token")],
    ),
)

legacy_role_calendar = LaunchPlan.get_or_create(
    sampling_calendar,
    name="examples.flows.legacy_role_calendar",
    auth_role=AuthRole(
        assumable_iam_role="arn:aws:iam::123456789012:role/pricing",
        kubernetes_service_account="pricing-legacy",
    ),
)

# Registered without a module variable, as many flytekit repositories write them.
LaunchPlan.get_or_create(
    ingest_orders,
    name="examples.flows.weekday_ingest",
    schedule=CronSchedule(schedule="0 8 * * MON-FRI"),
    default_inputs={"order_ids": []},
)
