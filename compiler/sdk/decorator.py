"""``@task``: turn a function into a :class:`PythonFunctionTask` (flytekit's keyword names)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar, overload

from compiler.accelerators import BaseAccelerator
from compiler.errors import DefinitionError
from compiler.sdk.base import Documentation
from compiler.sdk.function_task import PythonFunctionTask
from compiler.sdk.image_spec import ImageSpec
from compiler.sdk.location import definition_context, function_location
from compiler.sdk.metadata import Cache, TaskMetadata, check_string_map, resolve_cache
from compiler.sdk.plugins import task_plugins
from compiler.sdk.pod_template import PodTemplate
from compiler.sdk.resolver import TaskResolverMixin
from compiler.sdk.resources import Resources
from compiler.sdk.secrets import Secret

__all__ = ["bind_task_options", "function_task_decorator", "task"]

F = TypeVar("F", bound=Callable[..., Any])


def _update_wrapper(task_obj: Any, fn: Callable[..., Any]) -> None:
    """``functools.update_wrapper(task_obj, fn)``.

    When ``fn`` has no attributes of its own (the usual case) its ``__dict__`` update is a
    no-op, so it is skipped: asking for ``task_obj.__dict__`` would build a dict per task that
    attribute access does not otherwise need.
    """
    if getattr(fn, "__dict__", None):
        functools.update_wrapper(task_obj, fn)
        return
    for attr in functools.WRAPPER_ASSIGNMENTS:
        try:
            value = getattr(fn, attr)
        except AttributeError:
            continue
        setattr(task_obj, attr, value)
    task_obj.__wrapped__ = fn


@overload
def task(_task_function: F) -> PythonFunctionTask[Any]: ...


@overload
def task(_task_function: None = None, **options: Any) -> Callable[[F], PythonFunctionTask[Any]]: ...


def task(
    _task_function: Callable[..., Any] | None = None,
    *,
    task_config: Any = None,
    cache: bool | Cache = False,
    cache_serialize: bool = False,
    cache_version: str = "",
    cache_ignore_input_vars: Sequence[str] = (),
    retries: int = 0,
    interruptible: bool | None = None,
    deprecated: str = "",
    timeout: timedelta | int | None = None,
    container_image: str | ImageSpec | None = None,
    environment: Mapping[str, str] | None = None,
    requests: Resources | None = None,
    limits: Resources | None = None,
    resources: Resources | None = None,
    secret_requests: Sequence[Secret] | None = None,
    task_resolver: TaskResolverMixin | None = None,
    docs: Documentation | None = None,
    disable_deck: bool | None = None,
    enable_deck: bool | None = None,
    pod_template: PodTemplate | None = None,
    pod_template_name: str | None = None,
    accelerator: BaseAccelerator | None = None,
    shared_memory: bool | str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
) -> Any:
    """Declare a task: ``@task`` or ``@task(retries=3, requests=Resources(cpu="2"))``.

    Options are validated here (CT1xx errors carry the ``def`` line and the task name); the
    function's docstring is parsed only when a description is first needed.

    Args:
        _task_function: The function when used bare (``@task``).
        task_config: Plugin configuration; its type selects a registered task plugin.
        cache: ``True`` (with ``cache_version``) or a :class:`Cache`.
        cache_serialize: Deprecated form of ``Cache(serialize=...)``.
        cache_version: Deprecated form of ``Cache(version=...)``.
        cache_ignore_input_vars: Deprecated form of ``Cache(ignored_inputs=...)``.
        retries: Number of retries.
        interruptible: May run on preemptible nodes.
        deprecated: Deprecation message.
        timeout: ``int`` seconds or ``timedelta``.
        container_image: Image or ``{{.image.NAME...}}`` template.
        environment: Container environment variables.
        requests: Resource requests.
        limits: Resource limits.
        resources: Requests and limits in one object.
        secret_requests: Secrets the task needs.
        task_resolver: A custom resolver.
        docs: Documentation used where the docstring says nothing.
        disable_deck: Deprecated inverse of ``enable_deck``.
        enable_deck: The task writes a deck.
        pod_template: Run in a pod built from this template.
        pod_template_name: Name of a cluster-side PodTemplate.
        accelerator: A constant from :mod:`compiler.accelerators`.
        shared_memory: ``True`` or a size for ``/dev/shm``.
        labels: Kubernetes labels (``metadata.metadata.labels``).
        annotations: Kubernetes annotations.
    """
    options = dict(locals())  # every keyword option, by name (read before any other local)
    del options["_task_function"]
    return function_task_decorator(PythonFunctionTask, _task_function, options)


def bind_task_options(decorator: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` checked against ``@task``'s keyword options, with every default filled in.

    Raises:
        DefinitionError: CT940 for an option ``@task`` does not have.
    """
    try:
        bound = _TASK_SIGNATURE.bind(**given)
    except TypeError:
        unknown = sorted(set(given) - set(_TASK_SIGNATURE.parameters))
        raise DefinitionError(
            f"@{decorator} has no option {(unknown or list(given))[0]!r}",
            code="CT940",
            hint=f"@{decorator} takes the options of @task: "
            + ", ".join(p for p in _TASK_SIGNATURE.parameters if not p.startswith("_")),
        ) from None
    bound.apply_defaults()
    options = dict(bound.arguments)
    del options["_task_function"]
    return options


