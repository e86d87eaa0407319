"""Helpers for golden tests: hand-built task specs and bundle directories."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flyteidl.admin import task_pb2
from google.protobuf import json_format

from compiler.render import render_task_spec

INT = {"simple": "INTEGER"}
STR = {"simple": "STRING"}


def task_spec(
    name: str = "shop.orders.load",
    *,
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    image: str = "registry.example.com/team/app:2.0",
    **template: Any,
) -> task_pb2.TaskSpec:
    """A python-task TaskSpec with the given interface; extra template fields merged in."""
    inputs = {"order_ids": {"collection_type": STR}, "limit": INT} if inputs is None else inputs
    outputs = {"o0": INT} if outputs is None else outputs
    module, _, function = name.rpartition(".")
    data: dict[str, Any] = {
        "id": {"resource_type": "TASK", "name": name},
        "type": "python-task",
        "metadata": {
            "runtime": {"type": "FLYTE_SDK", "version": "0.1.0", "flavor": "python"},
            "retries": {},
            "generates_deck": False,
            "metadata": {},
        },
        "interface": {
            "inputs": {"variables": _variables(inputs)},
            "outputs": {"variables": _variables(outputs)},
        },
        "container": {
            "image": image,
            "args": ["compile-tasks-execute", "--", "task-module", module, "task-name", function],
            "resources": {},
        },
    }
    data.update(template)
    return json_format.ParseDict(
        {"template": data, "description": {"short_description": "Load orders."}},
        task_pb2.TaskSpec(),
    )


def _variables(types: Mapping[str, Any]) -> dict[str, Any]:
    return {name: {"type": t, "description": name} for name, t in types.items()}


BundleEntry = tuple[str, task_pb2.TaskSpec, Mapping[str, Any] | None]


def write_bundle(directory: Path, entries: list[BundleEntry]) -> Path:
    """Write ``<stem>.pb`` and ``yaml/<stem>.yaml`` per entry, as the bundle writer does."""
    (directory / "yaml").mkdir(parents=True, exist_ok=True)
    for stem, spec, facts in entries:
        (directory / f"{stem}.pb").write_bytes(spec.SerializeToString(deterministic=True))
        (directory / "yaml" / f"{stem}.yaml").write_text(
            render_task_spec(spec, facts), encoding="utf-8"
        )
    return directory


LOAD = "00_shop.orders.load_1"
DEFAULTS = {"source": "shop/orders.py:10", "defaults": {"limit": 100}}
