"""The option objects a launch plan takes, with flytekit's names and fields.

``Labels``, ``Annotations``, ``AuthRole`` and ``RawOutputDataConfig`` (flytekit's
``models.common``), ``SecurityContext``, ``Identity`` and ``OAuth2Client`` (``models.security``),
``ConcurrencyPolicy`` and ``ConcurrencyLimitBehavior`` (``models.concurrency``) and ``Options``.
Each is a frozen value (launch plans compare them to detect a second ``get_or_create`` with
other options) and knows its ``flyteidl`` message.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flyteidl.admin import common_pb2, launch_plan_pb2
from flyteidl.core import security_pb2
from google.protobuf.message import Message

from compiler.errors import LaunchPlanError
from compiler.proto import build_security_context
from compiler.records import frozen_record
from compiler.sdk import Secret

__all__ = [
    "Annotations",
    "AuthRole",
    "ConcurrencyLimitBehavior",
    "ConcurrencyPolicy",
    "Identity",
    "Labels",
    "OAuth2Client",
    "Options",
    "RawOutputDataConfig",
    "SecurityContext",
]


def _option_error(message: str, param: str, hint: str) -> LaunchPlanError:
    return LaunchPlanError(message, code="CT959", param=param, param_kind="option", hint=hint)


def _string_map(values: Any, what: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(values, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in values.items()
    ):
        raise _option_error(
            f"{what} must map strings to strings, got {values!r}",
            what,
            f"write {what}={{'team': 'data'}}",
        )
    return tuple(sorted(values.items()))


@dataclass(frozen=True, init=False)
class _StringMap:
    """A str -> str mapping kept sorted and immutable (labels, annotations)."""

    items: tuple[tuple[str, str], ...]
    #: The launch plan option it is given as (named in errors).
    _option: ClassVar[str]
    #: Its ``flyteidl.admin`` message.
    _message: ClassVar[type[Message]]

    def __init__(self, values: Mapping[str, str]) -> None:
        object.__setattr__(self, "items", _string_map(values, self._option))

    @property
    def values(self) -> dict[str, str]:
        """The mapping as a dict."""
        return dict(self.items)

    def to_proto(self) -> Message:
        """``{values: {...}}``."""
        return self._message(values=dict(self.items))


class Labels(_StringMap):
    """Kubernetes labels of the executions a launch plan starts."""

    _option = "labels"
    _message = common_pb2.Labels


class Annotations(_StringMap):
    """Kubernetes annotations of the executions a launch plan starts."""

    _option = "annotations"
    _message = common_pb2.Annotations


@frozen_record
class AuthRole:
    """The deprecated way to say who runs an execution: becomes ``SecurityContext.run_as``."""

    assumable_iam_role: str | None = None
    kubernetes_service_account: str | None = None


@frozen_record
class RawOutputDataConfig:
    """Where the executions write their raw (offloaded) data."""

    output_location_prefix: str = ""

    def to_proto(self) -> common_pb2.RawOutputDataConfig:
        """``{output_location_prefix}``."""
        return common_pb2.RawOutputDataConfig(output_location_prefix=self.output_location_prefix)


@frozen_record
class OAuth2Client:
    """An OAuth2 client id and the secret holding its client secret."""

    client_id: str
    client_secret: Secret

    def to_proto(self) -> security_pb2.OAuth2Client:
        """``{client_id, client_secret: Secret}``."""
        context = build_security_context([self.client_secret])
        assert context is not None
        return security_pb2.OAuth2Client(client_id=self.client_id, client_secret=context.secrets[0])


@frozen_record
class Identity:
    """Who an execution runs as."""

    iam_role: str | None = None
    k8s_service_account: str | None = None
    oauth2_client: OAuth2Client | None = None
    execution_identity: str | None = None

    def to_proto(self) -> security_pb2.Identity:
        """Only the fields given (empty strings are left out, as flytekit does)."""
        message = security_pb2.Identity()
        if self.iam_role:
            message.iam_role = self.iam_role
        if self.k8s_service_account:
            message.k8s_service_account = self.k8s_service_account
        if self.oauth2_client is not None:
            message.oauth2_client.CopyFrom(self.oauth2_client.to_proto())
        if self.execution_identity:
            message.execution_identity = self.execution_identity
        return message


@frozen_record
class SecurityContext:
    """Identity and secrets of the executions a launch plan starts."""

    run_as: Identity | None = None
    secrets: tuple[Secret, ...] = field(default=())

    def __post_init__(self) -> None:
        secrets = self.secrets
        if isinstance(secrets, Secret):
            secrets = (secrets,)
        elif secrets is None:
            secrets = ()
        if not isinstance(secrets, Sequence) or not all(isinstance(s, Secret) for s in secrets):
            raise _option_error(
                f"SecurityContext(secrets=...) must be a list of Secret, got {secrets!r}",
                "security_context",
                "write secrets=[Secret(group='db', key='password')]",
            )
        object.__setattr__(self, "secrets", tuple(secrets))

    def to_proto(self) -> security_pb2.SecurityContext | None:
        """The message, or ``None`` when nothing is set (flytekit then leaves the field out)."""
        if self.run_as is None and not self.secrets:
            return None
        message = build_security_context(self.secrets) or security_pb2.SecurityContext()
        if self.run_as is not None:
            message.run_as.CopyFrom(self.run_as.to_proto())
        return message


class ConcurrencyLimitBehavior(enum.IntEnum):
    """What happens to an execution over the concurrency limit."""

    SKIP = launch_plan_pb2.CONCURRENCY_LIMIT_BEHAVIOR_SKIP


@frozen_record
class ConcurrencyPolicy:
    """At most ``max_concurrency`` executions of the launch plan at once."""

    max_concurrency: int
    behavior: ConcurrencyLimitBehavior = ConcurrencyLimitBehavior.SKIP

    def __post_init__(self) -> None:
        value = self.max_concurrency
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _option_error(
                f"ConcurrencyPolicy(max_concurrency=...) must be a positive int, got {value!r}",
                "concurrency",
                "write ConcurrencyPolicy(max_concurrency=1)",
            )

    def to_proto(self) -> launch_plan_pb2.ConcurrencyPolicy:
        """``{max, behavior}``."""
        return launch_plan_pb2.ConcurrencyPolicy(max=self.max_concurrency, behavior=self.behavior)


@frozen_record
class Options:
    """Execution options (flytekit's ``Options``): ``@workflow(default_options=...)`` gives its
    default launch plan the labels and annotations set here.

    Labels and annotations may be given as dicts; they are stored as ``Labels`` /
    ``Annotations``.
    """

    labels: Labels | None = None
    annotations: Annotations | None = None
    raw_output_data_config: RawOutputDataConfig | None = None
    security_context: SecurityContext | None = None
    max_parallelism: int | None = None
    notifications: tuple[Any, ...] | None = None
    disable_notifications: bool | None = None
    overwrite_cache: bool | None = None

    def __post_init__(self) -> None:
        for name, kind in (("labels", Labels), ("annotations", Annotations)):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                object.__setattr__(self, name, kind(value))
            elif value is not None and not isinstance(value, kind):
                raise _option_error(
                    f"Options({name}=...) must be {kind.__name__}({{...}}) or a dict, "
                    f"got {value!r}",
                    name,
                    f"write {name}={kind.__name__}({{'team': 'data'}})",
                )
