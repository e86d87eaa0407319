"""Workflows and launch plans: ``@workflow`` bodies run with promises and become graphs of nodes.

Also the imperative ``Workflow`` builder and ``create_node``, ``conditional`` (branch nodes),
``map_task`` (array nodes), gate nodes (``sleep``, ``approve``, ``wait_for_input``),
failure nodes (``on_failure=``), ``with_overrides`` and reference tasks and workflows.

The layer sits above :mod:`compiler.sdk` (whose entities' calls it turns into nodes) and below
:mod:`compiler.serialize` (which writes ``WorkflowSpec`` and ``LaunchPlan`` messages).

The launch plan names (``LaunchPlan``, schedules, notifications, option classes) and those of
``@dynamic`` and ``@eager`` are loaded on first use (:func:`__getattr__`), so ``import compiler``
does not pay for them in a package without them.
"""

from compiler.lazy import lazy_exports
from compiler.workflow.condition import expression_proto
from compiler.workflow.conditional import BranchNode, conditional
from compiler.workflow.gate import Gate, approve, signal_values, sleep, wait_for_input
from compiler.workflow.imperative import Workflow, create_node
from compiler.workflow.map_task import ArrayNodeMapTask, MapTaskTemplate, map_task
from compiler.workflow.promise import Promise, VoidPromise
from compiler.workflow.reference import (
    LaunchPlanReference,
    TaskReference,
    WorkflowReference,
    get_reference_entity,
    reference_launch_plan,
    reference_task,
    reference_workflow,
)
from compiler.workflow.workflow import (
    PythonFunctionWorkflow,
    WorkflowFailurePolicy,
    workflow,
)

#: Name -> the module that defines it, imported on first access.
_LAZY: dict[str, str] = {
    "Annotations": "compiler.workflow.launch_options",
    "AuthRole": "compiler.workflow.launch_options",
    "ConcurrencyLimitBehavior": "compiler.workflow.launch_options",
    "ConcurrencyPolicy": "compiler.workflow.launch_options",
    "Identity": "compiler.workflow.launch_options",
    "Labels": "compiler.workflow.launch_options",
    "OAuth2Client": "compiler.workflow.launch_options",
    "Options": "compiler.workflow.launch_options",
    "RawOutputDataConfig": "compiler.workflow.launch_options",
    "SecurityContext": "compiler.workflow.launch_options",
    "LaunchPlan": "compiler.workflow.launch_plan",
    "LaunchPlanOptions": "compiler.workflow.launch_plan",
    "Email": "compiler.workflow.notification",
    "Notification": "compiler.workflow.notification",
    "PagerDuty": "compiler.workflow.notification",
    "Slack": "compiler.workflow.notification",
    "WorkflowExecutionPhase": "compiler.workflow.notification",
    "CronSchedule": "compiler.workflow.schedule",
    "FixedRate": "compiler.workflow.schedule",
    "Schedule": "compiler.workflow.schedule",
    "DynamicJob": "compiler.workflow.dynamic_task",
    "Environment": "compiler.workflow.environment",
    "DynamicTask": "compiler.workflow.dynamic_task",
    "dynamic": "compiler.workflow.dynamic_task",
    "EagerException": "compiler.workflow.eager_workflow",
    "EagerFailureHandlerTask": "compiler.workflow.eager_workflow",
    "EagerTask": "compiler.workflow.eager_workflow",
    "eager": "compiler.workflow.eager_workflow",
    "eager_failure_task_resolver": "compiler.workflow.eager_workflow",
    "SERIALIZED_CONTEXT_ENV": "compiler.workflow.transport",
    "settings_from_transport": "compiler.workflow.transport",
    "settings_transport": "compiler.workflow.transport",
}


__getattr__ = lazy_exports(__name__, _LAZY, globals())


__all__ = [
    "SERIALIZED_CONTEXT_ENV",
    "Annotations",
    "ArrayNodeMapTask",
    "AuthRole",
    "BranchNode",
    "ConcurrencyLimitBehavior",
    "ConcurrencyPolicy",
    "CronSchedule",
    "DynamicJob",
    "DynamicTask",
    "EagerException",
    "EagerFailureHandlerTask",
    "EagerTask",
    "Email",
    "Environment",
    "FixedRate",
    "Gate",
    "Identity",
    "Labels",
    "LaunchPlan",
    "LaunchPlanOptions",
    "LaunchPlanReference",
    "MapTaskTemplate",
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
    "TaskReference",
    "VoidPromise",
    "Workflow",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
    "WorkflowReference",
    "approve",
    "conditional",
    "create_node",
    "dynamic",
    "eager",
    "eager_failure_task_resolver",
    "expression_proto",
    "get_reference_entity",
    "map_task",
    "reference_launch_plan",
    "reference_task",
    "reference_workflow",
    "settings_from_transport",
    "settings_transport",
    "signal_values",
    "sleep",
    "wait_for_input",
    "workflow",
]
