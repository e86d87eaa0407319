"""The parts of a ``TaskTemplate`` that come from a task's hooks.

Each hook is called once; a hook that raises one of our errors, or returns something of the
wrong type, becomes an error in the list the caller collects, so all problems of a task are
reported together.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from typing import Any

from flyteidl.core import tasks_pb2
from google.protobuf import struct_pb2
from google.protobuf.message import Message

from compiler.errors import CompileTasksError, SerializationError
from compiler.memo import cached
from compiler.sdk import PythonAutoContainerTask
from compiler.serialize.wire import field_key, length_delimited, split_before_field
from compiler.settings import SerializationSettings

__all__ = ["apply_targets", "container_only_bytes", "to_struct"]

#: hook name -> (TaskTemplate field, expected message type)
_MESSAGE_HOOKS: tuple[tuple[str, str, type[Message]], ...] = (
    ("get_container", "container", tasks_pb2.Container),
    ("get_k8s_pod", "k8s_pod", tasks_pb2.K8sPod),
    ("get_sql", "sql", tasks_pb2.Sql),
    ("get_extended_resources", "extended_resources", tasks_pb2.ExtendedResources),
)


def _hook_type_error(hook: str, expected: str, value: Any) -> SerializationError:
    return SerializationError(
        f"{hook}() returned {type(value).__name__}, expected {expected} or None",
        code="CT310",
        param=hook,
        param_kind="hook",
        hint=f"return a {expected} from {hook}() (or None when the task has no such part)",
    )


def _check_json(value: Any, path: str) -> None:
    """Raise ``TypeError`` naming ``path`` when ``value`` cannot be a Struct value."""
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise TypeError(f"{path} is {value!r}, which JSON cannot hold")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path} has a non-string key {key!r}")
            _check_json(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{path}[{index}]")
        return
    raise TypeError(f"{path} is a {type(value).__name__}, which JSON cannot hold")


def to_struct(data: Mapping[str, Any]) -> struct_pb2.Struct:
    """A Struct of a JSON-like dict (every number becomes a double, as on the wire).

    Raises:
        TypeError: When a value is not JSON-like; the message names its path.
    """
    _check_json(data, "custom")
    struct = struct_pb2.Struct()
    struct.update(data)
    return struct


def _apply_custom(template: tasks_pb2.TaskTemplate, custom: Any) -> None:
    if not isinstance(custom, Mapping):
        raise _hook_type_error("get_custom", "dict", custom)
    if not custom:
        return
    try:
        template.custom.CopyFrom(to_struct(custom))
    except TypeError as exc:
        raise SerializationError(
            f"get_custom() returned a value that is not JSON: {exc}",
            code="CT311",
            param="get_custom",
            param_kind="hook",
            hint="return only str, int, float, bool, None, lists and dicts with str keys",
        ) from None


def _apply_config(template: tasks_pb2.TaskTemplate, config: Any) -> None:
    if not isinstance(config, Mapping):
        raise _hook_type_error("get_config", "dict[str, str]", config)
    bad = [(k, v) for k, v in config.items() if not isinstance(k, str) or not isinstance(v, str)]
    if bad:
        key, value = bad[0]
        raise SerializationError(
            f"get_config() entry {key!r}: {value!r} is not a string pair",
            code="CT312",
            param="get_config",
            param_kind="hook",
            hint="TaskTemplate.config is a map of strings; convert the values with str()",
        )
    for key in sorted(config):
        template.config[key] = config[key]


def _apply_message(
    template: tasks_pb2.TaskTemplate, field: str, expected: type[Message], value: Any, hook: str
) -> None:
    if not isinstance(value, expected):
        raise _hook_type_error(hook, expected.__name__, value)
    if field == "extended_resources" and value.ByteSize() == 0:
        return  # absent when empty (WIRE-FORMAT 16)
    getattr(template, field).CopyFrom(value)


def _several_targets(hooks: list[str]) -> SerializationError:
    return SerializationError(
        f"the task has several targets ({', '.join(f'{h}()' for h in hooks)}); "
        "a TaskTemplate holds one",
        code="CT313",
        param=hooks[-1],
        param_kind="hook",
        hint="return None from all target hooks but one (container, k8s_pod or sql)",
    )


#: Every hook :func:`apply_targets` calls.
_HOOKS = (*(hook for hook, _, _ in _MESSAGE_HOOKS), "get_custom", "get_config")
_class_hooks = operator.attrgetter(*_HOOKS)
_PLAIN_HOOKS = _class_hooks(PythonAutoContainerTask)


def _container_only(task: Any) -> bool:
    """The task's hooks are those of ``PythonAutoContainerTask`` (on its class, none set on
    the object) and its options leave it a plain container: no pod template, accelerator or
    shared memory. Its only part is then the container, and no hook can fail but that one."""
    return (
        isinstance(task, PythonAutoContainerTask)
        and _class_hooks(type(task)) == _PLAIN_HOOKS
        and task.__dict__.keys().isdisjoint(_HOOKS)
        and task.pod_template is None
        and task.accelerator is None
        and not task.shared_memory
    )


def _apply_container(
    template: tasks_pb2.TaskTemplate,
    task: PythonAutoContainerTask[Any],
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    """What the hooks write for a :func:`_container_only` task, without copying a message:
    the container's memoised bytes are merged into the template, then its args added."""
    try:
        data, args = task.container_parts(settings)
    except CompileTasksError as err:
        errors.append(err)
        return
    container = template.container
    container.SetInParent()  # set even when empty, as the hook's message is copied
    container.MergeFromString(data)
    container.args.extend(args)


