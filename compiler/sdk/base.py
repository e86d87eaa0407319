"""``Task``: the base of every task type, its hooks and its execution plumbing.

A task type describes its target through overridable hooks taking ``SerializationSettings``
(``get_container``, ``get_k8s_pod``, ``get_sql``, ``get_custom``, ``get_config``,
``get_extended_resources``); serialization calls them and assembles the ``TaskTemplate``.
Local calls run ``local_execute``: inputs -> literals -> cache lookup -> ``dispatch_execute``
-> outputs, the same conversion path the container entrypoint uses.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from typing import Any

from flyteidl.core import literals_pb2, security_pb2, tasks_pb2

from compiler import local_cache
from compiler.context import (
    add_io_decks,
    attach_output_metadata,
    execution_scope,
    local_parameters,
    write_decks,
)
from compiler.errors import CompileTasksError, ExecutionError, SourceLocation
from compiler.idl import EntityKind
from compiler.proto import build_task_metadata
from compiler.sdk.compose import active_builder
from compiler.sdk.interface import Interface
from compiler.sdk.location import caller_location
from compiler.sdk.metadata import TaskMetadata
from compiler.sdk.names import check_entity_name
from compiler.settings import SerializationSettings
from compiler.types import default_engine

__all__ = ["Description", "Documentation", "IgnoreOutputs", "SourceCode", "Task"]


class IgnoreOutputs(Exception):
    """Raised by a task to say its outputs must be discarded (nothing is written)."""


@dataclass
class Description:
    """A long description as flytekit spells it (``Description(value=...)``).

    Only ``value`` reaches the wire; ``uri`` and ``icon_link`` are accepted for porting and
    not written (WIRE-FORMAT 14).
    """

    value: str | None = None
    uri: str | None = None
    icon_link: str | None = None


@dataclass
class SourceCode:
    """Where the entity's source lives (``DescriptionEntity.source_code.link``)."""

    link: str | None = None


@dataclass
class Documentation:
    """The task's description (``TaskSpec.description``).

    Attributes:
        short_description: One line.
        long_description: Longer reST text (a ``Description`` is reduced to its ``value``;
            ``""`` writes the format without text, ``None`` writes nothing).
        source_code: A link to the source, written as ``source_code.link``.
    """

    short_description: str | None = None
    long_description: str | Description | None = None
    source_code: SourceCode | None = None

    def __post_init__(self) -> None:
        # A ``Description`` is written even without text (its reST format), as flytekit does;
        # ``None`` writes no long description at all.
        if isinstance(self.long_description, Description):
            self.long_description = self.long_description.value or ""


def _exec_error(
    task: str, message: str, code: str, param: str | None, kind: str, hint: str
) -> ExecutionError:
    return ExecutionError(message, code=code, task=task, param=param, param_kind=kind, hint=hint)


