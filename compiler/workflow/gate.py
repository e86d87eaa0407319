"""Gate nodes: ``sleep``, ``approve`` and ``wait_for_input`` (flytekit's names and keywords).

Inside a workflow body each call becomes a node with a ``gate_node`` (serialized by
``compiler.serialize``): ``sleep(duration)`` a ``SleepCondition`` named ``sleep-gate``;
``approve(upstream, name, timeout)`` an ``ApproveCondition`` whose signal id is ``name``, which
takes the upstream promise as its input and hands it on as its output (same variable name);
``wait_for_input(name, timeout, expected_type)`` a ``SignalCondition`` whose output ``o0`` has
``expected_type``. The node's metadata carries the name and the timeout (one hour for a sleep,
as flytekit writes it).

Run locally (a workflow called with Python values, or a gate called outside a body):

* ``sleep`` waits for its duration, unless the environment variable
  ``COMPILE_TASKS_SKIP_SLEEP`` is set to anything but ``""``/``0``;
* ``approve`` hands on its upstream value; the value given for its name in
  :func:`signal_values` decides (``False`` stops the run with CT937), approved by default;
* ``wait_for_input`` returns the value given for its name in :func:`signal_values`, converted
  through the type engine to ``expected_type``; without one the run stops with CT937.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from flyteidl.core import types_pb2

from compiler.errors import CompileTasksError, ExecutionError, WorkflowError
from compiler.sdk import Interface, active_builder, caller_location
from compiler.types import default_engine
from compiler.workflow.promise import Promise

__all__ = ["Gate", "approve", "signal_values", "sleep", "wait_for_input"]

#: flytekit's timeout of a gate that is given none (a sleep).
DEFAULT_TIMEOUT = timedelta(hours=1)

#: The environment switch that skips local sleeps.
SKIP_SLEEP_ENV = "COMPILE_TASKS_SKIP_SLEEP"

_SIGNALS: list[dict[str, Any]] = []


@contextmanager
def signal_values(**values: Any) -> Iterator[dict[str, Any]]:
    """Give local runs the values of gates, by gate name (nests; inner values win).

    ``with signal_values(count=3, confirm=True): my_workflow(...)`` makes
    ``wait_for_input("count", ...)`` return 3 and approves ``approve(..., "confirm", ...)``.
    """
    _SIGNALS.append(values)
    try:
        yield values
    finally:
        _SIGNALS.pop()


def _signal(name: str) -> tuple[bool, Any]:
    for values in reversed(_SIGNALS):
        if name in values:
            return True, values[name]
    return False, None


def _gate_error(message: str, code: str, hint: str, param: str | None = None) -> WorkflowError:
    location, _ = caller_location()
    builder = active_builder()
    return WorkflowError(
        message,
        code=code,
        hint=hint,
        location=location,
        workflow=getattr(builder, "name", None),
        param=param,
        param_kind="option",
    )


def _duration(value: Any, option: str) -> timedelta:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return timedelta(seconds=value)
    if isinstance(value, timedelta) and value >= timedelta(0):
        return value
    raise _gate_error(
        f"{option}={value!r} is not a duration",
        "CT936",
        f"pass {option}=timedelta(...) (or a non-negative number of seconds)",
        option,
    )


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _gate_error(
            f"name={value!r} is not a non-empty string",
            "CT936",
            "give the gate a name: it is the signal id users answer on the cluster",
            "name",
        )
    return value


class Gate:
    """A gate node's entity: what it waits for, its timeout and its interface.

    Attributes:
        kind: ``"sleep"``, ``"approve"`` or ``"signal"``.
        name: The node name (and the signal id of an approve or signal gate).
        timeout: ``NodeMetadata.timeout``.
        duration: A sleep's duration, else ``None``.
        literal_type: A signal's ``expected_type`` as a ``LiteralType``, else ``None``.
        python_interface: Inputs and outputs (an approve's upstream variable; a signal's ``o0``).
    """

    #: The workflow builder accepts gates as node entities.
    gate_node = True

    def __init__(
        self,
        kind: str,
        name: str,
        timeout: timedelta,
        interface: Interface,
        duration: timedelta | None = None,
        literal_type: types_pb2.LiteralType | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.timeout = timeout
        self.duration = duration
        self.literal_type = literal_type
        self.python_interface = interface

    def __call__(self, **kwargs: Any) -> Any:
        """Run the gate locally (see the module docstring)."""
        if self.kind == "sleep":
            if os.environ.get(SKIP_SLEEP_ENV, "") in ("", "0"):
                time.sleep((self.duration or timedelta(0)).total_seconds())
            return None
        given, value = _signal(self.name)
        if self.kind == "approve":
            if given and value is not True:
                raise self._run_error(
                    f"approval gate {self.name!r} was not approved ({value!r})",
                    f"pass signal_values({self.name}=True) to approve it",
                )
            return next(iter(kwargs.values()))
        if not given:
            raise self._run_error(
                f"wait_for_input gate {self.name!r} has no value in this local run",
                f"run it inside `with signal_values({self.name}=...):`",
            )
        hint = self.python_interface.outputs["o0"]
        engine = default_engine()
        try:
            return engine.to_python(engine.to_literal(value, hint), hint)
        except CompileTasksError as err:
            raise self._run_error(
                f"the value {value!r} given for gate {self.name!r} does not convert: {err.message}",
                "give a value of the gate's expected_type",
            ) from err

    def _run_error(self, message: str, hint: str) -> ExecutionError:
        return ExecutionError(message, code="CT937", task=self.name, hint=hint)

    def __repr__(self) -> str:
        return f"Gate({self.kind}: {self.name})"


def _node(gate: Gate, kwargs: dict[str, Any]) -> Any:
    """Add ``gate`` as a node of the workflow being defined, or run it locally."""
    builder = active_builder()
    if builder is None:
        return gate(**kwargs)
    result = builder.add_call(gate, (), kwargs)
    node = getattr(result, "node", None)
    if node is not None:
        node.name = gate.name  # the whole name, dots included
    return result


def sleep(duration: timedelta | int) -> Any:
    """A gate that waits ``duration`` (a node named ``sleep-gate``); returns a void promise."""
    gate = Gate(
        "sleep", "sleep-gate", DEFAULT_TIMEOUT, Interface(), _duration(duration, "duration")
    )
    return _node(gate, {})


def wait_for_input(name: str, timeout: timedelta | int, expected_type: Any) -> Any:
    """A gate that waits for a value of ``expected_type`` signalled under ``name``.

    Raises:
        WorkflowError: CT935 when the type engine has no literal type for ``expected_type``;
            CT936 for a bad name or timeout.
    """
    name = _name(name)
    try:
        literal_type = default_engine().to_literal_type(expected_type)
    except CompileTasksError as err:
        raise _gate_error(
            f"wait_for_input({name!r}) cannot wait for a {expected_type!r}: {err.message}",
            "CT935",
            "use a type the engine maps to a literal type (int, str, bool, float, a dataclass, "
            "...); a signal is typed on the cluster by it",
            "expected_type",
        ) from None
    interface = Interface(outputs={"o0": expected_type})
    gate = Gate("signal", name, _duration(timeout, "timeout"), interface, literal_type=literal_type)
    return _node(gate, {})


def approve(upstream_item: Any, name: str, timeout: timedelta | int) -> Any:
    """A gate that passes ``upstream_item`` on once a user approves it under ``name``.

    Raises:
        WorkflowError: CT936 when ``upstream_item`` is not one output of a node (a workflow
            input, a call without outputs, a constant), or for a bad name or timeout.
    """
    name = _name(name)
    wait = _duration(timeout, "timeout")
    building = active_builder() is not None
    if building and (not isinstance(upstream_item, Promise) or upstream_item.node is None):
        what = "a workflow input" if isinstance(upstream_item, Promise) else repr(upstream_item)
        raise _gate_error(
            f"approve() needs one output of a node, got {what}",
            "CT936",
            "approve the result of a task call: approve(t(x=x), 'name', timeout=...) "
            "(flytekit refuses workflow inputs and calls without outputs too)",
            "upstream_item",
        )
    if building:
        var, hint = upstream_item.var, upstream_item.hint
    else:
        var, hint = "o0", Any
    gate = Gate("approve", name, wait, Interface({var: hint}, {var: hint}))
    return _node(gate, {var: upstream_item})
