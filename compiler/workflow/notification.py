"""Launch plan notifications: ``Email``, ``Slack``, ``PagerDuty`` on terminal phases.

All three send an e-mail to ``recipients_email`` (Slack and PagerDuty through their e-mail
integrations), as in Flyte; they differ only in the ``Notification`` field they set. Phases are
``WorkflowExecutionPhase`` values and must be terminal: a notification on ``RUNNING`` would
never be sent, and flytekit refuses it too.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from flyteidl.admin import common_pb2

from compiler.errors import LaunchPlanError

__all__ = ["Email", "Notification", "PagerDuty", "Slack", "WorkflowExecutionPhase"]


class WorkflowExecutionPhase(enum.IntEnum):
    """``flyteidl.core.WorkflowExecution.Phase`` (flytekit's ``models.core.execution`` name)."""

    UNDEFINED = 0
    QUEUED = 1
    RUNNING = 2
    SUCCEEDING = 3
    SUCCEEDED = 4
    FAILING = 5
    FAILED = 6
    ABORTED = 7
    TIMED_OUT = 8
    ABORTING = 9


#: The phases a notification may fire on.
TERMINAL_PHASES = frozenset(
    {
        WorkflowExecutionPhase.SUCCEEDED,
        WorkflowExecutionPhase.FAILED,
        WorkflowExecutionPhase.ABORTED,
        WorkflowExecutionPhase.TIMED_OUT,
    }
)


def _error(message: str, hint: str, param: str) -> LaunchPlanError:
    return LaunchPlanError(message, code="CT955", hint=hint, param=param, param_kind="option")


def _phases(kind: str, phases: Iterable[int]) -> tuple[WorkflowExecutionPhase, ...]:
    if isinstance(phases, (str, bytes)) or not isinstance(phases, Iterable):
        raise _error(
            f"{kind}(phases=...) must be a list of WorkflowExecutionPhase, got {phases!r}",
            "write phases=[WorkflowExecutionPhase.FAILED]",
            "phases",
        )
    checked: list[WorkflowExecutionPhase] = []
    for phase in phases:
        try:
            value = WorkflowExecutionPhase(phase)
        except ValueError:
            value = None
        if value is None or isinstance(phase, bool) or value not in TERMINAL_PHASES:
            shown = value.name if value is not None else repr(phase)
            raise _error(
                f"{kind} on phase {shown} would never be sent: only terminal phases notify",
                "use SUCCEEDED, FAILED, ABORTED or TIMED_OUT",
                "phases",
            )
        checked.append(value)
    if not checked:
        raise _error(
            f"{kind}(phases=[]) names no phase",
            "write phases=[WorkflowExecutionPhase.FAILED]",
            "phases",
        )
    return tuple(checked)


def _recipients(kind: str, recipients: Iterable[str]) -> tuple[str, ...]:
    if isinstance(recipients, (str, bytes)) or not isinstance(recipients, Iterable):
        raise _error(
            f"{kind}(recipients_email=...) must be a list of addresses, got {recipients!r}",
            f"write recipients_email=[{recipients!r}]"
            if isinstance(recipients, str)
            else "write recipients_email=['team@example.com']",
            "recipients_email",
        )
    checked = tuple(recipients)
    bad = [r for r in checked if not isinstance(r, str) or not r.strip()]
    if bad or not checked:
        raise _error(
            f"{kind}(recipients_email=...) needs non-empty address strings, got {list(checked)!r}",
            "write recipients_email=['team@example.com']",
            "recipients_email",
        )
    return checked


class Notification:
    """A notification of a launch plan: phases and who gets the mail.

    Attributes:
        phases: The terminal phases that send it, in the order given.
        recipients_email: The addresses.
    """

    #: The ``Notification`` field this kind sets (``email``, ``slack``, ``pager_duty``).
    field: str = "email"

    def __init__(self, phases: Iterable[int], recipients_email: Iterable[str]) -> None:
        kind = type(self).__name__
        self.phases = _phases(kind, phases)
        self.recipients_email = _recipients(kind, recipients_email)

    def to_proto(self) -> common_pb2.Notification:
        """``{phases: [...], <field>: {recipients_email: [...]}}``."""
        message = common_pb2.Notification(phases=[int(p) for p in self.phases])
        target = getattr(message, self.field)
        target.recipients_email.extend(self.recipients_email)
        return message

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notification):
            return NotImplemented
        return (self.field, self.phases, self.recipients_email) == (
            other.field,
            other.phases,
            other.recipients_email,
        )

    def __hash__(self) -> int:
        return hash((self.field, self.phases, self.recipients_email))

    def __repr__(self) -> str:
        phases = [p.name for p in self.phases]
        recipients = list(self.recipients_email)
        return f"{type(self).__name__}(phases={phases}, recipients_email={recipients})"


class Email(Notification):
    """An e-mail to people."""

    field = "email"


class Slack(Notification):
    """An e-mail to a Slack channel's address."""

    field = "slack"


class PagerDuty(Notification):
    """An e-mail to a PagerDuty service's address."""

    field = "pager_duty"
