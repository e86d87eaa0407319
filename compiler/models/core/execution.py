"""``flytekit.models.core.execution``: the phases notifications fire on."""

from compiler.workflow import WorkflowExecutionPhase

__all__ = ["WorkflowExecutionPhase"]
