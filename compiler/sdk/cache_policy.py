"""``CachePolicy`` and ``VersionParameters``: a cache version computed from the task itself.

``Cache(policies=[...])`` without a ``version`` asks each policy for a string (in order, with
the cache's ``salt`` and the task's ``VersionParameters``) and writes the SHA-256 hex digest of
their concatenation as the task's ``discovery_version``, as flytekit 1.16.31 does, so the same
declaration gets the same version under either tool.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, runtime_checkable

from compiler.errors import DefinitionError

__all__ = ["CachePolicy", "VersionParameters", "checked_policies", "policy_version"]

P = ParamSpec("P")
FuncOut = TypeVar("FuncOut")


@dataclass
class VersionParameters(Generic[P, FuncOut]):
    """What a policy may read to compute a version (flytekit's fields and order).

    Args:
        func: The task's function, as decorated (before ``@task`` wraps it).
        container_image: The ``container_image=`` given to ``@task`` (a string, an
            ``ImageSpec`` or ``None``).
        pod_template: The ``pod_template=`` given to ``@task``.
        pod_template_name: The ``pod_template_name=`` given to ``@task``.
    """

    func: Callable[P, FuncOut]
    container_image: Any = None
    pod_template: Any = None
    pod_template_name: str | None = None


@runtime_checkable
class CachePolicy(Protocol):
    """Anything with ``get_version(salt, params) -> str`` (no base class needed)."""

    def get_version(self, salt: str, params: VersionParameters[Any, Any]) -> str:
        """This policy's part of the version of the task ``params.func``."""
        ...


def checked_policies(policies: Any) -> tuple[CachePolicy, ...]:
    """``policies`` (one policy, a list of them or ``None``) as a tuple.

    Raises:
        DefinitionError: CT108 when an item has no ``get_version`` method.
    """
    if policies is None:
        return ()
    if isinstance(policies, CachePolicy):
        return (policies,)
    if isinstance(policies, Sequence) and not isinstance(policies, str):
        bad = [p for p in policies if not isinstance(p, CachePolicy)]
        if not bad:
            return tuple(policies)
        shown = bad[0]
    else:
        shown = policies
    raise DefinitionError(
        f"Cache(policies=...) must be a CachePolicy or a list of them, got {shown!r}",
        code="CT108",
        param="cache",
        param_kind="option",
        hint="give objects with a get_version(self, salt, params) -> str method",
    )


def policy_version(
    policies: tuple[CachePolicy, ...], salt: str, params: VersionParameters[Any, Any]
) -> str:
    """The SHA-256 hex digest of the policies' versions joined in order.

    Raises:
        DefinitionError: CT109 when a policy raises or returns something other than a string;
            the policy's exception is chained, so its own frame is in the traceback.
    """
    parts: list[str] = []
    for policy in policies:
        try:
            part = policy.get_version(salt, params)
        except Exception as exc:
            raise _policy_error(policy, f"raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(part, str):
            raise _policy_error(policy, f"returned {type(part).__name__} {part!r}, not a str")
        parts.append(part)
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def _policy_error(policy: CachePolicy, what: str) -> DefinitionError:
    return DefinitionError(
        f"cache policy {type(policy).__name__} could not compute a version: its get_version {what}",
        code="CT109",
        param="cache",
        param_kind="option",
        hint="fix the policy (it must return a str), or set Cache(version='v1') instead",
    )
