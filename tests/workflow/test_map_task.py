"""``map_task``: names, list interfaces, local runs, one entity per configuration, errors."""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import map_task, task, workflow
from compiler.errors import CompileTasksError, DefinitionError
from compiler.workflow import MapTaskTemplate
from tests.workflow.conftest import Compile


@task
def scale(x: int, factor: int, offset: int = 0) -> int:
    return x * factor + offset


@task
def parse(text: str) -> float:
    return float(text)


@task
def pair(n: int) -> tuple[int, int]:
    return n, n


def test_name_hashes_the_bound_inputs_and_options_as_flytekit() -> None:
    mapped = map_task(functools.partial(scale, factor=2), concurrency=2, min_success_ratio=0.75)
    # md5("factor" "2" "None" "0.75"), flytekit's spelling of the same configuration.
    assert mapped.name.startswith(f"{__name__}.map_scale_")
    assert mapped.name.endswith("-arraynode")
    assert map_task(scale).name != map_task(scale, min_success_ratio=1).name  # "1" vs "1.0"


def test_list_interface_keeps_bound_inputs_and_drops_defaults() -> None:
    template = map_task(functools.partial(scale, factor=2), min_success_ratio=0.5).template
    interface = template.python_interface
    assert interface.inputs == {"x": list[int], "factor": int, "offset": list[int]}
    assert interface.outputs == {"o0": list[int | None]}
    assert interface.defaults == {}
    assert template.task_type_version == 1 and template.docs is None


def test_one_configuration_is_one_entity_whatever_the_partial_values() -> None:
    first = map_task(functools.partial(scale, factor=2))
    second = map_task(functools.partial(scale, factor=3))
    assert first.template is second.template
    assert first.bound_values == {"factor": 2} and second.bound_values == {"factor": 3}
    assert map_task(scale, concurrency=1).template is not first.template


def test_local_call_maps_in_lockstep() -> None:
    mapped = map_task(functools.partial(scale, factor=10))
    assert mapped(x=[1, 2, 3], offset=[0, 1, 2]) == [10, 21, 32]
    with pytest.raises(CompileTasksError, match="different lengths"):
        mapped(x=[1, 2], offset=[0])


def test_local_failures_follow_the_success_ratio() -> None:
    assert map_task(parse, min_success_ratio=0.5)(text=["1", "x", "2"]) == [1.0, None, 2.0]
    with pytest.raises(ValueError, match="could not convert"):
        map_task(parse, min_success_ratio=0.9)(text=["1", "x", "2"])
    with pytest.raises(ValueError, match="could not convert"):
        map_task(parse)(text=["1", "x"])


def test_workflow_node_and_local_run() -> None:
    @workflow
    def flow(xs: list[int]) -> list[int]:
        return map_task(functools.partial(scale, factor=3, offset=1), concurrency=2)(x=xs)

    node = flow.nodes[0]
    assert isinstance(node.entity, MapTaskTemplate)
    assert node.name == node.entity.name
    assert flow(xs=[1, 2]) == [4, 7]
    assert node.entity in flow.companion_entities()


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: map_task(print), "CT930"),
        (lambda: map_task(pair), "CT931"),
        (lambda: map_task(functools.partial(scale, 3)), "CT932"),
        (lambda: map_task(functools.partial(scale, facter=3)), "CT932"),
        (lambda: map_task(functools.partial(scale, x=1, factor=2, offset=0)), "CT933"),
        (lambda: map_task(scale, concurrency=-1), "CT934"),
        (lambda: map_task(scale, min_success_ratio=1.5), "CT934"),
        (lambda: map_task(scale, run_all_sub_nodes="yes"), "CT934"),
    ],
)
def test_definition_errors_have_a_code_a_line_and_a_hint(make, code: str) -> None:
    with pytest.raises(DefinitionError) as info:
        make()
    err = info.value
    assert err.code == code
    assert err.location is not None and err.location.file == __file__
    assert err.hint


def test_mapping_a_workflow_is_refused() -> None:
    @workflow
    def inner(x: int) -> int:
        return scale(x=x, factor=1)

    with pytest.raises(DefinitionError, match="needs a @task, got a workflow"):
        map_task(inner)


