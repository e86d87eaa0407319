"""A task plugin: ``@task(task_config=BatchJob(...))`` builds a ``BatchTask``.

The plugin keeps the Python container of a normal task and adds its own task type, a
``custom`` section and a ``config`` map, all through the serialization hooks.
"""

from dataclasses import dataclass, field
from typing import Any

from compiler import PythonFunctionTask, Resources, TaskPlugins, task


@dataclass
class BatchJob:
    """How the batch cluster runs a task."""

    executors: int = 2
    queue: str = "default"
    conf: dict[str, str] = field(default_factory=dict)


class BatchTask(PythonFunctionTask[BatchJob]):
    """A Python function run by the batch cluster."""

    _TASK_TYPE = "batch_job"

    def __init__(self, task_config: BatchJob, task_function: Any, **kwargs: Any) -> None:
        super().__init__(
            task_config=task_config,
            task_function=task_function,
            task_type=self._TASK_TYPE,
            **kwargs,
        )

    def get_custom(self, settings: Any) -> dict[str, Any]:
        return {"executors": self.task_config.executors, "conf": dict(self.task_config.conf)}

    def get_config(self, settings: Any) -> dict[str, str]:
        return {"queue": self.task_config.queue}


TaskPlugins.register_pythontask_plugin(BatchJob, BatchTask)


@task(
    task_config=BatchJob(executors=8, queue="nightly", conf={"shuffle.partitions": "64"}),
    requests=Resources(cpu="2", mem="4Gi"),
    retries=1,
)
def rebuild_order_facts(days: int = 30) -> int:
    """Rebuild the order fact table on the batch cluster.

    :param days: How many days to rebuild.
    :return: Rows written.
    """
    return days * 0


@task(task_config=BatchJob())
def count_sessions(day: str) -> int:
    """Count web sessions of one day.

    :param day: The day, ``YYYY-MM-DD``.
    :return: Number of sessions.
    """
    return len(day) * 0
