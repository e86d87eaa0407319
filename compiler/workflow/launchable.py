"""What every kind of workflow offers the pipeline: its launch plans and what it references.

``@workflow`` functions and imperative ``Workflow`` objects both mix in :class:`Launchable`:
the default launch plan (one object per workflow, created on first use; the launch plan modules
are imported then, not with ``import compiler``), the named launch plans
created for it (found by discovery even when no module variable holds them), and the entities
it must be registered after (its tasks and launch plans; a local sub-workflow is inlined, so it
contributes what it references instead; reference entities live on the cluster already).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compiler.errors import DefinitionError
from compiler.idl import EntityKind
from compiler.memo import cached_attribute
from compiler.sdk import active_builder
from compiler.workflow.builder import walk_nodes

if TYPE_CHECKING:
    from compiler.workflow.launch_options import Options
    from compiler.workflow.launch_plan import LaunchPlan

__all__ = ["Launchable", "checked_default_options"]

#: The ``Options`` fields a default launch plan takes (flytekit applies only these).
_DEFAULT_PLAN_FIELDS = frozenset({"labels", "annotations"})


def checked_default_options(options: Any) -> Options | None:
    """``default_options=``: an ``Options`` setting only labels and annotations (CT912)."""
    if options is None:
        return None
    from compiler.workflow.launch_options import Options  # loaded with the first launch plan

    if not isinstance(options, Options):
        raise DefinitionError(
            f"default_options must be an Options, got {options!r}",
            code="CT912",
            param="default_options",
            param_kind="option",
            hint="write default_options=Options(labels=Labels({...}))",
        )
    extra = sorted(
        name
        for name in vars(options)
        if name not in _DEFAULT_PLAN_FIELDS and getattr(options, name) is not None
    )
    if extra:
        raise DefinitionError(
            f"default_options sets {', '.join(extra)}, which a default launch plan does not "
            "carry (flytekit drops them silently)",
            code="CT912",
            param="default_options",
            param_kind="option",
            hint="keep labels and annotations here; create a named LaunchPlan for the rest",
        )
    return options


class Launchable:
    """Launch plans, references and the call of a workflow with ``nodes`` and ``failure_node``.

    Calling one inside a workflow body adds a node; elsewhere it runs locally.
    """

    nodes: list[Any]
    failure_node: Any
    default_options: Options | None = None

    @cached_attribute
    def default_launch_plan(self) -> LaunchPlan:
        """The launch plan with the workflow's name and its defaults (one per workflow).

        It carries the labels and annotations of ``default_options``, as flytekit's does.
        """
        from compiler.workflow.launch_plan import LaunchPlan, LaunchPlanOptions

        options = self.default_options
        plan_options = (
            LaunchPlanOptions(labels=options.labels, annotations=options.annotations)
            if options is not None
            else None
        )
        name: str = self.name  # type: ignore[attr-defined]
        return LaunchPlan(name, self, is_default=True, options=plan_options)

    @cached_attribute
    def named_launch_plans(self) -> list[LaunchPlan]:
        """The named launch plans created for this workflow (``LaunchPlan.create`` adds them)."""
        return []

    def companion_entities(self) -> list[Any]:
        """What is compiled with the workflow: its default and its named launch plans, and the
        map tasks its nodes run (they have no module of their own, see ``map_task``)."""
        maps = [
            entity
            for entity in self.referenced_entities()
            if getattr(type(entity), "array_node_template", False)
        ]
        return [self.default_launch_plan, *self.named_launch_plans, *maps]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """A node of the enclosing workflow inside a body; else run locally."""
        builder = active_builder()
        if builder is not None:
            return builder.add_call(self, args, kwargs)
        from compiler.workflow.local import run_workflow

        return run_workflow(self, args, kwargs)

    def referenced_entities(self) -> list[Any]:
        """The entities its nodes run that must be registered first, at any depth."""
        found: list[Any] = []
        failure = [self.failure_node] if self.failure_node is not None else []
        for node in walk_nodes(self.nodes) + failure:
            entity = getattr(node, "entity", None)
            kind = getattr(type(entity), "entity_kind", None)
            if kind is None:
                continue  # a branch node, or a reference entity (registered already)
            if kind is EntityKind.WORKFLOW and isinstance(entity, Launchable):
                found.extend(entity.referenced_entities())
            else:
                found.append(entity)
        return found
