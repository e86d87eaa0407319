"""``map_task``: run one task over lists, as an ``ArrayNode`` (flytekit 1.16's map tasks).

``map_task(square)`` is a task whose inputs are lists of the mapped task's inputs, whose output
is a list of its output, and whose name is ``{module}.map_{function}_{hash}-arraynode`` (the
hash covers the bound input names and the three options, as flytekit computes it). Inputs bound
with ``functools.partial(square, offset=3)`` keep their own type and reach every element as
they are; every other input is mapped: element ``i`` of each list goes to run ``i`` (several
mapped inputs are walked in lockstep, like ``zip``, as flytekit does).

Called inside a workflow body it becomes a node with an ``array_node`` (serialized by
``compiler.serialize``). Its task template is the mapped task's, with list types, container args
that name the map-task resolver (``compiler.idl.MAP_TASK_RESOLVER``) followed by ``vars B
resolver R`` and the mapped task's own loader args, and ``task_type_version`` 1. In its
container, ``compiler.runtime.map_element`` picks element ``i`` from the array index propeller
sets. Called locally, it runs the mapped task once per element.

One configuration of one task is one entity: ``map_task`` returns the same template object
every time it is asked for it, so the same mapped task used in several workflows is compiled
once. The object ``map_task`` returns carries the ``partial``'s values of that use.
"""

from __future__ import annotations

import hashlib
import math
import typing
import weakref
from typing import Any

from flyteidl.core import literals_pb2, tasks_pb2

from compiler.errors import CompileTasksError, ExecutionError
from compiler.idl import MAP_TASK_RESOLVER
from compiler.proto import python_task_args
from compiler.sdk import Interface, PythonFunctionTask, PythonTask, active_builder
from compiler.settings import SerializationSettings
from compiler.types import default_engine
from compiler.workflow.map_checks import (
    check_constant_lengths,
    check_options,
    check_target,
    map_error,
    sizes_text,
    unpack,
)

__all__ = ["ArrayNodeMapTask", "map_task"]

#: Interned templates: mapped task -> (bound names, options) -> template.
_TEMPLATES: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], MapTaskTemplate]] = (
    weakref.WeakKeyDictionary()
)


def _optional(hint: Any) -> Any:
    """``Optional[hint]`` (``typing`` spells it for every hint, ``Annotated`` included)."""
    return typing.Optional[hint]  # noqa: UP045 - ``|`` refuses some hints (forward refs)


