"""``PythonFunctionTask.declared`` (what ``@task`` uses) makes exactly what the constructor makes.

The constructor passes its keywords down four nested ``__init__`` levels; ``declared`` calls
each level's part in one frame. For every combination of ``@task``'s options, valid or not,
both give the same attributes in the same order with equal values, or the same error.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import PodTemplate, Resources, Secret, task
from compiler.accelerators import T4
from compiler.errors import CompileTasksError
from compiler.sdk.base import Documentation
from compiler.sdk.function_task import PythonFunctionTask
from compiler.sdk.image_spec import ImageSpec
from compiler.sdk.metadata import TaskMetadata
from compiler.sdk.resolver import default_task_resolver


def orders(day: str, limit: int = 3) -> list[str]:
    """Load orders.

    :param day: The day.
    """
    return [day] * limit


def cached(x: int) -> int:
    return x


def nested() -> None:
    def inner(x: int) -> int:
        return x

    return inner  # type: ignore[return-value]


def unannotated(x):  # type: ignore[no-untyped-def]
    return x


#: Each option of ``@task`` that ``declared`` takes, with values the constructor accepts and
#: values it refuses (each refusal is a different error).
OPTIONS: dict[str, list[Any]] = {
    "container_image": ["registry.example.com/app:1", ImageSpec(name="x"), 42],
    "environment": [{"A": "1"}, {"A": 1}],
    "requests": [Resources(cpu="1"), Resources(cpu=("1", "2")), "1"],
    "limits": [Resources(mem="1Gi")],
    "resources": [Resources(cpu=("1", "2"), mem="1Gi")],
    "secret_requests": [[Secret(group="db", key="password")], ["db"], "db"],
    "task_resolver": [default_task_resolver, object()],
    "docs": [Documentation(short_description="Given.")],
    "pod_template": [PodTemplate(primary_container_name="main"), "pod"],
    "accelerator": [T4, "t4"],
    "shared_memory": [True, "8Gi", "lots"],
    "task_config": [None],
}
FUNCTIONS = [orders, cached, nested(), unannotated, 42]
METADATA = [
    TaskMetadata(),
    TaskMetadata(cache=True, cache_version="1", cache_ignore_input_vars=("x",)),
]


def _outcome(make: Any) -> Any:
    try:
        made = make()
    except (CompileTasksError, TypeError) as exc:
        rendered = exc.render() if isinstance(exc, CompileTasksError) else str(exc)
        return type(exc), getattr(exc, "code", None), rendered
    state = dict(vars(made))
    interface = state.pop("python_interface")
    return (
        type(made),
        list(state),
        state,
        (interface.inputs, interface.outputs, interface.defaults, interface.docstring),
    )


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(FUNCTIONS),
    st.sampled_from(METADATA),
    st.dictionaries(
        st.sampled_from(sorted(OPTIONS)),
        st.integers(0, 2),
        max_size=5,
    ),
)
def test_declared_equals_the_constructor(fn: Any, metadata: TaskMetadata, picks: dict) -> None:
    options = {name: OPTIONS[name][index % len(OPTIONS[name])] for name, index in picks.items()}
    options.setdefault("task_config", None)
    slow = _outcome(lambda: PythonFunctionTask(task_function=fn, metadata=metadata, **options))
    fast = _outcome(lambda: PythonFunctionTask.declared(fn, metadata, options))
    assert fast == slow


def test_task_uses_it_and_a_subclass_or_another_option_takes_the_constructor() -> None:
    made: list[str] = []

    class Counted(PythonFunctionTask[Any]):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            made.append("constructor")
            super().__init__(*args, **kwargs)

    assert type(task(orders)) is PythonFunctionTask
    Counted.declared(cached, TaskMetadata(), {"task_config": None})
    assert made == ["constructor"]
    with pytest.raises(TypeError, match="unexpected keyword"):
        PythonFunctionTask.declared(cached, TaskMetadata(), {"task_config": None, "bogus": 1})
    with pytest.raises(TypeError, match="task_config"):  # required, as by the constructor
        PythonFunctionTask.declared(cached, TaskMetadata(), {})
