"""``TaskTemplate.metadata`` (WIRE-FORMAT 5): always-set fields, cache, retries, timeout, ..."""

from __future__ import annotations

import operator
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType
from typing import Any

from flyteidl.core import tasks_pb2

from compiler._version import __version__
from compiler.idl import RUNTIME_FLAVOR
from compiler.memo import Memo, cached

__all__ = ["MetadataSpec", "build_task_metadata", "scalar_metadata_bytes", "task_metadata_bytes"]


_SCALARS = frozenset({str, int, bool, float, type(None), timedelta})


def _typed(value: Any) -> Hashable:
    """``value`` as a hashable memo key part that also holds the type of every scalar.

    Maps become tuples of pairs and sequences tuples (their order kept). The types keep, say,
    ``retries=1.0`` or ``interruptible=1.0`` (refused by protobuf) from sharing the bytes of
    ``1`` or ``True``: with the types equal too, equal keys write equal bytes.
    """
    kind = type(value)
    if kind in _SCALARS:  # the usual case, without the slower abstract-class checks
        return (kind, value)
    if isinstance(value, Mapping):
        return tuple((_typed(k), _typed(v)) for k, v in value.items())
    if isinstance(value, Sequence) and not isinstance(value, str):
        return tuple(_typed(item) for item in value)
    return (type(value), value)


@dataclass(frozen=True, eq=False)
class MetadataSpec:
    """Everything that goes into ``TaskMetadata``, already validated by the SDK.

    A spec is its own memo key: it is hashable, and two specs are equal when every field holds
    the same content of the same types (see :func:`_typed`). The maps and the sequence are
    kept as read-only copies, so a stored key cannot change under the memo.
    """

    cache: bool = False
    cache_version: str = ""
    cache_serialize: bool = False
    cache_ignore_input_vars: Sequence[str] = ()
    retries: int = 0
    timeout: timedelta | None = None
    interruptible: bool | None = None
    deprecated: str = ""
    generates_deck: bool = False
    pod_template_name: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A memo key must not change once stored: keep read-only copies of the containers.
        setattr_ = object.__setattr__
        ignored, labels, annotations, content = _normalised(
            _scalars_of(self), self.cache_ignore_input_vars, self.labels, self.annotations
        )
        setattr_(self, "cache_ignore_input_vars", ignored)
        setattr_(self, "labels", labels)
        setattr_(self, "annotations", annotations)
        # The fields never change, so the key is computed once (a memo lookup hashes it and
        # compares it at least once per task).
        setattr_(self, "_key", (hash(content), content))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MetadataSpec):
            return NotImplemented
        return self._key == other._key  # type: ignore[attr-defined, no-any-return]

    def __hash__(self) -> int:
        return self._key[0]  # type: ignore[attr-defined, no-any-return]


_EMPTY_MAP: Mapping[str, str] = MappingProxyType({})
#: The nine scalar fields of a spec, in field order: the first part of its content key.
_SCALAR_FIELDS = (
    "cache",
    "cache_version",
    "cache_serialize",
    "retries",
    "timeout",
    "interruptible",
    "deprecated",
    "generates_deck",
    "pod_template_name",
)
#: The scalar fields of a spec (``attrgetter``) or of its keyword arguments (``itemgetter``).
_scalars_of = operator.attrgetter(*_SCALAR_FIELDS)
_scalar_arguments = operator.itemgetter(*_SCALAR_FIELDS)


def _normalised(
    scalars: tuple[Any, ...],
    ignored: Sequence[str],
    labels: Mapping[str, str],
    annotations: Mapping[str, str],
) -> tuple[tuple[str, ...], Mapping[str, str], Mapping[str, str], tuple[Any, ...]]:
    """The containers of a spec as it keeps them, and its content key (``_typed`` of every
    field), from its nine scalar fields (in field order) and its three containers.

    Shared by :class:`MetadataSpec` and :func:`task_metadata_bytes`, so that both key the same
    content alike. Runs once per task serialized, so the usual case (empty containers, exact
    scalar types) avoids the generic paths; the key is the same as theirs.
    """
    if type(ignored) is not tuple:
        ignored = tuple(ignored)
    labels = _read_only(labels)
    annotations = _read_only(annotations)
    content = (
        *[(type(v), v) if type(v) in _SCALARS else _typed(v) for v in scalars],
        _typed(ignored) if ignored else (),
        _typed(labels) if labels else (),
        _typed(annotations) if annotations else (),
    )
    return ignored, labels, annotations, content  # type: ignore[return-value]


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    """A read-only copy of ``value`` (one shared empty map for the usual empty case)."""
    return MappingProxyType(dict(value)) if value else _EMPTY_MAP