class Task:
    """Base class of all tasks.

    Args:
        task_type: The ``TaskTemplate.type`` string.
        name: The entity name.
        interface: The Python interface (empty when ``None``).
        metadata: Metadata options (defaults when ``None``).
        task_type_version: ``TaskTemplate.task_type_version``.
        security_ctx: The security context (secrets), or ``None``.
        docs: The description, or ``None`` (class-instantiated tasks have none).
    """

    #: The kind of entity (every compiled entity class says which it is; discovery,
    #: serialization and the bundle dispatch on it).
    entity_kind = EntityKind.TASK

    def __init__(
        self,
        task_type: str,
        name: str,
        interface: Interface | None = None,
        metadata: TaskMetadata | None = None,
        task_type_version: int = 0,
        security_ctx: security_pb2.SecurityContext | None = None,
        docs: Documentation | None = None,
    ) -> None:
        self.task_type = task_type
        self.name = name
        self.python_interface = interface or Interface()
        self.metadata = metadata or TaskMetadata()
        self.task_type_version = task_type_version
        self.security_ctx = security_ctx
        self._docs = docs
        if not hasattr(self, "_location"):
            location, module = caller_location(self)
            self._location = location or SourceLocation("<unknown>")
            self.instantiated_in = module
        check_entity_name(name, self._location)

    # -- identity -------------------------------------------------------------------------

    @property
    def location(self) -> SourceLocation:
        """Where the task was declared."""
        return self._location

    @property
    def docs(self) -> Documentation | None:
        """The task's documentation, or ``None``."""
        return self._docs

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, type={self.task_type!r})"

    # -- hooks ----------------------------------------------------------------------------

    def get_container(self, settings: SerializationSettings) -> tasks_pb2.Container | None:
        """The container target, or ``None``."""
        return None

    def get_k8s_pod(self, settings: SerializationSettings) -> tasks_pb2.K8sPod | None:
        """The pod target, or ``None``."""
        return None

    def get_sql(self, settings: SerializationSettings) -> tasks_pb2.Sql | None:
        """The SQL target, or ``None``."""
        return None

    def get_custom(self, settings: SerializationSettings) -> dict[str, Any] | None:
        """Plugin-specific data written as ``TaskTemplate.custom`` (a Struct), or ``None``."""
        return None

    def get_config(self, settings: SerializationSettings) -> dict[str, str] | None:
        """``TaskTemplate.config``, or ``None``."""
        return None

    def get_extended_resources(
        self, settings: SerializationSettings
    ) -> tasks_pb2.ExtendedResources | None:
        """Accelerators and shared memory, or ``None``."""
        return None

    def metadata_proto(self) -> tasks_pb2.TaskMetadata:
        """The complete ``TaskTemplate.metadata``."""
        return build_task_metadata(self.metadata.to_spec())

    # -- execution ------------------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the task locally; positional arguments bind to inputs in order.

        Inside a workflow body the call becomes a node of that workflow instead (see
        :mod:`compiler.sdk.compose`).
        """
        builder = active_builder()
        if builder is not None:
            return builder.add_call(self, args, kwargs)
        names = list(self.python_interface.inputs)
        if len(args) > len(names):
            raise _exec_error(
                self.name,
                f"takes {len(names)} input(s) but {len(args)} positional values were given",
                "CT190",
                None,
                "input",
                "pass inputs by name",
            )
        for name, value in zip(names, args, strict=False):
            if name in kwargs:
                raise _exec_error(self.name, "given twice", "CT190", name, "input", "pass it once")
            kwargs[name] = value
        return self.local_execute(**kwargs)

    def local_execute(self, **kwargs: Any) -> Any:
        """Convert inputs to literals, consult the local cache, run, convert outputs back.

        Returns ``None`` for a task without outputs or one that raised ``IgnoreOutputs``, the
        value for one output ``o0``, a tuple for ``o0, o1, ...``, a named tuple for NamedTuple
        outputs.
        """
        inputs = self._inputs_to_literals(kwargs)
        params = local_parameters(self.name, enable_deck=self.metadata.generates_deck)
        try:
            with execution_scope(params):
                outputs = self._cached_dispatch(inputs)
        except IgnoreOutputs:
            return None
        write_decks(params)
        return self._literals_to_outputs(outputs)

    def _cached_dispatch(self, inputs: literals_pb2.LiteralMap) -> literals_pb2.LiteralMap:
        md = self.metadata
        cache = local_cache.get_cache() if md.cache else None
        if cache is None:
            return self.dispatch_execute(inputs)
        key = local_cache.cache_key(self.name, md.cache_version, inputs, md.cache_ignore_input_vars)
        hit = cache.get(key)
        if hit is not None:
            return hit
        outputs = self.dispatch_execute(inputs)
        cache.put(key, outputs)
        return outputs

    def _inputs_to_literals(self, kwargs: dict[str, Any]) -> literals_pb2.LiteralMap:
        interface = self.python_interface
        unknown = [k for k in kwargs if k not in interface.inputs]
        if unknown:
            raise _exec_error(
                self.name,
                "unknown input",
                "CT190",
                unknown[0],
                "input",
                f"the inputs are: {', '.join(interface.inputs) or '(none)'}",
            )
        values = {**interface.defaults, **kwargs}
        engine = default_engine()
        literals = literals_pb2.LiteralMap()
        for name, hint in interface.inputs.items():
            if name not in values:
                raise _exec_error(
                    self.name, "missing input", "CT190", name, "input", f"pass {name}=..."
                )
            try:
                literals.literals[name].CopyFrom(engine.to_literal(values[name], hint))
            except CompileTasksError as err:
                raise self._conversion_error(err, name, "input") from err
        return literals

    def _literals_to_outputs(self, outputs: literals_pb2.LiteralMap) -> Any:
        interface = self.python_interface
        engine = default_engine()
        values = []
        for name, hint in interface.outputs.items():
            if name not in outputs.literals:
                raise _exec_error(
                    self.name,
                    "output missing from the result",
                    "CT192",
                    name,
                    "output",
                    "return a value for every declared output",
                )
            try:
                values.append(engine.to_python(outputs.literals[name], hint))
            except CompileTasksError as err:
                raise self._conversion_error(err, name, "output") from err
        if not values:
            return None
        if interface.output_tuple_name:
            cls = collections.namedtuple(interface.output_tuple_name, list(interface.outputs))  # type: ignore[misc]
            return cls(*values)
        return values[0] if len(values) == 1 else tuple(values)

    def _conversion_error(self, err: CompileTasksError, name: str, kind: str) -> ExecutionError:
        code = "CT191" if kind == "input" else "CT193"
        # The conversion's own code (CT221 a missing column, CT227 a model that does not
        # validate, ...) stays in the message: it is the one documented with the cause.
        inner = f" ({err.code})" if err.code and err.code != code else ""
        return _exec_error(
            self.name,
            err.message + inner,
            code,
            name,
            kind,
            err.hint or f"pass a value that matches the {kind}'s type hint",
        )

    def dispatch_execute(
        self, input_literal_map: literals_pb2.LiteralMap
    ) -> literals_pb2.LiteralMap:
        """Run the task on literals: literals -> Python values, ``pre_execute``, ``execute``,
        ``post_execute``, outputs -> a literal map. ``IgnoreOutputs`` propagates."""
        native = self.pre_execute(self.literals_to_inputs(input_literal_map))
        result = self.execute(**native)
        result = self.post_execute(result)
        literals = self._outputs_to_literals(result)
        by_name = self._outputs_by_name(result)
        attach_output_metadata(literals, by_name)
        add_io_decks(native, by_name)
        return literals

    def literals_to_inputs(self, input_literal_map: literals_pb2.LiteralMap) -> dict[str, Any]:
        """The task's inputs as Python values (inputs left out take their defaults later).

        Raises:
            ExecutionError: CT190 for an unknown or missing input, CT191 for a literal that
                does not convert to its input's type.
        """
        interface = self.python_interface
        engine = default_engine()
        native: dict[str, Any] = {}
        for name, literal in input_literal_map.literals.items():
            if name not in interface.inputs:
                raise _exec_error(
                    self.name,
                    "unknown input literal",
                    "CT190",
                    name,
                    "input",
                    f"the inputs are: {', '.join(interface.inputs) or '(none)'}",
                )
            try:
                native[name] = engine.to_python(literal, interface.inputs[name])
            except CompileTasksError as err:
                raise self._conversion_error(err, name, "input") from err
        for name in interface.inputs:
            if name not in native and name not in interface.defaults:
                raise _exec_error(
                    self.name,
                    "missing input: the input literal map has no value for it",
                    "CT190",
                    name,
                    "input",
                    "pass every input without a default",
                )
        return native

    def _outputs_by_name(self, result: Any) -> dict[str, Any]:
        """The returned value(s) by output name (after ``_outputs_to_literals`` checked them)."""
        names = list(self.python_interface.outputs)
        if len(names) == 1:
            single = self.python_interface.output_tuple_name and isinstance(result, tuple)
            return {names[0]: result[0] if single and len(result) == 1 else result}
        return dict(zip(names, result, strict=False)) if names else {}

    def _outputs_to_literals(self, result: Any) -> literals_pb2.LiteralMap:
        outputs = self.python_interface.outputs
        literals = literals_pb2.LiteralMap()
        if not outputs:
            return literals
        if len(outputs) == 1:
            # A one-field NamedTuple output may come back as the tuple itself (as in flytekit).
            named = self.python_interface.output_tuple_name
            single = named and isinstance(result, tuple) and len(result) == 1
            values = [result[0] if single else result]
        elif isinstance(result, tuple) and len(result) == len(outputs):
            values = list(result)
        else:
            raise _exec_error(
                self.name,
                f"expected {len(outputs)} outputs ({', '.join(outputs)}), got {result!r}",
                "CT192",
                None,
                "output",
                "return a tuple with one value per output",
            )
        engine = default_engine()
        for (name, hint), value in zip(outputs.items(), values, strict=True):
            try:
                literals.literals[name].CopyFrom(engine.to_literal(value, hint))
            except CompileTasksError as err:
                raise self._conversion_error(err, name, "output") from err
        return literals

    def pre_execute(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """Called before ``execute`` with the Python inputs; returns the inputs to use."""
        return inputs

    def execute(self, **kwargs: Any) -> Any:
        """Run the task body. Task types that run in Python override this."""
        raise NotImplementedError(f"{type(self).__name__} cannot be executed locally")

    def post_execute(self, result: Any) -> Any:
        """Called with the value ``execute`` returned; returns the value to convert."""
        return result
