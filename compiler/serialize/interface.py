"""``TypedInterface`` of a task: its variables' literal types and descriptions (WIRE-FORMAT 10).

Speed matters here (every variable of every task passes through), so the interface is not built
message by message: each variable is reduced to ``(name, literal type bytes, description)``,
and the interface's wire bytes are memoised on those keys and merged into the template in one
call. The memo is keyed by content only and holds immutable bytes, so no task can see another
task's messages, and the output does not depend on what was serialized before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flyteidl.core import interface_pb2, types_pb2

from compiler.context import artifact_id_of
from compiler.errors import CompileTasksError
from compiler.memo import cached
from compiler.serialize.wire import field_key, length_delimited
from compiler.settings import SerializationSettings
from compiler.types import TypeEngine, default_engine

__all__ = ["fill_interface", "interface_bytes"]

#: ``(name, LiteralType bytes, description, artifact_partial_id bytes or b"")`` of one variable.
VariableKey = tuple[str, bytes, str, bytes]
TypeBytes = Callable[..., bytes]  # (hint, allow_pickle=...) -> LiteralType bytes


def _type_bytes(settings: SerializationSettings) -> TypeBytes:
    """The engine's hint -> deterministic ``LiteralType`` bytes function.

    An engine whose ``to_literal_type`` is our own has the memoised ``literal_type_bytes``;
    any other engine (a subclass overriding it, or a stand-in) is asked through
    ``to_literal_type`` so that its answer is the one written.
    """
    engine = settings.type_engine if settings.type_engine is not None else default_engine()
    # ``type(engine) is TypeEngine`` answers the usual case first: the class attribute lookups
    # below each call a Python descriptor (``TypeEngine.to_literal_type`` is class-or-instance).
    if type(engine) is TypeEngine or (
        getattr(type(engine), "to_literal_type", None) is TypeEngine.to_literal_type
    ):
        return engine.literal_type_bytes  # type: ignore[no-any-return]

    def converted(hint: Any, *, allow_pickle: bool) -> bytes:
        literal_type = engine.to_literal_type(hint, allow_pickle=allow_pickle)
        return literal_type.SerializeToString(deterministic=True)

    return converted


def _variable_keys(
    hints: Mapping[str, Any],
    descriptions: Mapping[str, str],
    kind: str,
    type_bytes: TypeBytes,
    allow_pickle: bool,
    errors: list[CompileTasksError],
) -> tuple[VariableKey, ...]:
    """One key per hint; a hint without a literal type becomes an error (all kept)."""
    keys = []
    for name, hint in hints.items():
        try:
            data = type_bytes(hint, allow_pickle=allow_pickle)
        except CompileTasksError as err:
            errors.append(err.with_context(param=name, param_kind=kind))
            continue
        keys.append((name, data, descriptions.get(name, name), _artifact_bytes(hint)))
    return tuple(keys)


def _artifact_bytes(hint: Any) -> bytes:
    """The ``artifact_partial_id`` of ``Annotated[T, MyArtifact]`` (``b""`` for other hints)."""
    try:
        annotated = _has_metadata(hint)
    except TypeError:  # unhashable, e.g. Annotated[int, {...}]
        annotated = _reads_metadata(hint)
    if not annotated:
        return b""
    partial = artifact_id_of(hint)
    return b"" if partial is None else partial.SerializeToString(deterministic=True)


def _reads_metadata(hint: Any) -> bool:
    return bool(getattr(hint, "__metadata__", None))


#: Whether a hint has ``Annotated`` metadata, memoised by the hint: asking a class for the
#: ``__metadata__`` it does not have builds and drops an ``AttributeError`` with its message,
#: for most variables of every task. Hints that compare equal have equal metadata.
_has_metadata = cached("serialize.has_metadata", maxsize=4096)(_reads_metadata)


#: ``TypedInterface.inputs`` / ``.outputs``, ``VariableMap.variables``, a map entry's key and
#: value, and ``Variable.type`` / ``.description`` / ``.artifact_partial_id``: each field's key.
_INPUTS_KEY = field_key(interface_pb2.TypedInterface.INPUTS_FIELD_NUMBER)
_OUTPUTS_KEY = field_key(interface_pb2.TypedInterface.OUTPUTS_FIELD_NUMBER)
_VARIABLES_KEY = field_key(interface_pb2.VariableMap.VARIABLES_FIELD_NUMBER)
_ENTRY_KEY, _ENTRY_VALUE = field_key(1), field_key(2)
_TYPE_KEY = field_key(interface_pb2.Variable.TYPE_FIELD_NUMBER)
_DESCRIPTION_KEY = field_key(interface_pb2.Variable.DESCRIPTION_FIELD_NUMBER)
_ARTIFACT_KEY = field_key(interface_pb2.Variable.ARTIFACT_PARTIAL_ID_FIELD_NUMBER)


def _map_order_sentinel() -> bytes | None:
    """What protobuf's deterministic serialization of this runtime sorts a string-keyed map by:
    ``b"\xff"`` where it compares keys over their common length and puts the longer first (upb:
    key bytes plus ``0xff``, a byte UTF-8 never uses, give that order), ``b""`` where it
    compares them as byte strings (C++, pure Python); ``None`` for any other order."""
    probe = interface_pb2.VariableMap()
    for name in ("a", "ab"):
        probe.variables[name].SetInParent()
    data = probe.SerializeToString(deterministic=True)
    longer_first, shorter_first = data.find(b"\x02ab"), data.find(b"\x01a\x12")
    if longer_first < 0 or shorter_first < 0:
        return None
    return b"\xff" if longer_first < shorter_first else b""


#: How this runtime orders map entries (:func:`_map_order_sentinel`), read once.
_SENTINEL = _map_order_sentinel()


def _variable_map(keys: tuple[VariableKey, ...]) -> bytes:
    """The bytes of a ``VariableMap`` holding these variables, as the runtime's deterministic
    serialization writes them: one map entry (key 1: the name, value 2: the ``Variable``) per
    variable in the runtime's key order, each ``Variable`` with its fields in number order and
    an empty description left out."""
    sentinel = _SENTINEL or b""
    named = sorted((key[0].encode() + sentinel, key) for key in keys)
    entries = []
    for encoded, (_, data, description, artifact) in named:
        _readable(data)
        variable = length_delimited(_TYPE_KEY, data)
        if description:
            variable += length_delimited(_DESCRIPTION_KEY, description.encode())
        if artifact:
            variable += length_delimited(_ARTIFACT_KEY, artifact)
        name = encoded[: len(encoded) - len(sentinel)]
        entry = length_delimited(_ENTRY_KEY, name) + length_delimited(_ENTRY_VALUE, variable)
        entries.append(length_delimited(_VARIABLES_KEY, entry))
    return b"".join(entries)


_LiteralType = types_pb2.LiteralType


@cached("serialize.readable_literal_types", maxsize=4096)
def _readable(data: bytes) -> bool:
    """Parse a literal type's bytes once, as merging them into a message did: types nested
    deeper than protobuf decoders read raise the ``DecodeError`` that the compile reports as
    CT125 (the bytes written by hand would otherwise be a message nobody can read)."""
    _LiteralType.FromString(data)
    return True


def _message_bytes(inputs: tuple[VariableKey, ...], outputs: tuple[VariableKey, ...]) -> bytes:
    """The interface built as a message and serialized (a runtime whose map order is unknown)."""
    interface = interface_pb2.TypedInterface()
    for target, keys in ((interface.inputs, inputs), (interface.outputs, outputs)):
        target.SetInParent()  # "set but empty": {} when there are no variables
        for name, data, description, artifact in keys:
            variable = target.variables[name]
            variable.type.MergeFromString(data)
            variable.description = description
            if artifact:
                variable.artifact_partial_id.MergeFromString(artifact)
    return interface.SerializeToString(deterministic=True)


@cached("serialize.interface_bytes", maxsize=4096)
def _interface_bytes(inputs: tuple[VariableKey, ...], outputs: tuple[VariableKey, ...]) -> bytes:
    """The wire bytes of the interface with these variables (both maps present, maybe empty).

    Written field by field (:func:`_variable_map`) rather than by filling a message and
    serializing it: the same bytes (tested against the message), in about a third of the time
    for each interface a compile has not seen yet.
    """
    if _SENTINEL is None:
        return _message_bytes(inputs, outputs)
    return length_delimited(_INPUTS_KEY, _variable_map(inputs)) + length_delimited(
        _OUTPUTS_KEY, _variable_map(outputs)
    )


def interface_bytes(
    task: Any, settings: SerializationSettings, errors: list[CompileTasksError]
) -> bytes:
    """The wire bytes of the task's ``TypedInterface``; problems are appended to ``errors``.

    Descriptions come from the task's Python interface: the docstring text of a variable, its
    own name when undocumented, ``""`` (omitted on the wire) when documented empty.
    """
    python_interface = task.python_interface
    type_bytes = _type_bytes(settings)
    allow_pickle = settings.allow_pickle
    inputs = _variable_keys(
        python_interface.inputs,
        python_interface.input_descriptions,
        "input",
        type_bytes,
        allow_pickle,
        errors,
    )
    outputs = _variable_keys(
        python_interface.outputs,
        python_interface.output_descriptions,
        "output",
        type_bytes,
        allow_pickle,
        errors,
    )
    return _interface_bytes(inputs, outputs)


def fill_interface(
    target: interface_pb2.TypedInterface,
    task: Any,
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    """Merge the task's interface (:func:`interface_bytes`) into ``target``; problems are
    appended to ``errors``."""
    target.MergeFromString(interface_bytes(task, settings, errors))
