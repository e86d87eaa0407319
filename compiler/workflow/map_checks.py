"""The checks of ``map_task``'s arguments, each error with a code, the user's line and a hint."""

from __future__ import annotations

import functools
from typing import Any

from compiler.errors import DefinitionError, SourceLocation, WorkflowError
from compiler.idl import EntityKind, TaskType
from compiler.sdk import PythonFunctionTask, caller_location
from compiler.workflow.promise import Promise

__all__ = [
    "check_constant_lengths",
    "check_options",
    "check_target",
    "map_error",
    "sizes_text",
    "unpack",
]


def map_error(message: str, code: str, hint: str, param: str | None = None) -> DefinitionError:
    location, _ = caller_location()
    return DefinitionError(
        message,
        code=code,
        hint=hint,
        param=param,
        param_kind="option",
        location=location or SourceLocation("<unknown>"),
    )


def sizes_text(sizes: dict[str, int]) -> str:
    """``a: 2, b: 1``: the lengths of the mapped lists, for messages."""
    return ", ".join(f"{name}: {size}" for name, size in sizes.items())


def check_constant_lengths(template: Any, kwargs: dict[str, Any], builder: Any) -> None:
    """CT933: two mapped inputs given constant lists of different lengths (known now)."""
    sizes = {
        name: len(value)
        for name, value in kwargs.items()
        if name in template.python_interface.inputs
        and name not in template.bound_inputs
        and isinstance(value, list | tuple)
        and not isinstance(value, Promise)
    }
    if len(set(sizes.values())) > 1:
        location, _ = caller_location()
        builder.errors.append(
            WorkflowError(
                f"the mapped inputs of {template.name!r} have lists of different lengths "
                f"({sizes_text(sizes)})",
                code="CT933",
                hint="element i of every mapped list goes to run i: give the lists one "
                "length, or bind an input that is the same for every run with "
                "functools.partial",
                location=location,
                workflow=builder.name,
            )
        )


def unpack(task_or_partial: Any) -> tuple[Any, dict[str, Any]]:
    if isinstance(task_or_partial, functools.partial):
        if task_or_partial.args:
            raise map_error(
                f"functools.partial binds {len(task_or_partial.args)} positional value(s)",
                "CT932",
                "bind inputs by name: functools.partial(task, offset=3)",
            )
        inner, bound = unpack(task_or_partial.func)
        return inner, {**bound, **task_or_partial.keywords}
    return task_or_partial, {}


def _python_or_plugin(task: PythonFunctionTask[Any]) -> bool:
    return task.task_type == TaskType.PYTHON.value or task.task_config is not None


def check_target(task: Any) -> None:
    kind = getattr(type(task), "entity_kind", None) or getattr(type(task), "reference_kind", None)
    what = "a workflow" if kind == EntityKind.WORKFLOW else None
    what = "a launch plan" if kind == EntityKind.LAUNCH_PLAN else what
    if hasattr(task, "reference"):
        what = "a reference entity"
    if getattr(type(task), "array_node_template", False) or hasattr(task, "bound_values"):
        what = "a map task"
    mode = str(getattr(task, "execution_mode", "") or "").lower()
    if isinstance(task, PythonFunctionTask) and ("dynamic" in mode or "eager" in mode):
        what = "a @dynamic or @eager task"
    function_task = isinstance(task, PythonFunctionTask)
    if what is None and function_task and _python_or_plugin(task):
        return
    raise map_error(
        f"map_task() needs a @task, got {what or repr(task)}",
        "CT930",
        "map a function decorated with @task (optionally wrapped in functools.partial); "
        "workflows, launch plans, dynamic/eager tasks and class-based tasks cannot be mapped",
        "task_or_partial",
    )


def check_options(task: Any, concurrency: Any, min_successes: Any, min_success_ratio: Any) -> None:
    def bad(option: str, value: Any, rule: str) -> DefinitionError:
        return map_error(f"{option}={value!r}: {rule}", "CT934", f"pass {rule}", option)

    for option, value in (("concurrency", concurrency), ("min_successes", min_successes)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise bad(option, value, "a non-negative int or None")
    ratio = min_success_ratio
    if ratio is not None and (
        isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1
    ):
        raise bad("min_success_ratio", ratio, "a number from 0 to 1, or None")
    if len(task.python_interface.outputs) > 1:
        raise map_error(
            f"task {task.name!r} has {len(task.python_interface.outputs)} outputs",
            "CT931",
            "a mapped task returns one value (or nothing): return a dataclass or a tuple type",
            "task_or_partial",
        )
