"""Same sources and settings, same bytes: across hash seeds and map insertion orders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.serialize import parse_task_spec, serialize_task, spec_bytes
from compiler.settings import SerializationSettings
from tests.serialize.fakes import FakeTask, interface

REPO = Path(__file__).resolve().parents[2]

_DIGESTS = """
import hashlib, importlib, json, pkgutil, sys
sys.path.insert(0, sys.argv[1])
from compiler import Task
from compiler.serialize import serialize_task, spec_bytes
from compiler.settings import ImageConfig, SerializationSettings
import examples
settings = SerializationSettings(
    image_config=ImageConfig.from_specs(
        ["registry.example.com/team/app:2.0", "gpu=registry.example.com/team/gpu:cuda-12.1"]
    ),
    env={"LOG_FORMAT": "json"},
)
tasks = {}
for info in pkgutil.walk_packages(examples.__path__, "examples."):
    for value in vars(importlib.import_module(info.name)).values():
        if isinstance(value, Task):
            tasks[value.name] = value
digests = {
    name: hashlib.sha256(spec_bytes(serialize_task(task, settings))).hexdigest()
    for name, task in sorted(tasks.items())
}
print(json.dumps(digests))
"""


def _digests(seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", _DIGESTS, str(REPO)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_examples_bytes_do_not_depend_on_hash_seed() -> None:
    first, second = _digests("1"), _digests("4242")
    assert len(first) >= 30
    assert first == second


_NAMES = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8),
    min_size=1,
    max_size=8,
    unique=True,
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(names=_NAMES, values=st.lists(_JSON, min_size=8, max_size=8), data=st.data())
def test_round_trip_and_order_independence(names, values, data) -> None:
    shuffled = data.draw(st.permutations(names))

    def build(order: list[str]) -> FakeTask:
        return FakeTask(
            python_interface=interface({n: int for n in order}, {f"o_{n}": str for n in order}),
            custom={n: values[names.index(n)] for n in order},
            config={n: n.upper() for n in order},
        )

    spec = serialize_task(build(names), SerializationSettings())
    raw = spec_bytes(spec)
    assert spec_bytes(parse_task_spec(raw)) == raw
    assert spec_bytes(serialize_task(build(list(shuffled)), SerializationSettings())) == raw
