"""``Cache`` and ``TaskMetadata``: caching, retries, timeout, ... validated at construction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from compiler.errors import DefinitionError
from compiler.proto import MetadataSpec, scalar_metadata_bytes, task_metadata_bytes
from compiler.records import frozen_record

if TYPE_CHECKING:
    from compiler.sdk.cache_policy import VersionParameters

__all__ = ["Cache", "TaskMetadata", "check_string_map", "resolve_cache"]


def _option_error(message: str, code: str, option: str, hint: str) -> DefinitionError:
    return DefinitionError(message, code=code, hint=hint, param=option, param_kind="option")


def _ignored_tuple(value: str | Sequence[str], option: str) -> tuple[str, ...]:
    """A str names one input; otherwise a sequence of names."""
    if type(value) is tuple and not value:
        return ()  # the default, and what every call but the first sees
    if isinstance(value, str):
        return (value,) if value else ()
    names = tuple(value)
    if not all(isinstance(n, str) for n in names):
        raise _option_error(
            f"{option} must hold input names (strings), got {names!r}",
            "CT116",
            option,
            "write the input names as strings, e.g. ('trace_id', 'verbose')",
        )
    return names


def check_string_map(
    value: Mapping[str, str] | None,
    option: str,
    *,
    code: str = "CT117",
    example: str = "'KEY': '1'",
) -> dict[str, str]:
    """A copy of ``value`` after checking it maps strings to strings (``None``: empty).

    Raises:
        DefinitionError: ``code`` (CT117 for task options) otherwise.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise DefinitionError(
            f"{option} must map strings to strings, got {value!r}",
            code=code,
            param=option,
            param_kind="option",
            hint=f"quote the values, e.g. {option}={{{example}}}",
        )
    return dict(value)


_TYPE_NAMES = {bool: "True or False", str: "a string", type(None): "None"}


def _check_type(value: Any, allowed: tuple[type, ...], option: str) -> None:
    """CT119 unless ``value`` is an instance of one of ``allowed``."""
    if not isinstance(value, allowed):
        names = [_TYPE_NAMES.get(t, t.__name__) for t in allowed]
        wanted = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        raise _option_error(
            f"{option} must be {wanted}, got {type(value).__name__} {value!r}",
            "CT119",
            option,
            f"pass {option}= as {wanted}",
        )


@frozen_record
class Cache:
    """Caching options in one object: ``@task(cache=Cache(version="v3", serialize=True))``.

    Args:
        version: The cache version; bump it to invalidate earlier results. Required unless
            ``policies`` compute it.
        serialize: Run identical concurrent executions once.
        ignored_inputs: Input names (or one name) left out of the cache key.
        salt: Passed to every policy's ``get_version``.
        policies: One ``CachePolicy`` or a list of them; without a ``version`` the task's
            version is the SHA-256 of their versions joined (flytekit's rule).
    """

    version: str | None = None
    serialize: bool = False
    ignored_inputs: tuple[str, ...] | str = ()
    salt: str = ""
    policies: Any = None

    def __post_init__(self) -> None:
        _check_type(self.version, (str, type(None)), "version")
        _check_type(self.serialize, (bool,), "serialize")
        _check_type(self.salt, (str,), "salt")
        policies: tuple[Any, ...] = ()
        if self.policies is not None:  # the policy module is loaded only when policies are used
            from compiler.sdk.cache_policy import checked_policies

            policies = checked_policies(self.policies)
            # kept as a tuple: a Cache stays hashable (a list of policies would not be)
            if isinstance(self.policies, list):
                object.__setattr__(self, "policies", policies)
        object.__setattr__(self, "_policies", policies)
        if not self.version and not self._policies:
            raise _option_error(
                "Cache() needs a version or at least one cache policy",
                "CT110",
                "cache",
                "write Cache(version='v1') and bump the version when the task's output changes, "
                "or Cache(policies=[...])",
            )
        object.__setattr__(self, "ignored_inputs", _ignored_tuple(self.ignored_inputs, "cache"))

    def get_ignored_inputs(self) -> tuple[str, ...]:
        """The input names left out of the cache key."""
        return self.ignored_inputs  # type: ignore[return-value]  # a tuple after __post_init__

    def get_version(self, params: VersionParameters[Any, Any]) -> str:
        """``version`` when given, else the digest of the policies' versions (CT109 on failure)."""
        if self.version:
            return self.version
        from compiler.sdk.cache_policy import policy_version

        return policy_version(self._policies, self.salt, params)  # type: ignore[attr-defined]