def _runtime_metadata() -> tasks_pb2.RuntimeMetadata:
    """``{flavor: python, type: FLYTE_SDK, version: <our version>}``."""
    return tasks_pb2.RuntimeMetadata(
        type=tasks_pb2.RuntimeMetadata.FLYTE_SDK, version=__version__, flavor=RUNTIME_FLAVOR
    )


@cached("proto.metadata_bytes", maxsize=1024)
def _metadata_bytes(spec: MetadataSpec) -> bytes:
    """The wire bytes of the metadata; memoised because most tasks share a handful of specs."""
    md = tasks_pb2.TaskMetadata(runtime=_runtime_metadata())
    md.retries.SetInParent()
    if spec.retries:
        md.retries.retries = spec.retries
    md.generates_deck.value = spec.generates_deck
    md.generates_deck.SetInParent()
    md.metadata.SetInParent()
    for key, value in spec.labels.items():
        md.metadata.labels[key] = value
    for key, value in spec.annotations.items():
        md.metadata.annotations[key] = value
    if spec.timeout:
        md.timeout.FromTimedelta(spec.timeout)
    if spec.interruptible is not None:
        md.interruptible = spec.interruptible
    md.deprecated_error_message = spec.deprecated
    if spec.cache:
        md.discoverable = True
        md.discovery_version = spec.cache_version
        md.cache_serializable = spec.cache_serialize
        md.cache_ignore_input_vars.extend(spec.cache_ignore_input_vars)
    md.pod_template_name = spec.pod_template_name
    return md.SerializeToString(deterministic=True)


_BYTES_BY_CONTENT: Memo[tuple[Any, ...], bytes] = Memo("proto.metadata_bytes_by_content")


def task_metadata_bytes(
    *,
    cache: bool = False,
    cache_version: str = "",
    cache_serialize: bool = False,
    cache_ignore_input_vars: Sequence[str] = (),
    retries: int = 0,
    timeout: timedelta | None = None,
    interruptible: bool | None = None,
    deprecated: str = "",
    generates_deck: bool = False,
    pod_template_name: str = "",
    labels: Mapping[str, str] = _EMPTY_MAP,
    annotations: Mapping[str, str] = _EMPTY_MAP,
) -> bytes:
    """The deterministic bytes of ``build_task_metadata(MetadataSpec(...))`` for these fields.

    Memoised on the spec's own content key, so that a task's metadata costs a key and a lookup:
    building a ``MetadataSpec`` (a frozen dataclass of twelve fields), then a message from the
    bytes and a copy of it into the template, was a fifth of serializing a task. The spec is
    built only for content not seen before (and raises as it would for unhashable content).
    """
    fields: dict[str, Any] = {
        "cache": cache,
        "cache_version": cache_version,
        "cache_serialize": cache_serialize,
        "cache_ignore_input_vars": cache_ignore_input_vars,
        "retries": retries,
        "timeout": timeout,
        "interruptible": interruptible,
        "deprecated": deprecated,
        "generates_deck": generates_deck,
        "pod_template_name": pod_template_name,
        "labels": labels,
        "annotations": annotations,
    }
    _, _, _, content = _normalised(
        _scalar_arguments(fields), cache_ignore_input_vars, labels, annotations
    )
    try:
        found = _BYTES_BY_CONTENT.get(content)
    except TypeError:  # unhashable content: MetadataSpec raises below
        found = None
    if found is None:
        found = _BYTES_BY_CONTENT.put(content, _metadata_bytes(MetadataSpec(**fields)))
    return found


def scalar_metadata_bytes(*scalars: Any) -> bytes:
    """:func:`task_metadata_bytes` of a spec without ignored inputs, labels or annotations (most
    tasks), from its nine scalar fields given in field order (:data:`_SCALAR_FIELDS`).

    Memoised on the scalars and their types (so that ``True``, ``1`` and ``1.0`` stay apart)
    in a plain ``lru_cache``: building the keyword arguments and the content key of
    :func:`task_metadata_bytes` cost more than the rest of a task's metadata. Content of other
    types takes :func:`task_metadata_bytes`.
    """
    types = tuple(map(type, scalars))
    if _SCALARS.issuperset(types):
        return _scalar_bytes(scalars, types)
    return task_metadata_bytes(**dict(zip(_SCALAR_FIELDS, scalars, strict=True)))


@cached("proto.metadata_bytes_by_scalars", maxsize=1024)
def _scalar_bytes(scalars: tuple[Any, ...], types: tuple[type, ...]) -> bytes:
    return task_metadata_bytes(**dict(zip(_SCALAR_FIELDS, scalars, strict=True)))


def build_task_metadata(spec: MetadataSpec) -> tasks_pb2.TaskMetadata:
    """The complete metadata message, with ``retries``, ``metadata`` and ``generates_deck`` set.

    A new message each call (the caller may change it), parsed from memoised bytes.
    """
    return tasks_pb2.TaskMetadata.FromString(_metadata_bytes(spec))
