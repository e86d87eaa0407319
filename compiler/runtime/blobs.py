"""File and directory literals on the way in and out of a task.

Inputs: a blob whose URI is remote is downloaded into a local working directory before the task
runs, and the literal is rewritten to the local path, so the task sees an ordinary path.
Outputs: a blob (or structured dataset) whose URI is a local path is uploaded under the raw output
prefix and rewritten to its new URI; a path that came from a downloaded input goes back to the
input's original URI instead of being uploaded again.

A ``FlyteFile`` / ``FlyteDirectory`` field of a dataclass or pydantic model output
(``{"path": ...}`` inside the msgpack payload), and a dataset field (``{"uri": ...}``, written
locally by its encoder), are uploaded too when the output's literal type is known (it says which
fields are files); such fields of *inputs* keep their URI (the task opens it with fsspec).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import msgpack
from flyteidl.core import literals_pb2, types_pb2

from compiler.context import storage
from compiler.errors import CompileTasksError, ExecutionError

__all__ = ["BlobMover", "iter_literals"]

_MULTIPART = types_pb2.BlobType.MULTIPART


def iter_literals(literal: literals_pb2.Literal) -> Iterator[literals_pb2.Literal]:
    """``literal`` and every literal nested in it (collections, maps, union values)."""
    yield literal
    kind = literal.WhichOneof("value")
    if kind == "collection":
        for item in literal.collection.literals:
            yield from iter_literals(item)
    elif kind == "map":
        for key in sorted(literal.map.literals):
            yield from iter_literals(literal.map.literals[key])
    elif kind == "scalar" and literal.scalar.HasField("union"):
        yield from iter_literals(literal.scalar.union.value)


def _each(literal_map: literals_pb2.LiteralMap) -> Iterator[literals_pb2.Literal]:
    for name in sorted(literal_map.literals):
        yield from iter_literals(literal_map.literals[name])


@dataclass
class BlobMover:
    """Moves blobs between storage and a local working directory for one execution.

    Attributes:
        workdir: Local directory where remote inputs are downloaded.
        raw_output_prefix: Where local outputs are uploaded (a local path or a URI).
    """

    workdir: str
    raw_output_prefix: str
    _origins: dict[str, str] = field(default_factory=dict)

    @property
    def origins(self) -> dict[str, str]:
        """Local path of each downloaded input -> the URI it came from."""
        return dict(self._origins)

    def adopt(self, origins: dict[str, str]) -> None:
        """Also treat these local paths (files the task downloaded itself) as copies of their
        URIs: returned as outputs, they keep the URI instead of being uploaded again."""
        for path, uri in origins.items():
            self._origins.setdefault(os.path.abspath(path), uri)

    def localise_inputs(self, inputs: literals_pb2.LiteralMap, task: str = "") -> None:
        """Download remote blobs of ``inputs`` and point the literals at the local copies.

        Raises:
            ExecutionError: CT731 naming the task, the input and the URI when a download fails
                (CT734 when no filesystem handles the URI's scheme).
        """
        for input_name in sorted(inputs.literals):
            for literal in iter_literals(inputs.literals[input_name]):
                if literal.HasField("scalar") and literal.scalar.HasField("blob"):
                    self._localise(literal.scalar.blob, task, input_name)

    def _localise(self, blob: literals_pb2.Blob, task: str, input_name: str) -> None:
        if blob.uri.startswith("file://"):
            blob.uri = storage.local_path(blob.uri)
        if not storage.is_remote(blob.uri):
            return
        multipart = blob.metadata.type.dimensionality == _MULTIPART
        name = os.path.basename(blob.uri.rstrip("/")) or "data"
        dest = os.path.join(self.workdir, "inputs", uuid.uuid4().hex, name)
        try:
            storage.download(blob.uri, dest, directory=multipart)
        except CompileTasksError as err:
            raise err.with_context(task=task or None, param=input_name) from None
        except Exception as exc:
            raise ExecutionError(
                f"cannot download {blob.uri!r}: {type(exc).__name__}: {exc}",
                code="CT731",
                task=task or None,
                param=input_name,
                hint="check the URI exists and the container's credentials can read it",
            ) from None
        self._origins[dest] = blob.uri
        blob.uri = dest

    def publish_outputs(
        self,
        outputs: literals_pb2.LiteralMap,
        types: dict[str, types_pb2.LiteralType] | None = None,
    ) -> None:
        """Upload local blobs and datasets of ``outputs`` under the raw output prefix.

        ``types`` (output name -> literal type) lets file fields of dataclasses be uploaded too.
        """
        for name, literal_type in (types or {}).items():
            if name in outputs.literals:
                self._publish_payloads(outputs.literals[name], literal_type)
        for literal in _each(outputs):
            if not literal.HasField("scalar"):
                continue
            scalar = literal.scalar
            if scalar.HasField("blob"):
                multipart = scalar.blob.metadata.type.dimensionality == _MULTIPART
                scalar.blob.uri = self._publish(scalar.blob.uri, multipart)
            elif scalar.HasField("structured_dataset") and scalar.structured_dataset.uri:
                uri = scalar.structured_dataset.uri
                scalar.structured_dataset.uri = self._publish(uri, os.path.isdir(uri))
            elif scalar.HasField("schema") and scalar.schema.uri:
                uri = scalar.schema.uri
                scalar.schema.uri = self._publish(uri, os.path.isdir(uri))

    def _publish(self, uri: str, multipart: bool) -> str:
        if storage.is_remote(uri) or not uri:
            return uri
        path = os.path.abspath(storage.local_path(uri))
        if path in self._origins:
            return self._origins[path]
        raw = self.raw_output_prefix
        if not storage.is_remote(raw) and _is_below(path, storage.local_path(raw)):
            return path
        if not os.path.exists(path):
            return uri  # not ours to move: a reference the task made up
        target = storage.join(raw, uuid.uuid4().hex, os.path.basename(path.rstrip("/")))
        return storage.upload(path, target, directory=multipart or os.path.isdir(path))

    def _publish_payloads(
        self, literal: literals_pb2.Literal, literal_type: types_pb2.LiteralType
    ) -> None:
        kind = literal.WhichOneof("value")
        if kind == "collection" and literal_type.HasField("collection_type"):
            for item in literal.collection.literals:
                self._publish_payloads(item, literal_type.collection_type)
        elif kind == "map" and literal_type.HasField("map_value_type"):
            for key in sorted(literal.map.literals):
                self._publish_payloads(literal.map.literals[key], literal_type.map_value_type)
        elif kind == "scalar" and literal.scalar.HasField("union"):
            self._publish_payloads(literal.scalar.union.value, literal.scalar.union.type)
        elif kind == "scalar" and literal.scalar.HasField("binary") and _has_fields(literal_type):
            binary = literal.scalar.binary
            data = msgpack.unpackb(binary.value, strict_map_key=False)
            changed = self._publish_plain(data, literal_type)
            if changed:
                binary.value = msgpack.packb(data)

    def _publish_plain(self, data: object, literal_type: types_pb2.LiteralType) -> bool:
        """Upload the files of the plain (msgpack) ``data`` in place; True when one moved."""
        which = literal_type.WhichOneof("type")
        if which == "blob" and isinstance(data, dict) and isinstance(data.get("path"), str):
            multipart = literal_type.blob.dimensionality == _MULTIPART
            new = self._publish(data["path"], multipart)
            changed, data["path"] = new != data["path"], new
            return changed
        if which == "structured_dataset_type" and isinstance(data, dict):
            uri = data.get("uri")
            if isinstance(uri, str) and uri:  # a dataset field written locally by its encoder
                new = self._publish(uri, os.path.isdir(storage.local_path(uri)))
                changed, data["uri"] = new != uri, new
                return changed
            return False
        if which == "union_type":
            return any(self._publish_plain(data, v) for v in literal_type.union_type.variants)
        if which == "collection_type" and isinstance(data, list):
            return _any([self._publish_plain(v, literal_type.collection_type) for v in data])
        if which == "map_value_type" and isinstance(data, dict):
            items = data.values()
            return _any([self._publish_plain(v, literal_type.map_value_type) for v in items])
        if _has_fields(literal_type) and isinstance(data, dict):
            fields = literal_type.structure.dataclass_type
            return _any([self._publish_plain(data[f], fields[f]) for f in fields if f in data])
        return False


def _any(flags: list[bool]) -> bool:
    # a list, not a generator: every element must be visited, not just up to the first True
    return any(flags)


def _has_fields(literal_type: types_pb2.LiteralType) -> bool:
    return bool(literal_type.structure.dataclass_type)


def _is_below(path: str, folder: str) -> bool:
    folder = os.path.abspath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