def _timeout(value: Any) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return timedelta(seconds=value)
    raise _option_error(
        f"timeout must be an int (seconds) or a datetime.timedelta, got {value!r}",
        "CT113",
        "timeout",
        "write timeout=900 or timeout=timedelta(minutes=15)",
    )


@dataclass
class TaskMetadata:
    """Options that end up in ``TaskTemplate.metadata`` (WIRE-FORMAT 5).

    Args:
        cache: Cache outputs of identical calls (needs ``cache_version``).
        cache_serialize: Run identical concurrent executions once (needs ``cache``).
        cache_version: Cache version (needed by ``cache``).
        cache_ignore_input_vars: Inputs left out of the cache key (needs ``cache``).
        interruptible: May run on preemptible nodes; ``None`` leaves it to the platform.
        deprecated: A deprecation message shown to callers.
        retries: Number of retries, ``>= 0``.
        timeout: Maximum run time: ``int`` seconds or ``timedelta``; normalised to a
            ``timedelta`` (or ``None``).
        pod_template_name: Name of a cluster-side PodTemplate.
        generates_deck: The task writes a Flyte deck.
        labels: Kubernetes labels of the task's pods.
        annotations: Kubernetes annotations of the task's pods.

    Raises:
        DefinitionError: CT110 cache without version, CT111 serialize without cache, CT112
            ignored inputs without cache, CT113 bad timeout, CT114 bad retries, CT119 an option
            of the wrong type.
    """

    cache: bool = False
    cache_serialize: bool = False
    cache_version: str = ""
    cache_ignore_input_vars: tuple[str, ...] = ()
    interruptible: bool | None = None
    deprecated: str = ""
    retries: int = 0
    timeout: timedelta | int | None = None
    pod_template_name: str | None = None
    generates_deck: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self._has_exact_types():
            for option, allowed in _FIELD_TYPES.items():
                _check_type(getattr(self, option), allowed, option)
        self.timeout = _timeout(self.timeout)
        self.cache_ignore_input_vars = _ignored_tuple(
            self.cache_ignore_input_vars, "cache_ignore_input_vars"
        )
        self._check_cache()
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise _option_error(
                f"retries must be a non-negative int, got {self.retries!r}",
                "CT114",
                "retries",
                "write retries=3 (or leave it out for no retries)",
            )

    def _has_exact_types(self) -> bool:
        """The usual case, checked at a fraction of the cost of the CT119 loop: every option of
        ``_FIELD_TYPES`` has exactly an allowed type (so the loop would pass)."""
        return (
            type(self.cache) is bool
            and type(self.cache_serialize) is bool
            and type(self.cache_version) is str
            and (self.interruptible is None or type(self.interruptible) is bool)
            and (self.deprecated is None or type(self.deprecated) is str)
            and (self.pod_template_name is None or type(self.pod_template_name) is str)
            and type(self.generates_deck) is bool
        )

    def _check_cache(self) -> None:
        if self.cache and not self.cache_version:
            raise _option_error(
                "caching is enabled (cache=True) but no cache_version is set",
                "CT110",
                "cache_version",
                "add cache_version='v1' or use cache=Cache(version='v1')",
            )
        if self.cache_serialize and not self.cache:
            raise _option_error(
                "cache_serialize=True needs cache=True",
                "CT111",
                "cache_serialize",
                "enable caching (cache=True, cache_version=...) or drop cache_serialize",
            )
        if self.cache_ignore_input_vars and not self.cache:
            raise _option_error(
                "cache_ignore_input_vars is set but caching is not enabled",
                "CT112",
                "cache_ignore_input_vars",
                "enable caching (cache=True, cache_version=...) or drop cache_ignore_input_vars",
            )

    def to_spec(self) -> MetadataSpec:
        """The plain values the metadata builder writes."""
        return MetadataSpec(**self._spec_fields())

    def wire_bytes(self) -> bytes:
        """The bytes of ``build_task_metadata(self.to_spec())``, written without a spec or a
        message (serialization merges them into the template).

        Most tasks have no labels, annotations or ignored inputs: their nine scalar options
        are looked up as they are now (read at every call, since the options may change after
        definition), without building the spec's keyword arguments.
        """
        if type(self) is TaskMetadata and not (
            self.cache_ignore_input_vars or self.labels or self.annotations
        ):
            return scalar_metadata_bytes(  # the spec's scalar fields, in its field order
                self.cache,
                self.cache_version,
                self.cache_serialize,
                self.retries,
                self.timeout,  # normalised in __post_init__
                self.interruptible,
                self.deprecated or "",
                self.generates_deck,
                self.pod_template_name or "",
            )
        return task_metadata_bytes(**self._spec_fields())

    def _spec_fields(self) -> dict[str, Any]:
        """The spec's fields: what :meth:`to_spec` builds and :meth:`wire_bytes` writes."""
        return {
            "cache": self.cache,
            "cache_version": self.cache_version,
            "cache_serialize": self.cache_serialize,
            "cache_ignore_input_vars": self.cache_ignore_input_vars,
            "retries": self.retries,
            "timeout": self.timeout,  # normalised in __post_init__
            "interruptible": self.interruptible,
            "deprecated": self.deprecated or "",
            "generates_deck": self.generates_deck,
            "pod_template_name": self.pod_template_name or "",
            "labels": self.labels or {},  # the spec keeps read-only copies
            "annotations": self.annotations or {},
        }


