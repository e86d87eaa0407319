"""The entity-kind table: what it covers, and that a new kind is one registration away."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path
from typing import Any

import pytest
from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from flyteidl.core import identifier_pb2

import compiler
from compiler.discovery import FoundEntity
from compiler.errors import CompileErrors, InternalError
from compiler.idl import EntityKind
from compiler.pipeline import (
    CompileOptions,
    EntityHandler,
    EntityHandlers,
    compile_package,
    default_handlers,
    list_package,
)
from compiler.render import render_message, render_task_spec
from compiler.settings import ImageConfig, SerializationSettings

SETTINGS = SerializationSettings(image_config=ImageConfig.from_specs(["r/app:1"]))

#: A package with a task and a workflow-kind entity of the same name (kinds have their own
#: namespaces), written against a stand-in workflow class.
FLOW = """\
    import sys

    from compiler import task
    from compiler.errors import SourceLocation
    from compiler.idl import EntityKind


    class FakeWorkflow:
        entity_kind = EntityKind.WORKFLOW

        def __init__(self, name):
            frame = sys._getframe(1)
            self.name = name
            self.instantiated_in = frame.f_globals["__name__"]
            self.location = SourceLocation(frame.f_code.co_filename, frame.f_lineno)


    @task
    def step(x: int) -> int:
        return x


    pipeline = FakeWorkflow("flows.main.step")
    alias = pipeline  # a second reference to one entity
"""


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "flows"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text(textwrap.dedent(FLOW))
    return package


def _serialize_workflow(entity: Any, settings: SerializationSettings) -> workflow_pb2.WorkflowSpec:
    spec = workflow_pb2.WorkflowSpec()
    spec.template.id.resource_type = identifier_pb2.WORKFLOW
    spec.template.id.name = entity.name
    return spec


def _workflow_facts(found: FoundEntity) -> dict[str, Any]:
    return {"source": found.relative_location.file, "module": found.module}


def _with_workflows() -> Any:
    handlers = default_handlers()
    handlers.register(
        EntityHandler(
            kind=EntityKind.WORKFLOW,
            message_type=workflow_pb2.WorkflowSpec,
            serialize=_serialize_workflow,
            facts=_workflow_facts,
            render=render_message,
        )
    )
    return handlers


def test_every_entity_class_of_the_public_api_has_a_handler() -> None:
    handlers = default_handlers()
    kinds = {
        value.entity_kind
        for value in (getattr(compiler, name) for name in compiler.__all__)  # lazy names too
        if inspect.isclass(value) and isinstance(getattr(value, "entity_kind", None), EntityKind)
    }
    assert EntityKind.TASK in kinds
    assert all(kind in handlers for kind in kinds), kinds
    assert [h.kind for h in handlers] == sorted(kinds)


def test_the_task_handler() -> None:
    handler = default_handlers().for_kind(EntityKind.TASK)
    assert handler.message_type is task_pb2.TaskSpec
    spec = task_pb2.TaskSpec()
    spec.template.id.name = "a.b"
    facts = {"source": "a.py", "module": "a", "defaults": {}}
    assert default_handlers().render(spec, facts) == render_task_spec(spec, facts)


def test_a_kind_without_handler_is_an_internal_error() -> None:
    handlers = EntityHandlers()
    handlers.register(default_handlers().for_kind(EntityKind.TASK))
    with pytest.raises(InternalError) as info:
        handlers.for_kind(EntityKind.LAUNCH_PLAN)
    assert info.value.code == "CT890"
    assert "launch_plan entities" in info.value.message
    assert "compiler/pipeline/kinds.py" in (info.value.hint or "")
    with pytest.raises(InternalError):
        handlers.render(launch_plan_pb2.LaunchPlan(), {})


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_registered_kind_is_compiled_by_every_stage(tmp_path: Path, jobs: int) -> None:
    package = _package(tmp_path)
    out = tmp_path / "bundle"
    options = CompileOptions(jobs=jobs, render=True)
    result = compile_package(
        [package], SETTINGS, out=out, options=options, handlers=_with_workflows()
    )
    assert [(e.file, e.kind, e.task_type) for e in result.entities] == [
        ("00_flows.main.step_1.pb", EntityKind.TASK, "python-task"),
        ("01_flows.main.step_2.pb", EntityKind.WORKFLOW, None),
    ]
    written = workflow_pb2.WorkflowSpec.FromString((out / "01_flows.main.step_2.pb").read_bytes())
    assert written.template.id.name == "flows.main.step"
    rendering = (out / "yaml" / "01_flows.main.step_2.yaml").read_text()
    assert "name: flows.main.step" in rendering and "module: flows.main" in rendering
    assert [e["kind"] for e in (result.manifest or {})["entities"]] == ["task", "workflow"]
    listing = list_package([package], SETTINGS, handlers=_with_workflows())
    assert listing.entities == result.entities


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unregistered_kind_fails_the_compile(tmp_path: Path, jobs: int) -> None:
    package = _package(tmp_path)
    with pytest.raises(CompileErrors) as info:
        compile_package([package], SETTINGS, out=tmp_path / "b", options=CompileOptions(jobs=jobs))
    (error,) = info.value.errors
    assert (type(error), error.code, error.task) == (InternalError, "CT890", "flows.main.step")
    assert error.location is not None and error.location.file.endswith("main.py")
    assert not (tmp_path / "b").exists()