def function_task_decorator(
    task_class: type[PythonFunctionTask[Any]],
    _task_function: Callable[..., Any] | None,
    options: Mapping[str, Any],
) -> Any:
    """The decorator ``@task`` builds, making ``task_class`` objects (``@dynamic`` shares it).

    Args:
        task_class: The class made when no plugin ``task_config`` is given.
        _task_function: The function when used bare.
        options: Every keyword option of ``@task``, by name.
    """
    task_config = options["task_config"]
    given_options = dict(
        task_config=task_config,
        container_image=options["container_image"],
        environment=options["environment"],
        requests=options["requests"],
        limits=options["limits"],
        resources=options["resources"],
        secret_requests=options["secret_requests"],
        task_resolver=options["task_resolver"],
        docs=options["docs"],
        pod_template=options["pod_template"],
        accelerator=options["accelerator"],
        shared_memory=options["shared_memory"],
    )
    enable_deck, disable_deck = options["enable_deck"], options["disable_deck"]
    deck = bool(enable_deck) if enable_deck is not None else disable_deck is False

    def wrapper(fn: Callable[..., Any]) -> PythonFunctionTask[Any]:
        code = getattr(fn, "__code__", None)
        # A non-function (``task()(42)``) has no task name; the error then names none.
        name = f"{fn.__module__}.{fn.__name__}" if code is not None else None
        with definition_context(name, lambda: function_location(code) if code else None):
            params = None
            if isinstance(options["cache"], Cache):
                from compiler.sdk.cache_policy import VersionParameters

                params = VersionParameters(
                    fn,
                    options["container_image"],
                    options["pod_template"],
                    options["pod_template_name"],
                )
            flags = resolve_cache(
                options["cache"],
                options["cache_serialize"],
                options["cache_version"],
                options["cache_ignore_input_vars"],
                params,
            )
            metadata = TaskMetadata(
                cache=flags[0],
                cache_serialize=flags[1],
                cache_version=flags[2],
                cache_ignore_input_vars=flags[3],
                retries=options["retries"],
                interruptible=options["interruptible"],
                deprecated=options["deprecated"],
                timeout=options["timeout"],
                pod_template_name=options["pod_template_name"],
                generates_deck=deck,
                labels=check_string_map(options["labels"], "labels"),
                annotations=check_string_map(options["annotations"], "annotations"),
            )
            if not callable(fn):
                raise DefinitionError(
                    f"@task needs a function, got {fn!r}", code="CT107", hint="decorate a def"
                )
        plugin = task_plugins.find(type(task_config))
        if plugin is PythonFunctionTask:
            # Its constructors default every option to None, so leaving out the ones that are
            # None is the same call; binding a dozen keywords at each of the four ``__init__``
            # levels was a noticeable share of defining a task. Plugins get every keyword.
            given = {key: value for key, value in given_options.items() if value is not None}
            given["task_config"] = task_config  # a required parameter, even when None
            if task_class is PythonFunctionTask:
                task_obj = PythonFunctionTask.declared(fn, metadata, given)
            else:  # ``@dynamic``'s, or a subclass's: their constructors may do more
                task_obj = task_class(metadata=metadata, task_function=fn, **given)
        else:
            task_obj = plugin(metadata=metadata, task_function=fn, **given_options)
        _update_wrapper(task_obj, fn)
        return task_obj

    if _task_function is not None:
        return wrapper(_task_function)
    return wrapper


_TASK_SIGNATURE = inspect.signature(task)
