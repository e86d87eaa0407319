"""Run a workflow locally: nodes in call order (a dependency order), values via the engine.

Each node calls its entity as a plain call (a task's ``local_execute``, with its local cache;
a sub-workflow recursively), so every value crosses the type engine as it would on a cluster.
"""

from __future__ import annotations

import collections
import inspect
from collections.abc import Mapping
from typing import Any

from compiler.context import run_awaitable
from compiler.errors import CompileTasksError, ExecutionError
from compiler.types import default_engine
from compiler.workflow.condition import evaluate
from compiler.workflow.promise import Promise

__all__ = ["run_nodes", "run_workflow"]


def _error(workflow: Any, message: str, param: str | None, hint: str, code: str) -> ExecutionError:
    return ExecutionError(
        message, code=code, task=workflow.name, param=param, location=workflow.location, hint=hint
    )


def _inputs(workflow: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    interface = workflow.python_interface
    names = list(interface.inputs)
    if len(args) > len(names):
        raise _error(workflow, "too many positional values", None, "pass inputs by name", "CT190")
    given = dict(zip(names, args, strict=False))
    for name, value in kwargs.items():
        if name not in interface.inputs:
            raise _error(workflow, "unknown input", name, f"the inputs are: {names}", "CT190")
        if name in given:
            raise _error(workflow, "given twice", name, "pass it once", "CT190")
        given[name] = value
    values = {**interface.defaults, **given}
    engine = default_engine()
    native = {}
    for name, hint in interface.inputs.items():
        if name not in values:
            raise _error(workflow, "missing input", name, f"pass {name}=...", "CT190")
        try:
            native[name] = engine.to_python(engine.to_literal(values[name], hint), hint)
        except CompileTasksError as err:
            raise _error(
                workflow, err.message, name, err.hint or "check the type", "CT191"
            ) from err
    return native


def _narrow(value: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        if isinstance(value, Mapping) or not isinstance(key, str):
            value = value[key]
        else:
            value = getattr(value, key)
    return value


def _resolve(value: Any, inputs: dict[str, Any], results: dict[Any, dict[str, Any]]) -> Any:
    if isinstance(value, Promise):
        source = inputs if value.node is None else results[value.node]
        return _narrow(source[value.var], value.attr_path)
    if isinstance(value, list | tuple):
        return type(value)(_resolve(item, inputs, results) for item in value)
    if isinstance(value, Mapping):
        return {key: _resolve(item, inputs, results) for key, item in value.items()}
    return value


def _as_outputs(entity: Any, result: Any) -> dict[str, Any]:
    names = list(entity.python_interface.outputs)
    if not names:
        return {}
    if len(names) == 1 and not entity.python_interface.output_tuple_name:
        return {names[0]: result}
    return dict(zip(names, result, strict=True))


def _run_node(
    workflow: Any, node: Any, inputs: dict[str, Any], results: dict[Any, dict[str, Any]]
) -> None:
    """Run one node (a branch node runs the node of its first case that holds)."""
    cases = getattr(node, "cases", None)
    if cases is None:
        call = {name: _resolve(value, inputs, results) for name, value in node.values.items()}
        value = node.entity(**call)
        if inspect.isawaitable(value):  # an eager workflow (the node of its own workflow)
            value = run_awaitable(value)
        results[node] = _as_outputs(node.entity, value)
        return
    for case in cases:
        if case.expr is not None and not evaluate(
            case.expr, lambda p: _resolve(p, inputs, results)
        ):
            continue
        if case.error is not None:
            raise ExecutionError(
                f"conditional {node.name!r} failed: {case.error}",
                code="CT915",
                task=workflow.name,
                location=node.location,
                hint="the inputs took the case that ends in fail(...)",
            )
        _run_node(workflow, case.node, inputs, results)
        results[node] = results[case.node]
        return


def run_workflow(workflow: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run ``workflow`` with Python values; return its outputs as a task call would.

    Raises:
        ExecutionError: CT190 for missing/unknown inputs, CT191/CT193 for values that do not
            convert, and whatever a node's task raises (after the failure node ran, if any).
    """
    inputs = _inputs(workflow, args, kwargs)
    results: dict[Any, dict[str, Any]] = {}
    try:
        for node in workflow.nodes:
            _run_node(workflow, node, inputs, results)
    except Exception:
        failure = getattr(workflow, "failure_node", None)
        if failure is not None:
            _run_node(workflow, failure, inputs, {})
        raise
    interface = workflow.python_interface
    if not interface.outputs:
        return None
    returned = workflow._output_values
    values = (returned,) if len(interface.outputs) == 1 else tuple(returned)
    engine = default_engine()
    native = []
    for (name, hint), value in zip(interface.outputs.items(), values, strict=True):
        resolved = _resolve(value, inputs, results)
        try:
            native.append(engine.to_python(engine.to_literal(resolved, hint), hint))
        except CompileTasksError as err:
            raise _error(
                workflow, err.message, name, err.hint or "check the type", "CT193"
            ) from err
    if interface.output_tuple_name:
        cls = collections.namedtuple(interface.output_tuple_name, list(interface.outputs))  # type: ignore[misc]
        return cls(*native)
    return native[0] if len(native) == 1 else tuple(native)


def run_nodes(owner: Any, nodes: list[Any], returned: Any) -> Any:
    """Run ``nodes`` in order (they read no workflow inputs); ``returned`` with its promises
    replaced by the values the nodes produced. ``owner`` names the runner in errors."""
    results: dict[Any, dict[str, Any]] = {}
    for node in nodes:
        _run_node(owner, node, {}, results)
    return _resolve(returned, {}, results)
