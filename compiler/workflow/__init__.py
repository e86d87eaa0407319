"""Workflows: ``@workflow`` bodies run with promises and become graphs of nodes.

Also the imperative ``Workflow`` builder and ``create_node``, ``conditional`` (branch nodes),
failure nodes (``on_failure=``), ``with_overrides`` and reference tasks and workflows.

The layer sits above :mod:`compiler.sdk` (whose entities' calls it turns into nodes) and below
:mod:`compiler.serialize` (which writes ``WorkflowSpec`` and ``LaunchPlan`` messages).
"""

from compiler.workflow.conditional import conditional
from compiler.workflow.imperative import Workflow, create_node
from compiler.workflow.promise import Promise, VoidPromise
from compiler.workflow.reference import (
    TaskReference,
    WorkflowReference,
    reference_task,
    reference_workflow,
)
from compiler.workflow.workflow import (
    DefaultLaunchPlan,
    PythonFunctionWorkflow,
    WorkflowFailurePolicy,
    workflow,
)

__all__ = [
    "DefaultLaunchPlan",
    "Promise",
    "PythonFunctionWorkflow",
    "TaskReference",
    "VoidPromise",
    "Workflow",
    "WorkflowFailurePolicy",
    "WorkflowReference",
    "conditional",
    "create_node",
    "reference_task",
    "reference_workflow",
    "workflow",
]
