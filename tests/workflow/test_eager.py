"""``@eager``: the four entities flytekit writes, local runs with EagerException, errors."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from compiler import EagerException, eager, task, workflow
from compiler.errors import CompileTasksError, DefinitionError
from compiler.serialize import serialize_launch_plan, serialize_task, serialize_workflow
from compiler.settings import ImageConfig, SerializationSettings
from compiler.workflow import EagerFailureHandlerTask, EagerTask

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_dynamic import flows

SETTINGS = SerializationSettings(
    image_config=ImageConfig.from_specs(["registry.example/app:1"]), env={"LOG": "json"}
)


@task
def halve(n: int) -> int:
    if n % 2:
        raise ValueError(f"{n} is odd")
    return n // 2


@eager
async def halve_twice(n: int) -> int:
    return halve(n=halve(n=n))


@eager
async def halve_or_keep(n: int) -> int:
    try:
        return halve(n=n)
    except EagerException as err:
        assert isinstance(err.__cause__, ValueError)
        return n


@eager
async def outer_eager(n: int) -> int:
    return await halve_twice(n=n) + 1


@task
async def add_async(a: int, b: int) -> int:
    return a + b


@eager
async def awaits_an_async_task(n: int) -> int:
    return await add_async(a=n, b=halve(n=n))


def test_the_eager_task_is_marked_and_carries_its_settings() -> None:
    spec = serialize_task(flows.eager_options, SETTINGS)
    md = spec.template.metadata
    assert md.is_eager and md.generates_deck.value
    assert md.pod_template_name == "eager-pods"
    keys = [kv.key for kv in spec.template.container.env]
    assert keys == ["LOG", "_F_SS_C", "MODE"]


def test_the_cleanup_task() -> None:
    cleanup = flows.eager_options.cleanup_task
    assert isinstance(cleanup, EagerFailureHandlerTask)
    spec = serialize_task(cleanup, SETTINGS)
    template = spec.template
    assert template.id.name == "probe_dynamic.flows.eager_options-cleanup"
    assert template.type == "eager_failure_handler_task"
    assert set(template.interface.inputs.variables) == {"x", "word"}
    assert not template.interface.outputs.variables
    assert template.container.args[-4:] == ["--", "eager", "failure", "handler"]
    assert (
        template.container.args[-5]
        == "compiler.workflow.eager_workflow.eager_failure_task_resolver"
    )
    assert template.container.image == "registry.example/app:eager"
    assert [(kv.key, kv.value) for kv in template.container.env] == [("LOG", "json")]
    assert not spec.HasField("description")


def test_the_workflow_and_its_launch_plan() -> None:
    wf = flows.eager_options.get_as_workflow()
    spec = serialize_workflow(wf, SETTINGS)
    template = spec.template
    assert [node.id for node in template.nodes] == ["n0"]
    assert template.nodes[0].task_node.reference_id.name == "probe_dynamic.flows.eager_options"
    assert template.failure_node.id == "efn"
    assert template.failure_node.metadata.name == "eager_options-cleanup"
    assert [b.var for b in template.outputs] == ["o0", "o1"]
    plan = serialize_launch_plan(wf.default_launch_plan, SETTINGS)
    params = plan.spec.default_inputs.parameters
    assert params["word"].required and not params["word"].HasField("default")
    assert flows.eager_options.companion_entities() == [flows.eager_options.cleanup_task, wf]


def test_awaited_locally_it_runs_its_tasks() -> None:
    assert asyncio.run(halve_twice(n=8)) == 2
    assert asyncio.run(outer_eager(n=8)) == 3
    assert asyncio.run(awaits_an_async_task(n=4)) == 6
    assert asyncio.run(flows.eager_sum(x=3)) == 12
    assert asyncio.run(flows.eager_nothing(x=3)) is None


def test_a_failure_inside_is_an_eager_exception() -> None:
    assert asyncio.run(halve_or_keep(n=3)) == 3
    with pytest.raises(EagerException, match="halve failed: ValueError: 3 is odd") as info:
        asyncio.run(halve_twice(n=6))
    assert isinstance(info.value.__cause__, ValueError)


def test_the_container_runs_it_like_a_task() -> None:
    from flyteidl.core import literals_pb2

    inputs = literals_pb2.LiteralMap()
    inputs.literals["n"].scalar.primitive.integer = 8
    outputs = halve_twice.dispatch_execute(inputs)
    assert outputs.literals["o0"].scalar.primitive.integer == 2


def test_not_async_is_ct972() -> None:
    with pytest.raises(DefinitionError, match="CT942") as info:

        @eager
        def plain(n: int) -> int:
            return n

    assert info.value.location.file == __file__


def test_an_ignored_option_is_ct973() -> None:
    with pytest.raises(DefinitionError, match=r"CT943.*retries") as info:
        eager(retries=3)
    assert info.value.location.file == __file__
    with pytest.raises(DefinitionError, match=r"CT940.*'retry'"):
        eager(retry=3)


def test_called_in_a_workflow_body_is_ct974() -> None:
    with pytest.raises(CompileTasksError, match="CT944") as info:

        @workflow
        def uses_eager(n: int) -> int:
            return halve_twice(n=n)

    assert info.value.location.file == __file__


def test_eager_options_are_kept() -> None:
    made = eager(container_image="registry.example/app:2", environment={"A": "1"})(
        outer_eager.task_function
    )
    assert isinstance(made, EagerTask)
    assert made.container_image == "registry.example/app:2"
    assert made.environment == {"A": "1"}


_EAGER_PLAIN = "from compiler import eager\n\n\n@eager\ndef run(n: int) -> int:\n    return n\n"
_EAGER_RETRIES = (
    "from compiler import eager\n\n\n@eager(retries=2)\n"
    "async def run(n: int) -> int:\n    return n\n"
)
_DYNAMIC_ASYNC = (
    "from compiler import dynamic\n\n\n@dynamic\nasync def run(n: int) -> int:\n    return n\n"
)


@pytest.mark.parametrize(
    ("source", "code", "line"),
    [(_EAGER_PLAIN, "CT942", 5), (_EAGER_RETRIES, "CT943", 4), (_DYNAMIC_ASYNC, "CT941", 5)],
)
def test_errors_through_the_console_script(compile_source, tmp_path, source, code, line) -> None:
    result = compile_source(source)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"wfpkg/flows.py:{line}: error {code}:" in result.stderr, result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_its_workflow_and_launch_plan_run_locally() -> None:
    wf = halve_twice.get_as_workflow()
    assert wf(n=8) == 2
    assert wf.default_launch_plan(n=4) == 1
