"""Launch plan schedules: ``CronSchedule`` and ``FixedRate`` (``flyteidl.admin.Schedule``).

Both are checked when they are built, so a schedule the Flyte scheduler would refuse fails at
import with the field at fault: a cron expression has five fields (minute, hour, day of month,
month, day of week) or is one of the aliases flytekit accepts; a fixed rate is a whole number of
minutes, at least one. ``kickoff_time_input_arg`` is checked against the workflow when the launch
plan is created (:mod:`compiler.workflow.launch_plan`).
"""

from __future__ import annotations

import abc
import re
from datetime import timedelta

from flyteidl.admin import schedule_pb2

from compiler.errors import LaunchPlanError
from compiler.records import frozen_record

__all__ = ["CRON_ALIASES", "CronSchedule", "FixedRate", "Schedule"]

#: The schedule aliases flytekit accepts besides five-field expressions (case-insensitive).
CRON_ALIASES = frozenset(
    {
        "hourly",
        "hours",
        "@hourly",
        "daily",
        "days",
        "@daily",
        "weekly",
        "weeks",
        "@weekly",
        "monthly",
        "months",
        "@monthly",
        "annually",
        "@annually",
        "yearly",
        "years",
        "@yearly",
    }
)

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


@frozen_record
class _Field:
    """One field of a cron expression: its name, its range and the names its values may take."""

    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    first_name: int = 0  # the number of names[0]


_FIELDS = (
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31),
    _Field("month", 1, 12, _MONTHS, 1),
    _Field("day of week", 0, 7, _DAYS, 0),
)
_OFFSET = re.compile(r"[-+]?P(?:[-+0-9YMWD]+)?(?:T[-+0-9HMS.,]*)?")


def _schedule_error(message: str, hint: str, param: str = "schedule") -> LaunchPlanError:
    return LaunchPlanError(message, code="CT952", hint=hint, param=param, param_kind="option")


def _number(text: str, field: _Field) -> int:
    upper = text.upper()
    if field.names and upper in field.names:
        return field.names.index(upper) + field.first_name
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a number")
    value = int(text)
    if not field.low <= value <= field.high:
        raise ValueError(f"{value} is outside {field.low}-{field.high}")
    return value


def _check_item(item: str, field: _Field) -> None:
    """One comma-separated item: ``*``, ``N``, ``N-M``, any of them ``/STEP``, or ``?``/``L``."""
    if item == "?" and field.name in ("day of month", "day of week"):
        return
    if item == "L" and field.name == "day of month":
        return
    if "#" in item and field.name == "day of week":
        day, _, nth = item.partition("#")
        _number(day, field)
        if not (nth.isdigit() and 1 <= int(nth) <= 5):
            raise ValueError(f"'#{nth}' must be #1 to #5")
        return
    body, slash, step = item.partition("/")
    if slash and not (step.isdigit() and int(step) > 0):
        raise ValueError(f"step {step!r} must be a positive number")
    if body == "*":
        return
    start, dash, end = body.partition("-")
    low = _number(start, field)
    if dash and _number(end, field) < low:
        raise ValueError(f"range {body!r} ends before it starts")


def check_cron(expression: str) -> None:
    """Raise ``CT952`` unless ``expression`` is a five-field cron expression or an alias."""
    if expression.strip().lower() in CRON_ALIASES:
        return
    parts = expression.split()
    if len(parts) != len(_FIELDS):
        raise _schedule_error(
            f"cron schedule {expression!r} has {len(parts)} field(s), not 5",
            "write 'minute hour day-of-month month day-of-week' (e.g. '30 4 * * *'), "
            "or an alias such as '@daily'",
        )
    for text, field in zip(parts, _FIELDS, strict=True):
        for item in text.split(","):
            try:
                _check_item(item, field)
            except ValueError as err:
                raise _schedule_error(
                    f"cron schedule {expression!r}: the {field.name} field {text!r} is invalid "
                    f"({err})",
                    f"the {field.name} field takes *, numbers {field.low}-{field.high}"
                    + (f" or names ({field.names[0]}, ...)" if field.names else "")
                    + ", ranges a-b, lists a,b and steps */n",
                ) from None


def _check_arg(kickoff_time_input_arg: str | None) -> str | None:
    if kickoff_time_input_arg is not None and not (
        isinstance(kickoff_time_input_arg, str) and kickoff_time_input_arg.isidentifier()
    ):
        raise LaunchPlanError(
            f"kickoff_time_input_arg must be the name of a workflow input, "
            f"got {kickoff_time_input_arg!r}",
            code="CT953",
            param="kickoff_time_input_arg",
            param_kind="option",
            hint="name a datetime input of the workflow, e.g. kickoff_time_input_arg='run_at'",
        )
    return kickoff_time_input_arg


