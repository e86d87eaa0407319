"""``TaskTemplate.metadata`` (WIRE-FORMAT 5): always-set fields, cache, retries, timeout, ..."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from flyteidl.core import tasks_pb2

from compiler._version import __version__
from compiler.idl import RUNTIME_FLAVOR

__all__ = ["MetadataSpec", "build_task_metadata", "runtime_metadata"]


@dataclass(frozen=True)
class MetadataSpec:
    """Everything that goes into ``TaskMetadata``, already validated by the SDK."""

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


def runtime_metadata() -> tasks_pb2.RuntimeMetadata:
    """``{flavor: python, type: FLYTE_SDK, version: <our version>}``."""
    return tasks_pb2.RuntimeMetadata(
        type=tasks_pb2.RuntimeMetadata.FLYTE_SDK, version=__version__, flavor=RUNTIME_FLAVOR
    )


class _SpecKey(NamedTuple):
    """The content of a ``MetadataSpec``, hashable: maps become tuples of pairs.

    ``scalar_types`` keeps, say, ``retries=1.0`` or ``interruptible=1.0`` (refused by protobuf)
    from sharing the bytes of ``1`` or ``True``: with the types equal too, equal keys write
    equal bytes.
    """

    cache: bool
    cache_version: str
    cache_serialize: bool
    cache_ignore_input_vars: tuple[str, ...]
    retries: int
    timeout: timedelta | None
    interruptible: bool | None
    deprecated: str
    generates_deck: bool
    pod_template_name: str
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]
    scalar_types: tuple[type, ...]

    @classmethod
    def of(cls, spec: MetadataSpec) -> _SpecKey:
        return cls(
            spec.cache,
            spec.cache_version,
            spec.cache_serialize,
            tuple(spec.cache_ignore_input_vars),
            spec.retries,
            spec.timeout,
            spec.interruptible,
            spec.deprecated,
            spec.generates_deck,
            spec.pod_template_name,
            tuple(spec.labels.items()),
            tuple(spec.annotations.items()),
            (
                type(spec.cache),
                type(spec.cache_serialize),
                type(spec.retries),
                type(spec.interruptible),
                type(spec.generates_deck),
            ),
        )


@functools.lru_cache(maxsize=1024)
def _metadata_bytes(spec: _SpecKey) -> bytes:
    """The wire bytes of the metadata; memoised because most tasks share a handful of specs."""
    md = tasks_pb2.TaskMetadata(runtime=runtime_metadata())
    md.retries.SetInParent()
    if spec.retries:
        md.retries.retries = spec.retries
    md.generates_deck.value = spec.generates_deck
    md.generates_deck.SetInParent()
    md.metadata.SetInParent()
    for key, value in spec.labels:
        md.metadata.labels[key] = value
    for key, value in spec.annotations:
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


def build_task_metadata(spec: MetadataSpec) -> tasks_pb2.TaskMetadata:
    """The complete metadata message, with ``retries``, ``metadata`` and ``generates_deck`` set.

    A new message each call (the caller may change it), parsed from memoised bytes.
    """
    return tasks_pb2.TaskMetadata.FromString(_metadata_bytes(_SpecKey.of(spec)))
