"""``LaunchPlan``: a workflow with fixed and default inputs, a schedule, notifications, options.

Created as in flytekit: ``LaunchPlan.get_or_create(workflow)`` is the workflow's default launch
plan (its name, the workflow's defaults, nothing else); ``get_or_create(workflow, name=..., ...)``
and ``create(name, workflow, ...)`` make a named one. Everything is checked at the call, with the
call's file and line: inputs the workflow does not have, values of the wrong type, a kickoff
argument that is not a ``datetime`` input, a name taken by another launch plan, the same name
asked for again with other options (flytekit raises that late and vaguely; we name both sites).

A launch plan is compiled to a ``LaunchPlan`` message (``compiler.serialize.launch_plan``) and
found by discovery like any entity; one created without being assigned to a module variable is
found through its workflow (``companion_entities``). Called in a workflow body it becomes a
launch-plan node; called elsewhere it runs its workflow locally with its inputs applied.
"""

from __future__ import annotations

import datetime
import sys
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.errors import CompileTasksError, ExecutionError, LaunchPlanError, SourceLocation
from compiler.idl import EntityKind
from compiler.records import frozen_record
from compiler.sdk import Interface, active_builder, caller_frame
from compiler.types import default_engine
from compiler.workflow.launch_options import (
    Annotations,
    AuthRole,
    ConcurrencyPolicy,
    Identity,
    Labels,
    RawOutputDataConfig,
    SecurityContext,
)
from compiler.workflow.notification import Notification
from compiler.workflow.schedule import Schedule

__all__ = ["LaunchPlan", "LaunchPlanOptions"]


@frozen_record
class LaunchPlanOptions:
    """Everything a named launch plan sets besides its inputs (compared by ``get_or_create``)."""

    schedule: Schedule | None = None
    notifications: tuple[Notification, ...] = ()
    labels: Labels | None = None
    annotations: Annotations | None = None
    raw_output_data_config: RawOutputDataConfig | None = None
    max_parallelism: int | None = None
    security_context: SecurityContext | None = None
    overwrite_cache: bool | None = None
    auto_activate: bool = False
    concurrency: ConcurrencyPolicy | None = None


@dataclass
class _Site:
    """Where a named launch plan was created, to tell a re-import from a second definition."""

    plan: LaunchPlan
    module: str
    namespace: dict[str, Any] | None

    def stale(self) -> bool:
        """The module that created it is no longer imported (an earlier compile, a re-import)."""
        module = sys.modules.get(self.module)
        return module is None or (self.namespace is not None and vars(module) is not self.namespace)


#: Named launch plans by name, as flytekit's ``LaunchPlan.CACHE`` (stale entries are replaced).
_NAMED: dict[str, _Site] = {}


#: The options ``get_or_create`` and ``create`` take besides the workflow and the name.
_OPTION_NAMES = (
    "default_inputs",
    "fixed_inputs",
    "schedule",
    "notifications",
    "labels",
    "annotations",
    "raw_output_data_config",
    "max_parallelism",
    "security_context",
    "auth_role",
    "trigger",
    "overwrite_cache",
    "concurrency",
)


def _given(arguments: dict[str, Any]) -> dict[str, Any]:
    """The launch plan options out of a creating method's arguments."""
    return {name: arguments[name] for name in _OPTION_NAMES}


def _creation_site() -> tuple[SourceLocation | None, str, dict[str, Any] | None]:
    frame = caller_frame()
    if frame is None:
        return None, "", None
    location = SourceLocation(frame.f_code.co_filename, frame.f_lineno)
    return location, frame.f_globals.get("__name__", ""), frame.f_globals


