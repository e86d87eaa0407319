"""Map tasks end to end: compile ``examples/``, run each element through the container args.

Propeller runs one container per element, all with the same ``inputs.pb``; each learns its index
from ``BATCH_JOB_ARRAY_INDEX_VAR_NAME`` (naming ``FLYTE_K8S_ARRAY_INDEX``) plus
``BATCH_JOB_ARRAY_INDEX_OFFSET``. The per-element ``outputs.pb`` is read with flyteidl directly.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from flyteidl.core import errors_pb2, literals_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.idl import MAP_TASK_RESOLVER
from compiler.runtime.map_element import MapElement, MapTaskResolver, array_index
from tests.runtime.test_examples_e2e import ROOT, bundle, outputs, run_container

__all__ = ["bundle"]  # the module-scoped fixture, shared with the other end-to-end tests

DISCOUNT = "examples.catalog.pricing.map_apply_discount_9ca44c3326939d637e3439b4d8f67a52-arraynode"
PARSE = "examples.flows.fanout.map_parse_price_326c0cba8373510ae31dc6d9cecf601a-arraynode"


def _float(value: float) -> literals_pb2.Literal:
    return literals_pb2.Literal(
        scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(float_value=value))
    )


def _floats(values: list[float]) -> literals_pb2.Literal:
    items = [_float(v) for v in values]
    return literals_pb2.Literal(collection=literals_pb2.LiteralCollection(literals=items))


def _index_env(index: int, offset: int | None = None) -> dict[str, str]:
    env = {"BATCH_JOB_ARRAY_INDEX_VAR_NAME": "FLYTE_K8S_ARRAY_INDEX"}
    env["FLYTE_K8S_ARRAY_INDEX"] = str(index)
    if offset is not None:
        env["BATCH_JOB_ARRAY_INDEX_OFFSET"] = str(offset)
    return env


def test_the_container_args_name_the_map_resolver_and_the_bound_inputs(bundle: Path) -> None:
    from flyteidl.admin import task_pb2

    spec = task_pb2.TaskSpec.FromString((bundle / f"00_{DISCOUNT}_1.pb").read_bytes())
    args = list(spec.template.container.args)
    assert args[args.index("--resolver") + 1] == MAP_TASK_RESOLVER
    loader = args[args.index("--") + 1 :]
    assert loader == [
        "vars", "percent", "resolver", "compiler.sdk.resolver.default_task_resolver",
        "task-module", "examples.catalog.pricing", "task-name", "apply_discount",
    ]  # fmt: skip
    assert spec.template.task_type_version == 1


@pytest.mark.parametrize(
    ("index", "offset", "expected"), [(0, None, 90.0), (1, None, 18.0), (1, 1, 4.5)]
)
def test_each_element_writes_its_own_output(
    bundle: Path, tmp_path: Path, index: int, offset: int | None, expected: float
) -> None:
    inputs = {"price": _floats([100.0, 20.0, 5.0]), "percent": _float(10.0)}
    code, out = run_container(
        bundle, tmp_path, DISCOUNT, inputs, extra_env=_index_env(index, offset)
    )
    assert code == 0
    assert outputs(out) == {"o0": {"scalar": {"primitive": {"float_value": expected}}}}


def test_an_element_out_of_range_writes_a_system_error(bundle: Path, tmp_path: Path) -> None:
    inputs = {"price": _floats([100.0]), "percent": _float(10.0)}
    code, out = run_container(bundle, tmp_path, DISCOUNT, inputs, extra_env=_index_env(3))
    assert code == 1
    error = errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error
    assert "CT745" in error.message and "out of range" in error.message


def test_a_failing_element_writes_a_user_error(bundle: Path, tmp_path: Path) -> None:
    text = literals_pb2.Literal(
        scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(string_value="12 USD"))
    )
    feed = literals_pb2.Literal(collection=literals_pb2.LiteralCollection(literals=[text]))
    code, out = run_container(bundle, tmp_path, PARSE, {"text": feed}, extra_env=_index_env(0))
    assert code == 1
    error = errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error
    assert error.kind == errors_pb2.ContainerError.NON_RECOVERABLE
    assert "not a EUR price" in error.message


def test_array_index_reads_the_named_variable_and_the_offset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BATCH_JOB_ARRAY_INDEX_VAR_NAME", raising=False)
    monkeypatch.delenv("BATCH_JOB_ARRAY_INDEX_OFFSET", raising=False)
    assert array_index() == 0
    monkeypatch.setenv("BATCH_JOB_ARRAY_INDEX_VAR_NAME", "MY_INDEX")
    monkeypatch.setenv("MY_INDEX", "4")
    monkeypatch.setenv("BATCH_JOB_ARRAY_INDEX_OFFSET", "10")
    assert array_index() == 14


def test_the_resolver_refuses_loader_args_of_another_resolver() -> None:
    with pytest.raises(Exception, match="CT745"):
        MapTaskResolver().load_task(["task-module", "m", "task-name", "t"])


def _run_cli(bundle: Path, task: str, *inputs: str) -> subprocess.CompletedProcess[str]:
    args = ["compile-tasks", "run", str(bundle), task]
    for pair in inputs:
        args += ["--input", pair]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_compile_tasks_run_runs_every_element_and_gathers_the_lists(bundle: Path) -> None:
    proc = _run_cli(bundle, DISCOUNT, "price=[100, 20, 5]", "percent=10")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"o0": [90.0, 18.0, 4.5]}


def test_compile_tasks_run_turns_failed_elements_into_nulls_for_optional_items(
    bundle: Path,
) -> None:
    proc = _run_cli(bundle, PARSE, 'text=["1.5 EUR", "12 USD", "2 EUR"]')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"o0": [1.5, None, 2.0]}


def test_compile_tasks_run_of_empty_and_uneven_lists(bundle: Path) -> None:
    proc = _run_cli(bundle, PARSE, "text=[]")
    assert proc.returncode == 0 and json.loads(proc.stdout) == {"o0": []}
    proc = _run_cli(bundle, DISCOUNT, "price=[100, 20]", "percent=10")
    assert proc.returncode == 0 and json.loads(proc.stdout) == {"o0": [90.0, 18.0]}


@settings(max_examples=40, deadline=None)
@given(items=st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=10), data=st.data())
def test_an_element_gets_item_index_of_each_mapped_list_and_bound_inputs_whole(
    items: list[int], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    ints = [
        literals_pb2.Literal(
            scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(integer=v))
        )
        for v in items
    ]
    inputs = literals_pb2.LiteralMap()
    inputs.literals["x"].collection.literals.extend(ints)
    inputs.literals["offset"].CopyFrom(ints[0])
    element = MapElement(object(), frozenset({"offset"})).element_inputs(inputs, index)
    assert element.literals["x"] == ints[index]
    assert element.literals["offset"] == ints[0]


ZIP_PACKAGE = """
from compiler import map_task, task, workflow