#: Options checked for their type when ``TaskMetadata`` is built (CT119).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "cache": (bool,),
    "cache_serialize": (bool,),
    "cache_version": (str,),
    "interruptible": (bool, type(None)),
    "deprecated": (str, type(None)),
    "pod_template_name": (str, type(None)),
    "generates_deck": (bool,),
}


def resolve_cache(
    cache: bool | Cache,
    cache_serialize: bool,
    cache_version: str,
    cache_ignore_input_vars: Sequence[str],
    params: VersionParameters[Any, Any] | None = None,
) -> tuple[bool, bool, str, tuple[str, ...]]:
    """Fold a ``Cache`` object into the flat keywords ``TaskMetadata`` takes.

    ``params`` (the task's function and image) is what a ``Cache``'s policies read; without it
    a ``Cache`` must have a ``version``.

    Raises:
        DefinitionError: CT115 when a ``Cache`` object is combined with the deprecated
            ``cache_serialize`` / ``cache_version`` / ``cache_ignore_input_vars`` keywords, CT116
            when ``cache`` is neither a bool nor a ``Cache``.
    """
    if isinstance(cache, Cache):
        if cache_serialize or cache_version or tuple(cache_ignore_input_vars):
            raise _option_error(
                "cache=Cache(...) cannot be combined with cache_serialize, cache_version or "
                "cache_ignore_input_vars",
                "CT115",
                "cache",
                "move those settings into Cache(version=..., serialize=..., ignored_inputs=...)",
            )
        if params is None and not cache.version:
            raise _option_error(
                "this Cache has policies but no version, and there is no function to apply them to",
                "CT110",
                "cache",
                "write Cache(version='v1', ...)",
            )
        version = cache.get_version(params) if params is not None else cache.version
        return True, cache.serialize, version or "", tuple(cache.ignored_inputs)
    if not isinstance(cache, bool):
        raise _option_error(
            f"cache must be True, False or a Cache(...), got {cache!r}",
            "CT116",
            "cache",
            "write cache=True with cache_version=..., or cache=Cache(version=...)",
        )
    return cache, cache_serialize, cache_version, _ignored_tuple(cache_ignore_input_vars, "cache")
