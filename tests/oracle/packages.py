"""The packages the oracle compares, with the settings both compilers get for each.

``examples/`` is the main one; the probe packages under ``tests/oracle/probes/`` show features
that a realistic package cannot (pickle types, image digests, odd docstrings, ...).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from compiler.idl import EntityKind
from compiler.sdk import Task
from compiler.settings import ImageConfig, SerializationSettings
from compiler.types import TypeEngine, TypeTransformer

__all__ = [
    "FIXTURES",
    "PACKAGES",
    "REPO",
    "OraclePackage",
    "collect_tasks",
    "collect_workflows",
    "package_by_name",
]

REPO = Path(__file__).resolve().parents[2]
PROBES = Path(__file__).resolve().parent / "probes"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

DEFAULT_IMAGE = "registry.example.com/team/app:2.0"
GPU_IMAGE = "registry.example.com/team/gpu:cuda-12.1"


@dataclass(frozen=True)
class OraclePackage:
    """One package compiled by both flytekit and us, with identical settings.

    Attributes:
        name: The import name (also the fixture directory name).
        parent: The directory that contains the package.
        images: ``--image`` values (``URI`` or ``NAME=URI``), in order.
        env: ``--env`` pairs, in order.
        allow_pickle: Whether our side may write pickle blobs (flytekit always does).
        copy: ``pyflyte package --copy`` (``None``: flytekit's default, no fast registration).
        registers_transformers: The package registers transformers on the shared engine
            (``TypeEngine.register(...)`` at import, as flytekit code does). Tests rebuild
            the shared engine, so our side compiles it with a fresh engine holding one
            instance of every ``TypeTransformer`` subclass the package defines.
    """

    name: str
    parent: Path
    images: tuple[str, ...] = (DEFAULT_IMAGE,)
    env: tuple[tuple[str, str], ...] = ()
    allow_pickle: bool = False
    registers_transformers: bool = False
    copy: str | None = None
    notes: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def source(self) -> Path:
        """The package directory."""
        return self.parent / self.name

    @property
    def fixtures(self) -> Path:
        """Where flytekit's TaskSpecs of this package are kept."""
        return FIXTURES / self.name

    def kind_fixtures(self, kind: str) -> Path:
        """Where flytekit's ``workflow`` specs or ``launch_plan``s of this package are kept."""
        return self.fixtures / kind

    def settings(self, type_engine: Any = None) -> SerializationSettings:
        """Our settings equivalent to the ``pyflyte package`` flags.

        Args:
            type_engine: The engine to use (``None``: the default engine).
        """
        return SerializationSettings(
            image_config=ImageConfig.from_specs(self.images),
            env=dict(self.env),
            allow_pickle=self.allow_pickle,
            type_engine=_engine_of(self) if self.registers_transformers else type_engine,
        )

    def pyflyte_flags(self) -> list[str]:
        """The ``package`` sub-command flags (before ``-o``)."""
        flags: list[str] = []
        for image in self.images:
            flags += ["--image", image]
        for key, value in self.env:
            flags += ["--env", f"{key}={value}"]
        if self.copy is not None:
            flags += ["--copy", self.copy]
        return flags


PACKAGES: tuple[OraclePackage, ...] = (
    OraclePackage(
        name="examples",
        parent=REPO,
        images=(DEFAULT_IMAGE, f"gpu={GPU_IMAGE}"),
        env=(("LOG_FORMAT", "json"), ("REGION", "eu")),
        registers_transformers=True,  # examples/analytics/frames.py registers MoneyTransformer
        copy="all",  # ImageSpec tags hash the spec alone (see probe_authoring)
    ),
    OraclePackage(name="probe_types", parent=PROBES),
    OraclePackage(name="probe_pickle", parent=PROBES, allow_pickle=True),
    OraclePackage(name="probe_workflows", parent=PROBES),
    OraclePackage(name="probe_launch_plans", parent=PROBES),
    OraclePackage(name="probe_conditionals", parent=PROBES),
    OraclePackage(name="probe_failure", parent=PROBES),
    OraclePackage(name="probe_imperative", parent=PROBES),
    OraclePackage(name="probe_references", parent=PROBES),
    OraclePackage(name="probe_overrides", parent=PROBES),
    OraclePackage(name="probe_dataframes", parent=PROBES),
    OraclePackage(name="probe_models", parent=PROBES),
    OraclePackage(name="probe_arrays", parent=PROBES),
    OraclePackage(name="probe_cache", parent=PROBES),
    OraclePackage(name="probe_iterators", parent=PROBES),
    OraclePackage(name="probe_polars", parent=PROBES),
    OraclePackage(name="probe_fields", parent=PROBES),
    OraclePackage(name="probe_maps", parent=PROBES),
    OraclePackage(name="probe_transformers", parent=PROBES, registers_transformers=True),
    # ``--copy all``: fast registration, where flytekit's ImageSpec tag is the hash of the spec
    # alone; without it ``package`` folds the digest of the Python files it loaded into the tag.
    # flytekit crashes on a PythonCustomizedContainerTask with environment= when no --env is
    # given (it merges None into a dict), so this package passes one.
    OraclePackage(name="probe_authoring", parent=PROBES, copy="all", env=(("REGION", "eu"),)),
    OraclePackage(
        name="probe_dynamic",
        parent=PROBES,
        images=(DEFAULT_IMAGE, f"gpu={GPU_IMAGE}"),
        env=(("LOG_FORMAT", "json"), ("MODE", "compile")),
    ),
    OraclePackage(
        name="probe_images",
        parent=PROBES,
        images=(
            "registry.example.com/team/app@sha256:" + "ab" * 32,
            "tools=registry.example.com:5000/team/tools:1.4",
        ),
    ),
)


def package_by_name(name: str) -> OraclePackage:
    """The package called ``name``."""
    for package in PACKAGES:
        if package.name == name:
            return package
    raise KeyError(f"no oracle package {name!r}")


def _engine_of(package: OraclePackage) -> TypeEngine:
    """A fresh engine with the transformers the package's modules define."""
    engine = TypeEngine()
    for module in _modules(package):
        for value in vars(module).values():
            defined_here = getattr(value, "__module__", None) == module.__name__
            if defined_here and isinstance(value, type) and issubclass(value, TypeTransformer):
                engine.register(value())
    return engine


def _modules(package: OraclePackage) -> Iterator[ModuleType]:
    if str(package.parent) not in sys.path:
        sys.path.insert(0, str(package.parent))
    root = importlib.import_module(package.name)
    yield root
    for info in pkgutil.walk_packages(root.__path__, f"{package.name}."):
        yield importlib.import_module(info.name)


def _with_companions(values: Iterator[Any]) -> Iterator[Any]:
    """``values`` and what each brings (an eager workflow's cleanup task and workflow)."""
    for value in values:
        yield value
        if getattr(type(value), "entity_kind", None) != EntityKind.TASK:
            continue
        companions = getattr(value, "companion_entities", None)
        if callable(companions):
            yield from _with_companions(iter(companions()))


def _module_values(package: OraclePackage) -> Iterator[Any]:
    for module in _modules(package):
        yield from _with_companions(iter(list(vars(module).values())))


def _carries_entities(value: Any) -> bool:
    """Not an entity, but brings some (discovery compiles them too)."""
    kind = getattr(type(value), "entity_kind", None)
    return kind is None and callable(getattr(type(value), "companion_entities", None))


def collect_tasks(package: OraclePackage) -> dict[str, Any]:
    """Our task objects of ``package``, by entity name (imported from its source)."""
    tasks: dict[str, Any] = {}
    for value in _module_values(package):
        if isinstance(value, Task):
            tasks.setdefault(value.name, value)
        elif _carries_entities(value):  # a module-level map task: its template
            for companion in value.companion_entities():
                if isinstance(companion, Task):
                    tasks.setdefault(companion.name, companion)
    for workflow in collect_workflows(package).values():
        for companion in workflow.companion_entities():
            if isinstance(companion, Task):  # a map task's template
                tasks.setdefault(companion.name, companion)
    return tasks


def collect_workflows(package: OraclePackage) -> dict[str, Any]:
    """Our workflow objects of ``package``, by entity name (imported from its source)."""
    workflows: dict[str, Any] = {}
    for value in _module_values(package):
        if getattr(type(value), "entity_kind", None) == EntityKind.WORKFLOW:
            workflows.setdefault(value.name, value)
    return workflows


def collect_launch_plans(package: OraclePackage) -> dict[str, Any]:
    """Our launch plans of ``package`` by name: module-level ones and every workflow's."""
    plans: dict[str, Any] = {}
    for module in _modules(package):
        for value in vars(module).values():
            if getattr(type(value), "entity_kind", None) == EntityKind.LAUNCH_PLAN:
                plans.setdefault(value.name, value)
    for workflow in collect_workflows(package).values():
        for plan in workflow.companion_entities():
            if getattr(type(plan), "entity_kind", None) == EntityKind.LAUNCH_PLAN:
                plans.setdefault(plan.name, plan)
    return plans
