"""``SQLTask``: the base of SQL plugin tasks (``TaskTemplate.sql``, WIRE-FORMAT 9).

A plugin subclasses ``SQLTask[MyConfig]`` and overrides ``get_sql`` (a ``tasks_pb2.Sql``) and
``get_custom``. The base class has no ``get_sql`` override, like flytekit's: a subclass that
does not override it has no target at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from compiler.errors import DefinitionError, SourceLocation
from compiler.idl import TaskType
from compiler.sdk.interface import interface_from_types
from compiler.sdk.location import caller_location, definition_context
from compiler.sdk.metadata import TaskMetadata
from compiler.sdk.python_task import PythonTask

__all__ = ["SQLTask", "checked_query", "normalize_query"]

T = TypeVar("T")

_WHITESPACE = re.compile(r"\s+")
_INPUT_TEMPLATE = re.compile(r"\{\{\s*\.inputs\.(\w+)\s*\}\}", re.IGNORECASE)


def checked_query(query_template: Any) -> str:
    """The statement of a SQL task, normalised; CT170 when it is not a string."""
    if not isinstance(query_template, str):
        raise DefinitionError(
            f"query_template must be a string, got {query_template!r}",
            code="CT170",
            param="query_template",
            param_kind="option",
            hint="write the statement as a string",
        )
    return normalize_query(query_template)


def normalize_query(query: str) -> str:
    """Collapse every run of whitespace (newlines and tabs included) to one space, strip."""
    return _WHITESPACE.sub(" ", query.replace("\n", " ").replace("\t", " ")).strip()


class SQLTask(PythonTask[T]):
    """A task whose target is a SQL statement run by a backend plugin.

    Args:
        name: The entity name, written verbatim.
        query_template: The statement; whitespace is collapsed here, in the constructor.
        task_config: The plugin's configuration object.
        task_type: The plugin's ``TaskTemplate.type`` (default ``"sql_task"``).
        inputs: ``kwtypes(...)`` of inputs.
        metadata: Metadata options.
        outputs: ``kwtypes(...)`` of outputs.
        **kwargs: Passed to :class:`PythonTask`.
    """

    def __init__(
        self,
        name: str,
        query_template: str,
        task_config: T | None = None,
        task_type: str = TaskType.SQL.value,
        inputs: Mapping[str, Any] | None = None,
        metadata: TaskMetadata | None = None,
        outputs: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        location, module = caller_location(self)
        self._location = location or SourceLocation("<unknown>")
        self.instantiated_in = module
        with definition_context(name, lambda: location):
            self._query_template = checked_query(query_template)
            super().__init__(
                task_type=task_type,
                name=name,
                task_config=task_config,
                interface=interface_from_types(inputs, outputs),
                metadata=metadata,
                **kwargs,
            )

    @property
    def query_template(self) -> str:
        """The normalised statement."""
        return self._query_template

    def get_query(self, **kwargs: Any) -> str:
        """The statement with ``{{ .inputs.x }}`` replaced by the given values."""
        return self.interpolate_query(self.query_template, **kwargs)

    @staticmethod
    def interpolate_query(query_template: str, **kwargs: Any) -> str:
        """Replace ``{{ .inputs.NAME }}`` templates; an unknown name is an error."""

        def replace(match: re.Match[str]) -> str:
            name = match[1]
            if name not in kwargs:
                raise DefinitionError(
                    f"the query uses input {name!r}, which was not given",
                    code="CT171",
                    param=name,
                    hint="declare it in inputs=kwtypes(...) and pass it",
                )
            return str(kwargs[name])

        return _INPUT_TEMPLATE.sub(replace, query_template)
