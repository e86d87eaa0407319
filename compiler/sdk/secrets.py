"""``Secret``: a secret the task needs at run time (WIRE-FORMAT 6.3)."""

from __future__ import annotations

import enum
import re

from compiler.errors import DefinitionError
from compiler.records import frozen_record
from compiler.sdk.location import caller_location

__all__ = ["Secret"]

_ENV_VAR = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class _MountType(enum.IntEnum):
    """How the secret reaches the container (``security_pb2.Secret.MountType``)."""

    ANY = 0
    ENV_VAR = 1
    FILE = 2


@frozen_record
class Secret:
    """A secret request: ``Secret(group="db", key="password", mount_requirement=...)``.

    Args:
        group: The secret's group (required).
        key: The key inside the group.
        group_version: The group's version.
        mount_requirement: ``Secret.MountType.ANY`` (default), ``ENV_VAR`` or ``FILE``.
        env_var: The environment variable to expose it as (``^[A-Z_][A-Z0-9_]*$``).

    Raises:
        DefinitionError: CT130 without a group, CT131 for a bad ``env_var``, CT132 for an
            unknown mount requirement.
    """

    MountType = _MountType

    group: str | None = None
    key: str | None = None
    group_version: str | None = None
    mount_requirement: _MountType = _MountType.ANY
    env_var: str | None = None

    def __post_init__(self) -> None:
        try:
            self._validate()
        except DefinitionError as err:
            location, _ = caller_location(self)
            raise err.with_context(location=location) from None

    def _validate(self) -> None:
        if not isinstance(self.group, str) or not self.group:
            raise DefinitionError(
                f"Secret needs a group, got {self.group!r}",
                code="CT130",
                param="group",
                param_kind="secret",
                hint="write Secret(group='db', key='password')",
            )
        if self.env_var is not None and not _ENV_VAR.match(self.env_var):
            raise DefinitionError(
                f"Secret env_var {self.env_var!r} is not a valid environment variable name",
                code="CT131",
                param="env_var",
                param_kind="secret",
                hint="use upper-case letters, digits and '_', not starting with a digit",
            )
        try:
            mount = _MountType(self.mount_requirement)
        except ValueError:
            mount = None
        if mount is None or isinstance(self.mount_requirement, bool):
            raise DefinitionError(
                f"Secret mount_requirement {self.mount_requirement!r} is unknown",
                code="CT132",
                param="mount_requirement",
                param_kind="secret",
                hint="use Secret.MountType.ANY, Secret.MountType.ENV_VAR or Secret.MountType.FILE",
            )
        object.__setattr__(self, "mount_requirement", mount)