class MapTaskTemplate(PythonTask[None]):
    """The task entity of a map task (one per mapped task, bound names and options).

    Attributes:
        run_task: The mapped task.
        bound_inputs: The input names bound with ``functools.partial`` (not mapped).
        concurrency: ``ArrayNode.parallelism`` (``None``: not written).
        min_successes: ``ArrayNode.min_successes`` (written when no ratio is).
        min_success_ratio: ``ArrayNode.min_success_ratio`` (``None``: not written).
    """

    array_node_template = True

    def __init__(
        self,
        run_task: PythonFunctionTask[Any],
        bound_inputs: frozenset[str],
        options: tuple[int | None, int | None, float | None],
    ) -> None:
        self.run_task = run_task
        self.bound_inputs = bound_inputs
        concurrency, min_successes, ratio = options
        self.concurrency = concurrency
        self.min_successes = min_successes
        self.min_success_ratio = ratio
        func = run_task.task_function
        digest = hashlib.md5(  # a name, as flytekit derives it (not security)
            f"{','.join(sorted(bound_inputs))}{concurrency}{min_successes}{ratio}".encode()
        ).hexdigest()
        self._location = run_task.location
        super().__init__(
            task_type=run_task.task_type,
            name=f"{func.__module__}.map_{func.__name__}_{digest}-arraynode",
            interface=self._list_interface(),
            metadata=run_task.metadata,
            security_ctx=run_task.security_ctx,
            task_type_version=1,
        )
        # No home of its own: it is compiled with the workflows (or module) that use it.
        self.instantiated_in = None

    def _list_interface(self) -> Interface:
        inner = self.run_task.python_interface
        inputs = {
            name: hint if name in self.bound_inputs else list[hint]  # type: ignore[valid-type]
            for name, hint in inner.inputs.items()
        }
        ratio = self.min_success_ratio
        optional = ratio is not None and ratio != 1
        outputs = {
            name: list[_optional(hint) if optional else hint]  # type: ignore[misc]
            for name, hint in inner.outputs.items()
        }
        return Interface(inputs, outputs)

    @property
    def execution_mode(self) -> int:
        """``ArrayNode.execution_mode``: minimal state for a plain ``@task`` (flytekit's rule)."""
        return 0 if type(self.run_task) is PythonFunctionTask else 1

    # -- the target: the mapped task's, with the map-task command ---------------------------

    def loader_args(self, settings: SerializationSettings) -> list[str]:
        """``vars B resolver R <the mapped task's loader args>`` (B: sorted, comma-joined)."""
        resolver = self.run_task.task_resolver
        return [
            "vars",
            ",".join(sorted(self.bound_inputs)),
            "resolver",
            resolver.location,
            *resolver.loader_args(settings, self.run_task),
        ]

    def get_command(self, settings: SerializationSettings) -> list[str]:
        """The container args: entrypoint, Flyte's flags, the map resolver and loader args."""
        return python_task_args(MAP_TASK_RESOLVER, self.loader_args(settings))

    def get_container(self, settings: SerializationSettings) -> tasks_pb2.Container | None:
        container = self.run_task.get_container(settings)
        if container is not None:
            del container.args[:]
            container.args.extend(self.get_command(settings))
        return container

    def get_k8s_pod(self, settings: SerializationSettings) -> tasks_pb2.K8sPod | None:
        pod = self.run_task.get_k8s_pod(settings)
        template = self.run_task.pod_template
        if pod is None or template is None:
            return pod
        for container in pod.pod_spec.fields["containers"].list_value.values:
            fields = container.struct_value.fields
            if fields["name"].string_value == template.primary_container_name:
                fields["args"].list_value.Clear()
                fields["args"].list_value.extend(self.get_command(settings))
        return pod

    def get_config(self, settings: SerializationSettings) -> dict[str, str] | None:
        return self.run_task.get_config(settings)

    def get_custom(self, settings: SerializationSettings) -> dict[str, Any] | None:
        return self.run_task.get_custom(settings) or None

    def get_extended_resources(
        self, settings: SerializationSettings
    ) -> tasks_pb2.ExtendedResources | None:
        return self.run_task.get_extended_resources(settings)

    # -- local execution: every element through the mapped task -----------------------------

    def dispatch_execute(
        self, input_literal_map: literals_pb2.LiteralMap
    ) -> literals_pb2.LiteralMap:
        """Run the mapped task once per element; collect its output into lists."""
        literals = input_literal_map.literals
        mapped = [name for name in self.python_interface.inputs if name not in self.bound_inputs]
        sizes = {name: len(literals[name].collection.literals) for name in mapped}
        if len(set(sizes.values())) > 1:
            raise self._run_error(
                f"the mapped inputs have lists of different lengths ({sizes_text(sizes)})",
                "pass lists of one length: element i of each list goes to run i",
            )
        count = next(iter(sizes.values()), 0)
        results: list[literals_pb2.LiteralMap | None] = []
        failures: list[BaseException] = []
        for index in range(count):
            element = literals_pb2.LiteralMap()
            for name, literal in literals.items():
                source = (
                    literal if name in self.bound_inputs else literal.collection.literals[index]
                )
                element.literals[name].CopyFrom(source)
            try:
                results.append(self.run_task.dispatch_execute(element))
            except Exception as exc:  # an element failed: the success criteria decide
                failures.append(exc)
                results.append(None)
        self._check_successes(count, failures)
        return self._collect(results)

    def _check_successes(self, count: int, failures: list[BaseException]) -> None:
        if not failures:
            return
        if self.min_success_ratio is not None:
            needed = math.ceil(count * self.min_success_ratio)
        else:
            needed = self.min_successes if self.min_successes is not None else count
        optional = self.min_success_ratio is not None and self.min_success_ratio != 1
        if count - len(failures) < needed or not optional:
            raise failures[0]

    def _collect(self, results: list[literals_pb2.LiteralMap | None]) -> literals_pb2.LiteralMap:
        engine = default_engine()
        out = literals_pb2.LiteralMap()
        for name, hint in self.python_interface.outputs.items():
            item_hint = hint.__args__[0]
            collection = out.literals[name].collection
            collection.SetInParent()
            for result in results:
                if result is None:
                    collection.literals.append(engine.to_literal(None, item_hint))
                else:
                    value = engine.to_python(result.literals[name], item_hint)
                    collection.literals.append(engine.to_literal(value, item_hint))
        return out

    def _run_error(self, message: str, hint: str) -> CompileTasksError:
        return ExecutionError(message, code="CT937", task=self.name, hint=hint)


