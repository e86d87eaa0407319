"""Reference entities: tasks, workflows and launch plans registered elsewhere, by remote id.

``@reference_task(project=..., domain=..., name=..., version=...)`` on a function that declares
only the signature gives an entity a workflow can call: its node refers to exactly that id
(not to the ids this compile writes), and nothing is compiled for it. Its defaults are not used
(flytekit requires every input at the call site). A reference workflow cannot be a node: flytekit
refuses reference sub-workflows (CT921). Called outside a workflow body, a reference entity runs
its ``mock`` if one is set, else it raises CT920: the real entity only exists on the cluster.
A reference launch plan (``@reference_launch_plan``) becomes a launch-plan node with the full id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from flyteidl.core import identifier_pb2

from compiler.errors import DefinitionError, ExecutionError, SourceLocation
from compiler.idl import EntityKind
from compiler.records import frozen_record
from compiler.sdk import (
    Interface,
    active_builder,
    caller_location,
    definition_context,
    function_location,
    interface_from_function,
)

__all__ = [
    "LaunchPlanReference",
    "ReferenceEntity",
    "TaskReference",
    "WorkflowReference",
    "get_reference_entity",
    "reference_launch_plan",
    "reference_task",
    "reference_workflow",
]


@frozen_record
class _Reference:
    """The remote id of an entity: project, domain, name and version (all required)."""

    project: str
    domain: str
    name: str
    version: str
    resource_type: ClassVar[EntityKind]

    def __post_init__(self) -> None:
        for field in ("project", "domain", "name", "version"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value:
                raise DefinitionError(
                    f"a reference needs a non-empty str {field}, got {value!r}",
                    code="CT920",
                    param=field,
                    param_kind="option",
                    hint="give project, domain, name and version of the registered entity",
                )

    @property
    def id(self) -> identifier_pb2.Identifier:
        """The ``Identifier`` nodes refer to."""
        return identifier_pb2.Identifier(
            resource_type=int(self.resource_type),  # type: ignore[arg-type]
            project=self.project,
            domain=self.domain,
            name=self.name,
            version=self.version,
        )


class TaskReference(_Reference):
    """The remote id of a registered task."""

    resource_type = EntityKind.TASK


class WorkflowReference(_Reference):
    """The remote id of a registered workflow."""

    resource_type = EntityKind.WORKFLOW


class LaunchPlanReference(_Reference):
    """The remote id of a registered launch plan."""

    resource_type = EntityKind.LAUNCH_PLAN


class ReferenceEntity:
    """A registered task or workflow with the interface of a signature-only function.

    Its class has ``reference_kind`` rather than ``entity_kind``: discovery does not compile it,
    and workflow bodies accept it as a node.

    Attributes:
        reference: The remote id.
        name: The remote name.
        python_interface: Inputs and outputs of the function (no defaults).
        mock: What a local call runs instead of the remote entity (``None``: CT920).
    """

    reference_kind: ClassVar[EntityKind]

    def __init__(self, reference: _Reference, function: Callable[..., Any]) -> None:
        self.reference = reference
        self.name = reference.name
        self.instantiated_in = function.__module__
        self._location = function_location(function.__code__)
        with definition_context(reference.name, lambda: self._location):
            full = interface_from_function(function)
        self.python_interface = Interface(
            full.inputs,
            full.outputs,
            output_tuple_name=full.output_tuple_name,
            docstring=full.docstring,
        )
        self.mock: Callable[..., Any] | None = None

    @property
    def location(self) -> SourceLocation:
        """The ``def`` line of the signature function."""
        return self._location

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """A node inside a workflow body; locally, the ``mock`` (or CT920)."""
        builder = active_builder()
        if builder is not None:
            return builder.add_call(self, args, kwargs)
        if self.mock is None:
            ref = self.reference
            raise ExecutionError(
                f"reference {self.reference_kind.noun} {ref.name!r} "
                f"({ref.project}/{ref.domain}, version {ref.version}) cannot run locally",
                code="CT920",
                task=self.name,
                location=self._location,
                hint="set a stand-in for local runs: ref.mock = lambda **inputs: ...",
            )
        return self.mock(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reference})"


class ReferenceTask(ReferenceEntity):
    """A registered task."""

    reference_kind = EntityKind.TASK


class ReferenceWorkflow(ReferenceEntity):
    """A registered workflow."""

    reference_kind = EntityKind.WORKFLOW


class ReferenceLaunchPlan(ReferenceEntity):
    """A registered launch plan."""

    reference_kind = EntityKind.LAUNCH_PLAN


def _located(kind: type[_Reference], *parts: str) -> Any:
    """``kind(*parts)``, a bad part reported at the decorator's line."""
    try:
        return kind(*parts)
    except DefinitionError as err:
        raise err.with_context(location=caller_location()[0]) from None


