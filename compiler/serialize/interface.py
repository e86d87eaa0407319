"""``TypedInterface`` of a task: its variables' literal types and descriptions (WIRE-FORMAT 10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flyteidl.core import interface_pb2

from compiler.errors import CompileTasksError
from compiler.settings import SerializationSettings
from compiler.types.engine import default_engine

__all__ = ["build_interface"]


def _engine(settings: SerializationSettings) -> Any:
    return settings.type_engine if settings.type_engine is not None else default_engine()


def _fill_variables(
    target: interface_pb2.VariableMap,
    hints: Mapping[str, Any],
    descriptions: Mapping[str, str],
    kind: str,
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    """Add one variable per hint; a hint without a literal type becomes an error (all kept)."""
    engine = _engine(settings)
    target.SetInParent()  # "set but empty": {} when there are no variables
    for name, hint in hints.items():
        try:
            literal_type = engine.to_literal_type(hint, allow_pickle=settings.allow_pickle)
        except CompileTasksError as err:
            errors.append(err.with_context(param=name, param_kind=kind))
            continue
        variable = target.variables[name]
        variable.type.CopyFrom(literal_type)
        variable.description = descriptions.get(name, name)


def build_interface(
    task: Any, settings: SerializationSettings, errors: list[CompileTasksError]
) -> interface_pb2.TypedInterface:
    """The task's interface; problems are appended to ``errors`` instead of raised.

    Descriptions come from the task's Python interface: the docstring text of a variable, its
    own name when undocumented, ``""`` (omitted on the wire) when documented empty.
    """
    python_interface = task.python_interface
    interface = interface_pb2.TypedInterface()
    _fill_variables(
        interface.inputs,
        python_interface.inputs,
        python_interface.input_descriptions,
        "input",
        settings,
        errors,
    )
    _fill_variables(
        interface.outputs,
        python_interface.outputs,
        python_interface.output_descriptions,
        "output",
        settings,
        errors,
    )
    return interface