class ArrayNodeMapTask:
    """One use of a map task: the shared template plus the ``partial``'s values.

    Calling it inside a workflow body adds an array node; outside, it runs locally.
    """

    def __init__(
        self, template: MapTaskTemplate, bound_values: dict[str, Any], run_all_sub_nodes: bool
    ) -> None:
        self.template = template
        self.bound_values = bound_values
        self.run_all_sub_nodes = run_all_sub_nodes

    @property
    def name(self) -> str:
        """The template's entity name."""
        return self.template.name

    def companion_entities(self) -> list[MapTaskTemplate]:
        """The template: a map task assigned to a module-level name is compiled (discovery)."""
        return [self.template]

    @property
    def python_interface(self) -> Interface:
        """The list interface of the template."""
        return self.template.python_interface

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """An array node inside a workflow body; else run the map locally."""
        builder = active_builder()
        if builder is None:
            return self.template(*args, **self._merged(kwargs))
        return builder.add_call(self, args, kwargs)

    def add_to(self, builder: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Add the array node to ``builder`` (``WorkflowBuilder.add_call`` hands uses here, so
        ``create_node`` and ``Workflow.add_entity`` take a map task too)."""
        kwargs = self._merged(kwargs)
        check_constant_lengths(self.template, kwargs, builder)
        result = builder.add_call(self.template, args, kwargs)
        node = getattr(result, "node", None)  # a Promise or VoidPromise: one output at most
        if node is not None:
            node.name = self.template.name  # flytekit names the array node after the template
            node.run_all_sub_nodes = self.run_all_sub_nodes
        return result

    def _merged(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        overlap = sorted(set(kwargs) & set(self.bound_values))
        if overlap:
            raise map_error(
                f"input {overlap[0]!r} is bound by functools.partial and passed again",
                "CT932",
                "pass each input once: either in the partial or in the call",
                overlap[0],
            )
        return {**self.bound_values, **kwargs}

    def __repr__(self) -> str:
        return f"map_task({self.template.run_task.name})"


def map_task(
    task_or_partial: Any,
    concurrency: int | None = None,
    min_successes: int | None = None,
    min_success_ratio: float | None = 1.0,
    run_all_sub_nodes: bool = False,
) -> ArrayNodeMapTask:
    """Map ``task_or_partial`` over lists (flytekit's ``map_task``).

    Args:
        task_or_partial: A ``@task``, or ``functools.partial(task, name=value, ...)`` whose
            keywords are passed unchanged to every run.
        concurrency: How many runs at once (``ArrayNode.parallelism``); ``None`` inherits the
            workflow's, 0 is unbounded.
        min_successes: How many runs must succeed. Written only when ``min_success_ratio`` is
            ``None`` (flytekit's default ratio 1.0 takes precedence).
        min_success_ratio: The fraction of runs that must succeed; below 1 the output is a list
            of ``Optional`` values (``None`` for a failed run).
        run_all_sub_nodes: Keep running the other elements after the criteria failed.

    Raises:
        DefinitionError: CT930 (not a mappable task), CT931 (several outputs), CT932 (a
            partial with positional values, or binding an input the task lacks), CT934 (bad
            option values).
    """
    task, bound = unpack(task_or_partial)
    check_target(task)
    check_options(task, concurrency, min_successes, min_success_ratio)
    unknown = sorted(set(bound) - set(task.python_interface.inputs))
    if unknown:
        raise map_error(
            f"functools.partial binds {unknown[0]!r}, which task {task.name!r} does not take",
            "CT932",
            f"the inputs are: {', '.join(task.python_interface.inputs) or '(none)'}",
            unknown[0],
        )
    if isinstance(run_all_sub_nodes, bool) is False:
        raise map_error(
            f"run_all_sub_nodes={run_all_sub_nodes!r} is not a bool",
            "CT934",
            "pass True or False",
            "run_all_sub_nodes",
        )
    if not set(task.python_interface.inputs) - set(bound):
        raise map_error(
            f"task {task.name!r} has no input left to map"
            + (" (functools.partial binds every input)" if bound else ""),
            "CT933",
            "leave at least one input unbound: it receives element i of its list in run i",
            "task_or_partial",
        )
    options = (concurrency, min_successes, min_success_ratio)
    key = (frozenset(bound), *(_spelled(value) for value in options))
    templates = _TEMPLATES.setdefault(task, {})
    template = templates.get(key)
    if template is None:
        template = MapTaskTemplate(task, frozenset(bound), options)
        templates[key] = template
    return ArrayNodeMapTask(template, bound, run_all_sub_nodes)


def _spelled(value: Any) -> tuple[str, str]:
    """An option as the name hash sees it (``1`` and ``1.0`` give different names)."""
    return type(value).__name__, str(value)