def test_partial_input_passed_again_is_refused() -> None:
    with pytest.raises(DefinitionError, match="CT932"):
        map_task(functools.partial(scale, factor=2))(x=[1], factor=[3], offset=[0])


def test_constant_lists_of_different_lengths_fail_the_compile(compile_source: Compile) -> None:
    proc = compile_source(
        """
        from compiler import map_task, task, workflow

        @task
        def add(a: int, b: int) -> int:
            return a + b

        @workflow
        def flow() -> list[int]:
            return map_task(add)(a=[1, 2], b=[3])
        """
    )
    assert proc.returncode != 0
    assert "flows.py:10: error CT933" in proc.stderr
    assert "different lengths (a: 2, b: 1)" in proc.stderr


TWO_MODULES = {
    "tasks.py": """
from compiler import task

@task
def double(x: int) -> int:
    return 2 * x
""",
    "a_flows.py": """
from compiler import map_task, workflow
from mpkg.tasks import double

@workflow
def first(xs: list[int]) -> list[int]:
    return map_task(double)(x=xs)
""",
    "b_flows.py": """
from compiler import map_task, workflow
from mpkg.tasks import double

@workflow
def second(xs: list[int]) -> list[int]:
    return map_task(double)(x=map_task(double)(x=xs))
""",
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_map_task_used_in_several_modules_is_compiled_once(tmp_path: Path, jobs: str) -> None:
    package = tmp_path / "mpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, code in TWO_MODULES.items():
        (package / name).write_text(code)
    out = tmp_path / "out"
    proc = subprocess.run(
        ["compile-tasks", str(package), "--out", str(out), "-i", "img:1", "--jobs", jobs],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    names = [e["name"] for e in json.loads((out / "manifest.json").read_text())["entities"]]
    maps = [name for name in names if "map_double" in name]
    assert len(maps) == 1, names


def test_create_node_and_the_imperative_workflow_take_a_map_task() -> None:
    from compiler import Workflow, create_node

    mapped = map_task(functools.partial(scale, factor=2, offset=0))

    @workflow
    def with_node(xs: list[int]) -> list[int]:
        node = create_node(mapped, x=xs)
        return node.o0

    assert with_node.nodes[0].entity is mapped.template
    assert with_node(xs=[1, 2]) == [2, 4]

    built = Workflow(name="imperative_map")
    xs = built.add_workflow_input("xs", list[int])
    node = built.add_entity(mapped, x=xs)
    built.add_workflow_output("out", node.o0)
    assert built.nodes[0].name == mapped.name
    assert mapped.template in built.companion_entities()
    assert built(xs=[3]) == [6]


@settings(max_examples=40, deadline=None)
@given(
    xs=st.lists(st.integers(-1000, 1000), max_size=8),
    factor=st.integers(-5, 5),
)
def test_a_local_map_is_the_task_on_every_item(xs: list[int], factor: int) -> None:
    mapped = map_task(functools.partial(scale, factor=factor))
    expected = [scale(x=x, factor=factor, offset=1) for x in xs]
    assert mapped(x=xs, offset=[1] * len(xs)) == expected


def test_another_entity_with_a_map_task_name_is_a_duplicate(compile_source: Compile) -> None:
    proc = compile_source(
        """
        from compiler import Echo, kwtypes, map_task, task, workflow

        @task
        def double(x: int) -> int:
            return 2 * x

        squatter = Echo(
            name="wfpkg.flows.map_double_6b3bd0353da5de6e84d7982921ead2b3-arraynode",
            inputs=kwtypes(x=list[int]),
        )

        @workflow
        def flow(xs: list[int]) -> list[int]:
            return map_task(double)(x=xs)
        """
    )
    assert proc.returncode != 0
    assert "error CT405" in proc.stderr
    assert "map_double_6b3bd0353da5de6e84d7982921ead2b3-arraynode" in proc.stderr


def test_a_module_level_map_task_is_compiled_even_unused(compile_source: Compile) -> None:
    proc = compile_source(
        """
        import functools
        from compiler import map_task, task

        @task
        def double(x: int, by: int) -> int:
            return by * x

        by_three = map_task(functools.partial(double, by=3))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert "compiled 2 tasks" in proc.stdout
