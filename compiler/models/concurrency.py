"""``flytekit.models.concurrency``: how many executions of a launch plan may run at once."""

from compiler.workflow import ConcurrencyLimitBehavior, ConcurrencyPolicy

__all__ = ["ConcurrencyLimitBehavior", "ConcurrencyPolicy"]
