"""Workflows: ``@workflow`` bodies run with promises and become graphs of nodes.

The layer sits above :mod:`compiler.sdk` (whose entities' calls it turns into nodes) and below
:mod:`compiler.serialize` (which writes ``WorkflowSpec`` and ``LaunchPlan`` messages).
"""

from compiler.workflow.conditional import conditional
from compiler.workflow.imperative import Workflow, create_node
from compiler.workflow.promise import Promise, VoidPromise
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
    "VoidPromise",
    "Workflow",
    "WorkflowFailurePolicy",
    "conditional",
    "create_node",
    "workflow",
]
