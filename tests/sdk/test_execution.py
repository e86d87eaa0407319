"""Local execution: __call__ -> local_execute -> dispatch_execute, outputs, errors, the cache."""

from typing import NamedTuple

import pytest
from flyteidl.core import literals_pb2
from google.protobuf.json_format import MessageToDict

from compiler import IgnoreOutputs, Task, TaskMetadata, task
from compiler.errors import DefinitionError, ExecutionError
from compiler.sdk.interface import Interface

CALLS: list[str] = []


class Split(NamedTuple):
    head: str
    rest: int


@task
def add(a: int, b: int = 10) -> int:
    return a + b


@task
def pair(s: str) -> tuple[str, int]:
    return s.upper(), len(s)


@task
def split(s: str) -> Split:
    return Split(s[:1], len(s) - 1)


@task
def shout(s: str) -> None:
    CALLS.append(s)


@task
def skipped(a: int) -> int:
    raise IgnoreOutputs()


@task
def wrong_type(a: int) -> int:
    return "not an int"  # type: ignore[return-value]


@task
def wrong_arity(a: int) -> tuple[int, int]:
    return (a,)  # type: ignore[return-value]


@task(cache=True, cache_version="1", cache_ignore_input_vars=("note",))
def counted(a: int, note: str = "") -> int:
    CALLS.append(f"counted {a}")
    return a * 2


def lit_int(value: int) -> literals_pb2.Literal:
    lit = literals_pb2.Literal()
    lit.scalar.primitive.integer = value
    return lit


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPILE_TASKS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPILE_TASKS_CACHE", raising=False)
    CALLS.clear()


def test_call_with_keywords_positionals_and_defaults():
    assert add(a=1) == 11
    assert add(1, 2) == 3
    assert add(1, b=5) == 6


def test_multiple_and_named_outputs():
    assert pair(s="abc") == ("ABC", 3)
    result = split(s="abc")
    assert result == ("a", 2)
    assert type(result).__name__ == "Split"
    assert (result.head, result.rest) == ("a", 2)


def test_no_outputs_and_ignore_outputs():
    assert shout(s="x") is None
    assert CALLS == ["x"]
    assert skipped(a=1) is None


def test_dispatch_execute_on_literals():
    inputs = literals_pb2.LiteralMap(literals={"a": lit_int(2), "b": lit_int(3)})
    outputs = add.dispatch_execute(inputs)
    assert MessageToDict(outputs) == {
        "literals": {"o0": {"scalar": {"primitive": {"integer": "5"}}}}
    }
    with pytest.raises(IgnoreOutputs):
        skipped.dispatch_execute(literals_pb2.LiteralMap(literals={"a": lit_int(1)}))


@pytest.mark.parametrize(
    ("call", "code", "param"),
    [
        (lambda: add(), "CT190", "a"),
        (lambda: add(a=1, c=2), "CT190", "c"),
        (lambda: add(1, 2, 3), "CT190", None),
        (lambda: add(1, a=2), "CT190", "a"),
        (lambda: add(a="one"), "CT191", "a"),
        (lambda: wrong_type(a=1), "CT193", "o0"),
        (lambda: wrong_arity(a=1), "CT192", None),
    ],
)
def test_execution_errors_name_task_and_variable(call, code, param):
    with pytest.raises(ExecutionError) as info:
        call()
    err = info.value
    assert err.code == code
    assert err.param == param
    assert err.task is not None and err.task.startswith("test_execution.")
    assert err.hint


def test_local_cache_hits_and_ignores_inputs():
    assert counted(a=2) == 4
    assert counted(a=2, note="other") == 4
    assert counted(a=3) == 6
    assert CALLS == ["counted 2", "counted 3"]


def test_cache_disabled(monkeypatch):
    monkeypatch.setenv("COMPILE_TASKS_CACHE", "off")
    counted(a=2)
    counted(a=2)
    assert CALLS == ["counted 2", "counted 2"]


class Doubler(Task):
    """A custom task type run through the same plumbing."""

    def __init__(self):
        super().__init__(
            task_type="doubler",
            name="doubler",
            interface=Interface({"x": int}, {"y": int}),
            metadata=TaskMetadata(retries=1),
        )
        self.seen: list[str] = []

    def pre_execute(self, inputs):
        self.seen.append("pre")
        return {"x": inputs["x"] + 1}

    def execute(self, **kwargs):
        self.seen.append("execute")
        return kwargs["x"] * 2

    def post_execute(self, result):
        self.seen.append("post")
        return result + 100


def test_custom_task_hooks_order():
    t = Doubler()
    assert t(x=1) == 104
    assert t.seen == ["pre", "execute", "post"]
    assert t.docs is None
    assert t.instantiated_in == "test_execution"


def test_base_task_execute_is_not_implemented():
    t = Task(task_type="x", name="x")
    with pytest.raises(NotImplementedError):
        t()


def test_dispatch_execute_without_a_required_input_names_it() -> None:
    @task
    def needs_a(a: int, b: int = 2) -> int:
        return a + b

    with pytest.raises(ExecutionError) as info:
        needs_a.dispatch_execute(literals_pb2.LiteralMap())
    assert (info.value.code, info.value.param) == ("CT190", "a")


def test_task_on_a_non_function_names_no_task() -> None:
    with pytest.raises(DefinitionError) as info:
        task()(42)
    assert info.value.code == "CT107"
    assert info.value.task is None