def reference_task(
    project: str, domain: str, name: str, version: str
) -> Callable[[Callable[..., Any]], ReferenceTask]:
    """Declare a registered task by its id; decorate a function giving its signature."""
    reference = _located(TaskReference, project, domain, name, version)
    return lambda function: ReferenceTask(reference, function)


def reference_workflow(
    project: str, domain: str, name: str, version: str
) -> Callable[[Callable[..., Any]], ReferenceWorkflow]:
    """Declare a registered workflow by its id; decorate a function giving its signature."""
    reference = _located(WorkflowReference, project, domain, name, version)
    return lambda function: ReferenceWorkflow(reference, function)


def reference_launch_plan(
    project: str, domain: str, name: str, version: str
) -> Callable[[Callable[..., Any]], ReferenceLaunchPlan]:
    """Declare a registered launch plan by its id; decorate a function giving its signature."""
    reference = _located(LaunchPlanReference, project, domain, name, version)
    return lambda function: ReferenceLaunchPlan(reference, function)


_REFERENCE_CLASSES: dict[int, tuple[type[_Reference], type[ReferenceEntity]]] = {
    int(EntityKind.TASK): (TaskReference, ReferenceTask),
    int(EntityKind.WORKFLOW): (WorkflowReference, ReferenceWorkflow),
    int(EntityKind.LAUNCH_PLAN): (LaunchPlanReference, ReferenceLaunchPlan),
}


def get_reference_entity(
    resource_type: int,
    project: str,
    domain: str,
    name: str,
    version: str,
    inputs: Mapping[str, Any],
    outputs: Mapping[str, Any],
) -> ReferenceEntity:
    """A registered task, workflow or launch plan with the interface given as type maps.

    The general form of ``reference_task`` / ``reference_workflow`` / ``reference_launch_plan``
    for code that builds the interface at run time (``inputs=kwtypes(a=int)``).

    Args:
        resource_type: ``1`` task, ``2`` workflow, ``3`` launch plan (flyteidl's numbers, as
            ``EntityKind`` and flytekit's ``ResourceType`` spell them).
        project: Project of the registered entity. domain: Its domain. name: Its name.
        version: Its version.
        inputs: Input names and types, in order. outputs: Output names and types.

    Raises:
        DefinitionError: CT920 for another resource type or an empty id part.
    """
    location, module = caller_location()
    classes = _REFERENCE_CLASSES.get(int(resource_type)) if isinstance(resource_type, int) else None
    if classes is None:
        raise DefinitionError(
            f"resource_type must be 1 (task), 2 (workflow) or 3 (launch plan), "
            f"got {resource_type!r}",
            code="CT920",
            location=location,
            param="resource_type",
            param_kind="option",
            hint="pass EntityKind.TASK, EntityKind.WORKFLOW or EntityKind.LAUNCH_PLAN",
        )
    reference_class, entity_class = classes
    reference = _located(reference_class, project, domain, name, version)
    entity = entity_class.__new__(entity_class)
    entity.reference = reference
    entity.name = reference.name
    entity.instantiated_in = module
    entity._location = location or SourceLocation("<unknown>")
    with definition_context(reference.name, lambda: entity._location):
        entity.python_interface = Interface(dict(inputs or {}), dict(outputs or {}))
    entity.mock = None
    return entity
