"""Workflows and launch plans: ``@workflow`` bodies run with promises and become graphs of nodes.

The layer sits above :mod:`compiler.sdk` (whose entities' calls it turns into nodes) and below
:mod:`compiler.serialize` (which writes ``WorkflowSpec`` and ``LaunchPlan`` messages).
"""

from compiler.workflow.launch_options import (
    Annotations,
    AuthRole,
    ConcurrencyLimitBehavior,
    ConcurrencyPolicy,
    Identity,
    Labels,
    OAuth2Client,
    Options,
    RawOutputDataConfig,
    SecurityContext,
)
from compiler.workflow.launch_plan import LaunchPlan, LaunchPlanOptions
from compiler.workflow.notification import (
    Email,
    Notification,
    PagerDuty,
    Slack,
    WorkflowExecutionPhase,
)
from compiler.workflow.promise import Promise, VoidPromise
from compiler.workflow.schedule import CronSchedule, FixedRate, Schedule
from compiler.workflow.workflow import (
    PythonFunctionWorkflow,
    WorkflowFailurePolicy,
    workflow,
)

__all__ = [
    "Annotations",
    "AuthRole",
    "ConcurrencyLimitBehavior",
    "ConcurrencyPolicy",
    "CronSchedule",
    "Email",
    "FixedRate",
    "Identity",
    "Labels",
    "LaunchPlan",
    "LaunchPlanOptions",
    "Notification",
    "OAuth2Client",
    "Options",
    "PagerDuty",
    "Promise",
    "PythonFunctionWorkflow",
    "RawOutputDataConfig",
    "Schedule",
    "SecurityContext",
    "Slack",
    "VoidPromise",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
    "workflow",
]
