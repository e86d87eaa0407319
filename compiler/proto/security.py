"""Secrets -> ``TaskTemplate.security_context`` (WIRE-FORMAT 6.3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from flyteidl.core import security_pb2

__all__ = ["SecretSpec", "build_security_context"]


class SecretSpec(Protocol):
    """What the builder reads from a secret request (``compiler.sdk.Secret`` has these)."""

    group: str
    key: str | None
    group_version: str | None
    mount_requirement: int
    env_var: str | None


def build_security_context(
    secrets: Sequence[SecretSpec],
) -> security_pb2.SecurityContext | None:
    """The security context listing ``secrets`` in the given order; ``None`` without any."""
    if not secrets:
        return None
    ctx = security_pb2.SecurityContext()
    for s in secrets:
        ctx.secrets.add(
            group=s.group,
            key=s.key or "",
            group_version=s.group_version or "",
            mount_requirement=int(s.mount_requirement),
            env_var=s.env_var or "",
        )
    return ctx
