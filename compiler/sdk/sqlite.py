"""``SQLite3Task``: a query run against an SQLite file by a prebuilt executor.

The task is a task-template task (:mod:`compiler.sdk.template_task`): ``TaskTemplate.custom``
holds ``query_template``, ``uri`` and ``compressed``, and :class:`SQLite3TaskExecutor` runs the
query in the container from the template alone: it fetches the database (a local path or any
URI the storage layer reads), unpacks it when it is an archive, fills ``{{ .inputs.x }}`` in,
runs the query with the standard library's ``sqlite3``, and writes the rows as a
``FlyteSchema`` folder holding one parquet file (``pyarrow``, the ``dataframe`` extra).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from typing import Any

from flyteidl.core import tasks_pb2
from google.protobuf import json_format

from compiler.context import storage
from compiler.errors import DefinitionError, ExecutionError, SourceLocation
from compiler.idl import TaskType
from compiler.sdk.interface import interface_from_types
from compiler.sdk.location import caller_location, definition_context
from compiler.sdk.sql import SQLTask, checked_query
from compiler.sdk.template_task import PythonCustomizedContainerTask, ShimTaskExecutor
from compiler.settings import SerializationSettings
from compiler.types import FlyteSchema

__all__ = ["SQLite3Config", "SQLite3Task", "SQLite3TaskExecutor"]

#: The name of the data file inside a ``FlyteSchema`` folder (flytekit's first part name).
_PART_FILE = "00000"


@dataclass
class SQLite3Config:
    """Where the database is.

    Attributes:
        uri: A path or URI of an SQLite file (or of an archive holding one).
        compressed: The file is an archive (zip, tar, gztar, bztar, xztar) of one database.
    """

    uri: str
    compressed: bool = False


class SQLite3Task(PythonCustomizedContainerTask[SQLite3Config]):
    """Run a query on an SQLite database; the rows are the output ``results``.

    Args:
        name: The entity name, written verbatim.
        query_template: The query; ``{{ .inputs.NAME }}`` is replaced by an input's value.
        inputs: ``kwtypes(...)`` of inputs.
        task_config: The database (``SQLite3Config(uri=...)``, required).
        output_schema_type: ``FlyteSchema[kwtypes(...)]`` of the rows (plain ``FlyteSchema``
            when ``None``).
        container_image: The image that runs the executor; the compile's default image when
            ``None`` (it needs compile-tasks installed, with the ``dataframe`` extra).
        **kwargs: Options of :class:`PythonCustomizedContainerTask`.

    Raises:
        DefinitionError: CT186 without a ``SQLite3Config`` holding a ``uri``.
    """

    def __init__(
        self,
        name: str,
        query_template: str,
        inputs: dict[str, Any] | None = None,
        task_config: SQLite3Config | None = None,
        output_schema_type: type | None = None,
        container_image: Any = None,
        **kwargs: Any,
    ) -> None:
        location, module = caller_location(self)
        self._location = location or SourceLocation("<unknown>")
        self.instantiated_in = module
        with definition_context(name, lambda: location):
            if not isinstance(task_config, SQLite3Config) or not task_config.uri:
                raise DefinitionError(
                    f"SQLite3Task needs task_config=SQLite3Config(uri=...), got {task_config!r}",
                    code="CT186",
                    param="task_config",
                    param_kind="option",
                    hint="write task_config=SQLite3Config(uri='https://.../db.sqlite')",
                )
            self._query_template = checked_query(query_template)
            outputs = {"results": output_schema_type or FlyteSchema}
            super().__init__(
                name=name,
                task_config=task_config,
                container_image=container_image,
                executor_type=SQLite3TaskExecutor,
                task_type=TaskType.SQLITE.value,
                interface=interface_from_types(inputs, outputs),
                **kwargs,
            )

    @property
    def query_template(self) -> str:
        """The normalised query."""
        return self._query_template

    @property
    def output_columns(self) -> list[str] | None:
        """The declared column names of ``results``, or ``None``."""
        columns = getattr(self.python_interface.outputs["results"], "columns", None)
        names = list(columns()) if columns else []
        return names or None

    def get_custom(self, settings: SerializationSettings) -> dict[str, Any]:
        config = self.task_config
        assert config is not None  # checked in __init__
        return {
            "query_template": self.query_template,
            "uri": config.uri,
            "compressed": config.compressed,
        }


class SQLite3TaskExecutor(ShimTaskExecutor[SQLite3Task]):
    """Runs an ``SQLite3Task`` from its template (no user code needed)."""

    def execute_from_model(self, tt: tasks_pb2.TaskTemplate, **kwargs: Any) -> Any:
        custom = json_format.MessageToDict(tt.custom)
        query = SQLTask.interpolate_query(custom["query_template"], **kwargs)
        workdir = tempfile.mkdtemp(prefix="compile-tasks-sqlite-")
        database = _fetch(str(custom["uri"]), workdir, bool(custom.get("compressed")))
        with contextlib.closing(sqlite3.connect(database)) as connection:
            cursor = connection.execute(query)
            names = [column[0] for column in cursor.description or ()]
            rows = cursor.fetchall()
        return FlyteSchema(local_path=_write_rows(names, rows, workdir))


def _fetch(uri: str, workdir: str, compressed: bool) -> str:
    local = os.path.join(workdir, os.path.basename(uri.rstrip("/")) or "database")
    try:
        storage.download(uri, local, directory=False)
    except Exception as exc:  # fsspec raises many kinds
        raise ExecutionError(
            f"cannot fetch the SQLite database {uri!r}: {exc}",
            code="CT752",
            hint="check SQLite3Config(uri=...): a path in the image or a reachable URI",
        ) from None
    if not compressed:
        return local
    unpacked = os.path.join(workdir, "_arch")
    shutil.unpack_archive(local, unpacked)
    files = sorted(os.listdir(unpacked))
    if len(files) != 1:
        raise ExecutionError(
            f"the archive {uri!r} should hold one database file, found {files}",
            code="CT752",
            hint="archive exactly one SQLite file, or set compressed=False",
        )
    return os.path.join(unpacked, files[0])


def _write_rows(names: list[str], rows: list[tuple[Any, ...]], workdir: str) -> str:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExecutionError(
            "writing the query's rows needs pyarrow",
            code="CT752",
            hint="install compile-tasks[dataframe] in the executor's image",
        ) from None
    table = pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows])
    if not rows:
        table = pa.table({name: pa.array([], pa.null()) for name in names})
    folder = os.path.join(workdir, "results")
    os.makedirs(folder)
    pq.write_table(table, os.path.join(folder, _PART_FILE))
    return folder