@task
def add(a: int, b: int) -> int:
    if a < 0:
        raise ValueError("negative")
    return a + b

@workflow
def sums(a: list[int], b: list[int]) -> list[int]:
    return map_task(add)(a=a, b=b)
"""


def test_run_of_a_map_with_two_mapped_inputs(tmp_path: Path) -> None:
    package = tmp_path / "zpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "flows.py").write_text(ZIP_PACKAGE)
    out = tmp_path / "out"
    built = subprocess.run(
        ["compile-tasks", str(package), "--out", str(out), "-i", "img:1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr

    def run(*inputs: str) -> subprocess.CompletedProcess[str]:
        args = [
            "compile-tasks",
            "run",
            str(out),
            "zpkg.flows.map_add_6b3bd0353da5de6e84d7982921ead2b3-arraynode",
        ]
        for pair in inputs:
            args += ["--input", pair]
        return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)

    ok = run("a=[1, 2]", "b=[10, 20]")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"o0": [11, 22]}
    uneven = run("a=[1, 2]", "b=[10]")
    assert uneven.returncode == 3
    assert "CT724" in uneven.stderr and "different lengths (a: 2, b: 1)" in uneven.stderr
    failed = run("a=[1, -1]", "b=[10, 20]")
    assert failed.returncode == 3
    assert "negative" in failed.stderr
