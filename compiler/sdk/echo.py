"""``Echo``: a task that hands its inputs back as its outputs (``TaskTemplate.type`` ``echo``).

Flyte's propeller runs it with its ``echo`` plugin, without a pod: the template has no
container, no k8s pod and no description, only an interface whose outputs ``o0``, ``o1``, ...
have the types of the inputs, in input order (as flytekit's ``Echo`` writes it). The plugin must
be enabled in propeller's ``task-plugins``. Called locally, it returns its inputs: the one
value for one input, a tuple for several.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.errors import DefinitionError, SourceLocation
from compiler.idl import TaskType
from compiler.sdk.interface import interface_from_types
from compiler.sdk.location import caller_location, definition_context
from compiler.sdk.python_task import PythonTask

__all__ = ["Echo"]


class Echo(PythonTask[None]):
    """A task whose outputs are its inputs.

    Args:
        name: The entity name, written verbatim.
        inputs: Input name -> type (``kwtypes(...)`` or a dict); output ``oN`` has the type of
            the N-th input.
        **kwargs: Passed to :class:`PythonTask` (``metadata``, ``environment``, ...).
    """

    def __init__(self, name: str, inputs: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        location, module = caller_location(self)
        self._location = location or SourceLocation("<unknown>")
        self.instantiated_in = module
        with definition_context(name, lambda: location):
            if inputs is not None and not isinstance(inputs, Mapping):
                raise DefinitionError(
                    f"inputs must map input names to types, got {inputs!r}",
                    code="CT178",
                    param="inputs",
                    param_kind="option",
                    hint="write inputs=kwtypes(x=int) or inputs={'x': int}",
                )
            hints = dict(inputs or {})
            outputs = {f"o{index}": hint for index, hint in enumerate(hints.values())}
            super().__init__(
                task_type=TaskType.ECHO.value,
                name=name,
                interface=interface_from_types(hints, outputs),
                **kwargs,
            )

    def execute(self, **kwargs: Any) -> Any:
        """The inputs, in input order: one value, or a tuple of several."""
        values = [kwargs[name] for name in self.python_interface.inputs]
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)