def _is_datetime(hint: Any) -> bool:
    """``datetime`` itself, also under ``Annotated``."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    return hint is datetime.datetime


def _is_workflow(value: Any) -> bool:
    return getattr(type(value), "entity_kind", None) is EntityKind.WORKFLOW


class LaunchPlan:
    """A launch plan of a workflow (flytekit's ``LaunchPlan``).

    Attributes:
        name: The launch plan's name (the workflow's for its default launch plan).
        workflow: The workflow it launches.
        fixed_inputs: Input name -> value that no execution can change.
        default_inputs: Input name -> default (the workflow's, overridden by ``default_inputs``).
        options: Schedule, notifications, labels, ... (:class:`LaunchPlanOptions`).
        is_default: Whether this is the workflow's default launch plan.
        location: The ``get_or_create`` / ``create`` call (the workflow's ``def`` for a default).
    """

    entity_kind = EntityKind.LAUNCH_PLAN

    def __init__(
        self,
        name: str,
        workflow: Any,
        *,
        fixed_inputs: Mapping[str, Any] | None = None,
        default_inputs: Mapping[str, Any] | None = None,
        options: LaunchPlanOptions | None = None,
        location: SourceLocation | None = None,
        instantiated_in: str | None = None,
        is_default: bool = False,
    ) -> None:
        self.name = name
        self.workflow = workflow
        self.fixed_inputs: dict[str, Any] = dict(fixed_inputs or {})
        self.default_inputs: dict[str, Any] = dict(default_inputs or {})
        self.options = options or LaunchPlanOptions()
        self.is_default = is_default
        self.location = location or workflow.location
        self.instantiated_in = instantiated_in or workflow.instantiated_in
        workflow_interface = workflow.python_interface
        self.python_interface = Interface(
            {k: v for k, v in workflow_interface.inputs.items() if k not in self.fixed_inputs},
            workflow_interface.outputs,
            defaults={**workflow_interface.defaults, **self.default_inputs},
            output_tuple_name=workflow_interface.output_tuple_name,
            docstring=workflow_interface.docstring,
        )

    # -- creation (flytekit's class methods) -------------------------------------------------

    @classmethod
    def get_default_launch_plan(cls, ctx: Any, workflow: Any = None) -> LaunchPlan:
        """The workflow's default launch plan (``ctx`` is accepted for flytekit's signature)."""
        target = ctx if workflow is None else workflow
        if not _is_workflow(target):
            raise LaunchPlanError(
                f"a launch plan needs a workflow, got {target!r}",
                code="CT959",
                param="workflow",
                param_kind="option",
                hint="pass a @workflow function",
            )
        plan: LaunchPlan = target.default_launch_plan
        return plan

    @classmethod
    def get_or_create(
        cls,
        workflow: Any,
        name: str | None = None,
        default_inputs: Mapping[str, Any] | None = None,
        fixed_inputs: Mapping[str, Any] | None = None,
        schedule: Schedule | None = None,
        notifications: Iterable[Notification] | None = None,
        labels: Labels | Mapping[str, str] | None = None,
        annotations: Annotations | Mapping[str, str] | None = None,
        raw_output_data_config: RawOutputDataConfig | None = None,
        max_parallelism: int | None = None,
        security_context: SecurityContext | None = None,
        auth_role: AuthRole | None = None,
        trigger: Any = None,
        overwrite_cache: bool | None = None,
        auto_activate: bool = False,
        concurrency: ConcurrencyPolicy | None = None,
    ) -> LaunchPlan:
        """The default launch plan (no ``name``), or the named one, created on the first call.

        Raises:
            LaunchPlanError: Options without a name (CT958), or a name already created with
                other options or for another workflow (CT957), or what :meth:`create` raises.
        """
        location, module, namespace = _creation_site()
        given = _given(locals())
        if name is None:
            set_options = [key for key, value in given.items() if value is not None]
            if set_options:
                raise LaunchPlanError(
                    f"{', '.join(set_options)} given without a name: the default launch plan "
                    "has only the workflow's own defaults",
                    code="CT958",
                    location=location,
                    param="name",
                    param_kind="option",
                    hint="give the launch plan a name: get_or_create(wf, name='nightly', ...)",
                )
            return cls.get_default_launch_plan(workflow)
        site = _NAMED.get(name) if isinstance(name, str) else None
        if site is not None and not site.stale():
            return _same_as_cached(site.plan, workflow, name, location, given, auto_activate)
        return cls._create(name, workflow, given, auto_activate, location, module, namespace)

    @classmethod
    def create(
        cls,
        name: str,
        workflow: Any,
        default_inputs: Mapping[str, Any] | None = None,
        fixed_inputs: Mapping[str, Any] | None = None,
        schedule: Schedule | None = None,
        notifications: Iterable[Notification] | None = None,
        labels: Labels | Mapping[str, str] | None = None,
        annotations: Annotations | Mapping[str, str] | None = None,
        raw_output_data_config: RawOutputDataConfig | None = None,
        max_parallelism: int | None = None,
        security_context: SecurityContext | None = None,
        auth_role: AuthRole | None = None,
        trigger: Any = None,
        overwrite_cache: bool | None = None,
        auto_activate: bool = False,
        concurrency: ConcurrencyPolicy | None = None,
    ) -> LaunchPlan:
        """A new named launch plan.

        Raises:
            LaunchPlanError: CT950-CT959 for inputs, values, schedule and options; CT956 when
                another launch plan already has this name.
        """
        location, module, namespace = _creation_site()
        given = _given(locals())
        return cls._create(name, workflow, given, auto_activate, location, module, namespace)

    @classmethod
    def _create(
        cls,
        name: Any,
        workflow: Any,
        given: dict[str, Any],
        auto_activate: bool,
        location: SourceLocation | None,
        module: str,
        namespace: dict[str, Any] | None,
    ) -> LaunchPlan:
        try:
            plan = _build(cls, name, workflow, given, auto_activate, location, module)
        except CompileTasksError as err:
            if isinstance(err, LaunchPlanError) and err.launch_plan is None:
                err.launch_plan = name if isinstance(name, str) else None
            raise err.with_context(location=location) from None
        site = _NAMED.get(name)
        if site is not None and not site.stale():
            first = site.plan.location
            raise LaunchPlanError(
                f"another launch plan is already named {name!r} (created at {first})",
                code="CT956",
                location=location,
                launch_plan=name,
                hint="launch plan names are unique per project: rename one of them",
            )
        _NAMED[name] = _Site(plan, module, namespace)
        companions = getattr(workflow, "named_launch_plans", None)
        if isinstance(companions, list):
            companions.append(plan)
        return plan

    # -- what the pipeline and the builder ask ------------------------------------------------

    def referenced_entities(self) -> list[Any]:
        """The workflow: it must be registered first."""
        return [self.workflow]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """A launch-plan node inside a workflow body; else run the workflow locally."""
        builder = active_builder()
        if builder is not None:
            return builder.add_call(self, args, kwargs)
        clash = sorted(set(kwargs) & set(self.fixed_inputs))
        if clash:
            raise ExecutionError(
                f"input {clash[0]!r} is fixed by the launch plan and cannot be given",
                code="CT961",
                task=self.name,
                param=clash[0],
                location=self.location,
                hint=f"drop {clash[0]}=...; the launch plan runs with "
                f"{clash[0]}={self.fixed_inputs[clash[0]]!r}",
            )
        names = list(self.python_interface.inputs)
        if len(args) > len(names):
            raise ExecutionError(
                "too many positional values",
                code="CT190",
                task=self.name,
                location=self.location,
                hint="pass inputs by name",
            )
        values = {**dict(zip(names, args, strict=False)), **kwargs}
        return self.workflow(**{**self.default_inputs, **values, **self.fixed_inputs})

    def __repr__(self) -> str:
        return f"LaunchPlan(name={self.name!r}, workflow={self.workflow.name!r})"


def _same_as_cached(
    cached: LaunchPlan,
    workflow: Any,
    name: str,
    location: SourceLocation | None,
    given: dict[str, Any],
    auto_activate: bool,
) -> LaunchPlan:
    """``cached`` when ``get_or_create`` asks for it again with the same options (CT957)."""
    if cached.workflow is not workflow:
        raise LaunchPlanError(
            f"launch plan {name!r} was created at {cached.location} for workflow "
            f"'{cached.workflow.name}', not '{getattr(workflow, 'name', workflow)}'",
            code="CT957",
            location=location,
            launch_plan=name,
            hint="launch plan names are unique per project: use another name",
        )
    probe = _build(LaunchPlan, name, workflow, given, auto_activate, location, "")
    for field in ("fixed_inputs", "default_inputs", "options"):
        if getattr(probe, field) != getattr(cached, field):
            raise LaunchPlanError(
                f"launch plan {name!r} was created at {cached.location} with other {field}: "
                f"{getattr(cached, field)!r}",
                code="CT957",
                location=location,
                launch_plan=name,
                param=field,
                param_kind="option",
                hint="use one get_or_create call (and reuse its result), or another name",
            )
    return cached


def _build(
    cls: type[LaunchPlan],
    name: Any,
    workflow: Any,
    given: dict[str, Any],
    auto_activate: bool,
    location: SourceLocation | None,
    module: str,
) -> LaunchPlan:
    if not isinstance(name, str) or not name or any(ord(c) < 32 for c in name):
        raise LaunchPlanError(
            f"a launch plan name must be a non-empty string without control characters, "
            f"got {name!r}",
            code="CT959",
            param="name",
            param_kind="option",
            hint="write name='shop.nightly'",
        )
    if not _is_workflow(workflow):
        raise LaunchPlanError(
            f"a launch plan needs a workflow, got {workflow!r}",
            code="CT959",
            param="workflow",
            param_kind="option",
            hint="pass a @workflow function",
        )
    if given["trigger"] is not None:
        raise LaunchPlanError(
            "trigger= is not supported (flytekit does not implement it either)",
            code="CT959",
            param="trigger",
            param_kind="option",
            hint="use schedule= for time-based launches",
        )
    inputs = workflow.python_interface.inputs
    fixed = _checked_inputs(given["fixed_inputs"], "fixed_inputs", inputs)
    defaults = _checked_inputs(given["default_inputs"], "default_inputs", inputs)
    schedule = _checked_schedule(given["schedule"], inputs)
    options = LaunchPlanOptions(
        schedule=schedule,
        notifications=_checked_notifications(given["notifications"]),
        labels=_coerced(given["labels"], Labels, "labels"),
        annotations=_coerced(given["annotations"], Annotations, "annotations"),
        raw_output_data_config=_instance(
            given["raw_output_data_config"], RawOutputDataConfig, "raw_output_data_config"
        ),
        max_parallelism=_checked_parallelism(given["max_parallelism"]),
        security_context=_security(given["security_context"], given["auth_role"]),
        overwrite_cache=_flag(given["overwrite_cache"], "overwrite_cache"),
        auto_activate=bool(_flag(auto_activate, "auto_activate")),
        concurrency=_instance(given["concurrency"], ConcurrencyPolicy, "concurrency"),
    )
    return cls(
        name,
        workflow,
        fixed_inputs=fixed,
        default_inputs=defaults,
        options=options,
        location=location,
        instantiated_in=module or None,
    )


def _checked_inputs(values: Any, option: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Each value names a workflow input (CT950) and converts to its type (CT951)."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise LaunchPlanError(
            f"{option} must be a dict of input name -> value, got {values!r}",
            code="CT959",
            param=option,
            param_kind="option",
            hint=f"write {option}={{'region': 'eu'}}",
        )
    engine = default_engine()
    for key, value in values.items():
        if key not in inputs:
            raise LaunchPlanError(
                f"{option} names {key!r}, which is not an input of the workflow",
                code="CT950",
                param=key,
                hint=f"the workflow's inputs are: {', '.join(inputs) or '(none)'}",
            )
        try:
            engine.to_literal(value, inputs[key])
        except CompileTasksError as err:
            raise LaunchPlanError(
                f"{option}[{key!r}] = {value!r} is not a value of the input's type: {err.message}",
                code="CT951",
                param=key,
                hint=err.hint or "give a value of the workflow input's type",
            ) from None
    return dict(values)


def _checked_schedule(schedule: Any, inputs: Mapping[str, Any]) -> Schedule | None:
    if schedule is None:
        return None
    if not isinstance(schedule, Schedule):
        raise LaunchPlanError(
            f"schedule must be a CronSchedule or FixedRate, got {schedule!r}",
            code="CT959",
            param="schedule",
            param_kind="option",
            hint="write schedule=CronSchedule(schedule='0 4 * * *')",
        )
    arg = schedule.kickoff_time_input_arg
    if arg is not None and (arg not in inputs or not _is_datetime(inputs[arg])):
        datetimes = [k for k, v in inputs.items() if _is_datetime(v)]
        what = "is not an input of the workflow" if arg not in inputs else "is not a datetime"
        raise LaunchPlanError(
            f"kickoff_time_input_arg {arg!r} {what}",
            code="CT953",
            param="kickoff_time_input_arg",
            param_kind="option",
            hint=f"name a datetime input: {', '.join(datetimes)}"
            if datetimes
            else "add an input such as run_at: datetime to the workflow",
        )
    return schedule


def _checked_notifications(notifications: Any) -> tuple[Notification, ...]:
    if notifications is None:
        return ()
    if isinstance(notifications, Notification):
        notifications = [notifications]
    if not isinstance(notifications, Iterable) or not all(
        isinstance(n, Notification) for n in notifications
    ):
        raise LaunchPlanError(
            f"notifications must be a list of Email, Slack or PagerDuty, got {notifications!r}",
            code="CT959",
            param="notifications",
            param_kind="option",
            hint="write notifications=[Email(phases=[...], recipients_email=[...])]",
        )
    return tuple(notifications)


def _coerced(value: Any, kind: type, option: str) -> Any:
    if value is None or isinstance(value, kind):
        return value
    if isinstance(value, Mapping):
        return kind(value)
    raise LaunchPlanError(
        f"{option} must be {kind.__name__}({{...}}) or a dict, got {value!r}",
        code="CT959",
        param=option,
        param_kind="option",
        hint=f"write {option}={kind.__name__}({{'team': 'data'}})",
    )


def _instance(value: Any, kind: type, option: str) -> Any:
    if value is None or isinstance(value, kind):
        return value
    raise LaunchPlanError(
        f"{option} must be a {kind.__name__}, got {value!r}",
        code="CT959",
        param=option,
        param_kind="option",
        hint=f"write {option}={kind.__name__}(...)",
    )


def _checked_parallelism(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LaunchPlanError(
            f"max_parallelism must be a positive int, got {value!r}",
            code="CT959",
            param="max_parallelism",
            param_kind="option",
            hint="write max_parallelism=10",
        )
    return value


def _flag(value: Any, option: str) -> bool | None:
    if value is None or type(value) is bool:
        return value
    raise LaunchPlanError(
        f"{option} must be True or False, got {value!r}",
        code="CT959",
        param=option,
        param_kind="option",
        hint=f"write {option}=True",
    )


def _security(context: Any, auth_role: Any) -> SecurityContext | None:
    context = _instance(context, SecurityContext, "security_context")
    auth_role = _instance(auth_role, AuthRole, "auth_role")
    if auth_role is None:
        return context
    if context is not None:
        raise LaunchPlanError(
            "auth_role and security_context are both given",
            code="CT960",
            param="auth_role",
            param_kind="option",
            hint="auth_role is deprecated: put the role in "
            "security_context=SecurityContext(run_as=Identity(...))",
        )
    return SecurityContext(
        run_as=Identity(
            iam_role=auth_role.assumable_iam_role,
            k8s_service_account=auth_role.kubernetes_service_account,
        )
    )
