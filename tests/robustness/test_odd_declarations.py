"""Declarations that are valid Python but that no cluster (or decoder) could use.

Deeply nested dataclasses compile while protobuf can decode them and get CT125 (with the
limit) beyond; names with control characters are refused where the task is defined (CT128);
``Resources(mem=4)`` (four bytes) and fractional GPU counts are refused with a hint (CT127,
CT126). Never an internal error; the same with ``--jobs 1`` and ``--jobs 2``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from robust_helpers import (
    Expected,
    Outcome,
    Scenario,
    assert_errors,
    assert_no_traceback,
    check_bundle,
    compile_args,
    run_scenarios,
)

E = Expected


def _nested(levels: int) -> str:
    lines = ["from dataclasses import dataclass", "", "from compiler import task", ""]
    lines += ["", "@dataclass", "class D0:", "    x: int = 0", ""]
    for i in range(1, levels):
        lines += ["", "@dataclass", f"class D{i}:", f"    c: D{i - 1}", ""]
    lines += ["", "@task", f"def deep(d: D{levels - 1}) -> int:", "    return 1", ""]
    return "\n".join(lines)


def _deep_def_line(levels: int) -> int:
    return _nested(levels).splitlines().index(f"def deep(d: D{levels - 1}) -> int:") + 1


RESOURCE_TASK = (
    "from compiler import Resources, task\n\n\n"
    "@task(requests=Resources({spec}))\ndef t(x: int) -> int:\n    return x\n"
)
NAMED_TASK = (
    "from compiler import ContainerTask\n\n"
    't = ContainerTask(name="two\\nlines", image="a/b:1", command=["true"])\n'
)

SOURCES: dict[str, str] = {
    "nested_15": _nested(15),
    "nested_40": _nested(40),
    "nested_400": _nested(400),
    "mem_bare_4": RESOURCE_TASK.format(spec="mem=4"),
    "gpu_half": RESOURCE_TASK.format(spec='gpu="0.5"'),
    "gpu_millis": RESOURCE_TASK.format(spec='gpu="500m"'),
    "name_newline": NAMED_TASK,
}
TASKS = "rb_odd/tasks.py"
EXPECTED: dict[str, list[Expected]] = {
    "nested_15": [],
    "nested_40": [
        E("CT125", TASKS, _deep_def_line(40), task="rb_odd.tasks.deep", says="100 levels")
    ],
    "nested_400": [
        E("CT125", TASKS, _deep_def_line(400), task="rb_odd.tasks.deep", says="100 levels")
    ],
    "mem_bare_4": [E("CT127", TASKS, 4, param="resource 'mem'", says="is 4 bytes")],
    "gpu_half": [E("CT126", TASKS, 4, param="resource 'gpu'", says="not a whole number")],
    "gpu_millis": [E("CT126", TASKS, 4, param="resource 'gpu'", says="'500m'")],
    "name_newline": [E("CT128", TASKS, 3, says="control character '\\n'")],
}


def _package(source: str):
    def setup(work: Path) -> None:
        (work / "rb_odd").mkdir()
        (work / "rb_odd" / "__init__.py").write_text("", encoding="utf-8")
        (work / "rb_odd" / "tasks.py").write_text(source, encoding="utf-8")

    return setup


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, good_bundle: Path) -> dict[str, Outcome]:
    scenarios = {
        f"{name}-j{jobs}": Scenario(
            args=compile_args(["rb_odd"], "out", "--jobs", jobs), setup=_package(source)
        )
        for name, source in SOURCES.items()
        for jobs in ("1", "2")
    }
    return run_scenarios(scenarios, tmp_path_factory.mktemp("odd"), good_bundle)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_odd_declaration(name: str, jobs: str, outcomes: dict[str, Outcome]) -> None:
    outcome, expected = outcomes[f"{name}-j{jobs}"], EXPECTED[name]
    stderr = outcome.done.stderr
    assert_no_traceback(stderr)
    assert "internal error" not in stderr
    if not expected:
        assert outcome.done.returncode == 0, stderr
        check_bundle(outcome.work / "out")
        return
    assert outcome.done.returncode == 3, stderr
    assert_errors(stderr, expected)
    assert outcome.after == outcome.before