#: ``Container.args``: a task's args follow the image (and any args of the memoised bytes)
#: and come before the resources and the env.
_ARGS_FIELD = tasks_pb2.Container.ARGS_FIELD_NUMBER
_ARG_KEY = field_key(_ARGS_FIELD)


@cached("serialize.container_around_args", maxsize=1024)
def _around_args(data: bytes) -> tuple[bytes, bytes]:
    """A container's memoised bytes cut where appended args go (tasks share a few)."""
    return split_before_field(data, _ARGS_FIELD + 1)


@cached("serialize.container_arg_field", maxsize=4096)
def _arg_field(arg: str) -> bytes:
    """The ``Container.args`` field of one arg, as the message path writes it. Memoised: most
    args (the entrypoint, Flyte's flags, the resolver, a module's name) are the same for every
    task of a compile, so a task writes little more than its own name afresh. A str subclass
    is written as the str it equals (as protobuf stores it); an arg that is no string raises
    ``TypeError``."""
    return length_delimited(_ARG_KEY, str.encode(arg))


def container_only_bytes(task: Any, settings: SerializationSettings) -> bytes | None:
    """The wire bytes of the ``Container`` that :func:`apply_targets` writes for a task whose
    only part is its container (``None`` for any other task).

    The message path merges the container's memoised bytes and appends the args; here the args
    are written between the fields before them and those after, which gives the same bytes.

    Raises:
        CompileTasksError: The container's problem (an image that is not configured, ...).
        TypeError, UnicodeEncodeError: An arg that is not a string, or one that UTF-8 cannot
            encode (the message path reports either as it always has).
    """
    if not _container_only(task):
        return None
    data, args = task.container_parts(settings)
    head, tail = _around_args(data)
    return b"".join([head, *map(_arg_field, args), tail])


def apply_targets(
    template: tasks_pb2.TaskTemplate,
    task: Any,
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    """Fill target, custom, config and extended resources from the task's hooks."""
    if _container_only(task):
        _apply_container(template, task, settings, errors)
        return
    targets: list[str] = []
    for hook, field, expected in _MESSAGE_HOOKS:
        try:
            value = getattr(task, hook)(settings)
            if value is not None:
                _apply_message(template, field, expected, value, hook)
                if field != "extended_resources":
                    targets.append(hook)
        except CompileTasksError as err:
            errors.append(err)
    if len(targets) > 1:  # container, k8s_pod and sql share a oneof: the last would win
        errors.append(_several_targets(targets))
    for hook, apply in (("get_custom", _apply_custom), ("get_config", _apply_config)):
        try:
            value = getattr(task, hook)(settings)
            if value is not None:
                apply(template, value)
        except CompileTasksError as err:
            errors.append(err)
