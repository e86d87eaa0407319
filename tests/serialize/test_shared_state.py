"""Memoised parts never make a task's bytes depend on what was serialized before.

Serialization memoises wire bytes by content (literal types per hint, interfaces, metadata,
descriptions). These tests serialize the same tasks in several orders, with cold and warm
memos, and change returned messages in place, and require the same bytes every time.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.proto import metadata as build_metadata
from compiler.serialize import description, interface, serialize_task, spec_bytes
from compiler.settings import ImageConfig, SerializationSettings
from compiler.types.engine import TypeEngine
from tests.serialize.shared_state_tasks import IMAGES, TASKS

REPO = Path(__file__).resolve().parents[2]


def _settings(engine: TypeEngine | None = None) -> SerializationSettings:
    return SerializationSettings(
        image_config=ImageConfig.from_specs(IMAGES),
        env={"LOG_FORMAT": "json"},
        type_engine=engine,
    )


def _clear_memos() -> None:
    interface._interface_bytes.cache_clear()
    description._description_bytes.cache_clear()
    build_metadata._metadata_bytes.cache_clear()


def _bytes_in_order(order: list[int], settings: SerializationSettings) -> dict[str, bytes]:
    return {TASKS[i].name: spec_bytes(serialize_task(TASKS[i], settings)) for i in order}


_IN_FRESH_PROCESS = """
import json, sys
from compiler.serialize import serialize_task, spec_bytes
from compiler.settings import ImageConfig, SerializationSettings
from tests.serialize.shared_state_tasks import IMAGES, TASKS
settings = SerializationSettings(
    image_config=ImageConfig.from_specs(IMAGES), env={"LOG_FORMAT": "json"}
)
digests = {}
for index in json.loads(sys.argv[1]):
    digests[TASKS[index].name] = spec_bytes(serialize_task(TASKS[index], settings)).hex()
print(json.dumps(digests))
"""


def _bytes_in_fresh_process(order: list[int]) -> dict[str, bytes]:
    """The bytes a new interpreter writes, serializing the tasks in ``order`` (no memo warm)."""
    out = subprocess.run(
        [sys.executable, "-c", _IN_FRESH_PROCESS, json.dumps(order)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return {k: bytes.fromhex(v) for k, v in json.loads(out.stdout).items()}


@pytest.fixture(scope="module")
def cold() -> dict[str, bytes]:
    """The tasks serialized by a fresh interpreter; another one in reverse order must agree."""
    order = list(range(len(TASKS)))
    forward = _bytes_in_fresh_process(order)
    assert _bytes_in_fresh_process(order[::-1]) == forward
    return forward


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_any_order_gives_the_bytes_of_a_fresh_process(cold: dict[str, bytes], seed: int) -> None:
    order = list(range(len(TASKS)))
    random.Random(seed).shuffle(order)
    if seed == 0:
        _clear_memos()
    engine = TypeEngine() if seed % 2 else None  # a fresh engine, or the shared default one
    assert _bytes_in_order(order, _settings(engine)) == cold
    assert _bytes_in_order(order[::-1], _settings(engine)) == cold  # warm memos


def test_equal_unions_in_other_orders_stay_apart(cold: dict[str, bytes]) -> None:
    assert cold["fake.c"] != cold["fake.d"]
    assert _bytes_in_order([8, 7, 8], _settings()) == {k: cold[k] for k in ("fake.c", "fake.d")}


def test_changing_a_returned_spec_does_not_reach_the_next_one(cold: dict[str, bytes]) -> None:
    settings = _settings()
    for _ in range(2):
        for task_object in TASKS:
            spec = serialize_task(task_object, settings)
            template = spec.template
            for variable in (*template.interface.inputs.variables.values(),):
                variable.type.Clear()
                variable.description = "changed"
            template.interface.outputs.variables["zz"].description = "added"
            template.metadata.retries.retries = 99
            template.metadata.runtime.version = "changed"
            if template.HasField("container"):
                template.container.args.append("changed")
                template.container.image = "changed"
            spec.description.short_description = "changed"
    assert _bytes_in_order(list(range(len(TASKS))), settings) == cold