class Schedule(abc.ABC):
    """What ``CronSchedule`` and ``FixedRate`` share: the kickoff argument and the message."""

    kickoff_time_input_arg: str | None

    @abc.abstractmethod
    def to_proto(self) -> schedule_pb2.Schedule:
        """The ``flyteidl.admin.Schedule`` message."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self.to_proto() == other.to_proto()

    def __hash__(self) -> int:
        return hash(self.to_proto().SerializeToString(deterministic=True))


class CronSchedule(Schedule):
    """Run on a cron expression (five fields) or an alias such as ``@daily``.

    Args:
        cron_expression: AWS-style six-field expressions are not supported by Flyte's native
            scheduler (flytekit refuses them too): use ``schedule``.
        schedule: The expression, e.g. ``"30 4 * * *"``.
        offset: An ISO 8601 duration added to each run time (``"P1D"``).
        kickoff_time_input_arg: A ``datetime`` input of the workflow that receives the
            scheduled time.
    """

    def __init__(
        self,
        cron_expression: str | None = None,
        schedule: str | None = None,
        offset: str | None = None,
        kickoff_time_input_arg: str | None = None,
    ) -> None:
        if cron_expression:
            raise _schedule_error(
                "CronSchedule(cron_expression=...) is not supported by Flyte's native scheduler",
                f"write CronSchedule(schedule={cron_expression!r}) with five fields",
                param="cron_expression",
            )
        if schedule is None:
            raise _schedule_error(
                "CronSchedule needs schedule=", "write CronSchedule(schedule='0 * * * *')"
            )
        if not isinstance(schedule, str):
            raise _schedule_error(
                f"schedule must be a string, got {schedule!r}", "write schedule='0 * * * *'"
            )
        check_cron(schedule)
        if offset is not None and not (isinstance(offset, str) and _OFFSET.fullmatch(offset)):
            raise _schedule_error(
                f"offset {offset!r} is not an ISO 8601 duration",
                "write offset='PT1H' or 'P1D'",
                param="offset",
            )
        self.schedule = schedule
        self.offset = offset
        self.kickoff_time_input_arg = _check_arg(kickoff_time_input_arg)

    def to_proto(self) -> schedule_pb2.Schedule:
        """``{cron_schedule: {schedule, offset?}, kickoff_time_input_arg?}``."""
        message = schedule_pb2.Schedule(
            cron_schedule=schedule_pb2.CronSchedule(schedule=self.schedule, offset=self.offset)
        )
        if self.kickoff_time_input_arg:
            message.kickoff_time_input_arg = self.kickoff_time_input_arg
        return message

    def __repr__(self) -> str:
        return f"CronSchedule(schedule={self.schedule!r})"


_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


class FixedRate(Schedule):
    """Run every ``duration`` (a whole number of minutes, at least one).

    Written in the largest unit that divides it (days, hours, else minutes), as flytekit does.
    """

    def __init__(self, duration: timedelta, kickoff_time_input_arg: str | None = None) -> None:
        if not isinstance(duration, timedelta):
            raise LaunchPlanError(
                f"FixedRate(duration=...) must be a timedelta, got {duration!r}",
                code="CT954",
                param="duration",
                param_kind="option",
                hint="write FixedRate(duration=timedelta(hours=6))",
            )
        if duration.microseconds or duration.seconds % _MINUTE or duration < timedelta(minutes=1):
            raise LaunchPlanError(
                f"FixedRate(duration={duration}) is not a whole number of minutes of at least one",
                code="CT954",
                param="duration",
                param_kind="option",
                hint="Flyte schedules fixed rates in whole minutes: e.g. timedelta(minutes=10)",
            )
        self.duration = duration
        self.kickoff_time_input_arg = _check_arg(kickoff_time_input_arg)

    def to_proto(self) -> schedule_pb2.Schedule:
        """``{rate: {value, unit}, kickoff_time_input_arg?}``."""
        seconds = int(self.duration.total_seconds())
        if seconds % _DAY == 0:
            rate = schedule_pb2.FixedRate(value=seconds // _DAY, unit=schedule_pb2.DAY)
        elif seconds % _HOUR == 0:
            rate = schedule_pb2.FixedRate(value=seconds // _HOUR, unit=schedule_pb2.HOUR)
        else:
            rate = schedule_pb2.FixedRate(value=seconds // _MINUTE, unit=schedule_pb2.MINUTE)
        message = schedule_pb2.Schedule(rate=rate)
        if self.kickoff_time_input_arg:
            message.kickoff_time_input_arg = self.kickoff_time_input_arg
        return message

    def __repr__(self) -> str:
        return f"FixedRate(duration={self.duration!r})"
