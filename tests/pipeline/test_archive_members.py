"""``Compilation.archive_members``: an archive-only worker's loop gives what the general path gives.

The general path serializes each entity into a bundle entity (``Compilation.entities``), writes
it (``write_entities``, the writer's archive-only branch) and records a compiled entity; a
worker then encodes the members and the records. The one loop must give the same members
(file names, places and the side file's bytes), the same records and the same errors, in the
same order.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from compiler.bundle import EntityWriter, write_entities
from compiler.discovery import discover
from compiler.errors import CompileErrors
from compiler.pipeline.compilation import Compilation, compiled_row
from compiler.pipeline.kinds import default_handlers
from compiler.pipeline.workers import _encode_compiled, _encode_member
from compiler.settings import ImageConfig, SerializationSettings

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "cases" / "mini"
SETTINGS = SerializationSettings(
    image_config=ImageConfig.from_specs(
        ["registry.example.com/team/app:2.0", "gpu=registry.example.com/team/gpu:1.4"]
    )
)


def _both_ways(paths: list[Path], root: Path, tmp: Path) -> dict[str, Any]:
    """Each path's members, records, errors and side file, compiled both ways."""
    found = discover(paths, source_root=root)
    out: dict[str, Any] = {}
    try:
        for way in ("general", "one_loop"):
            folder = tmp / way
            folder.mkdir()
            compilation = Compilation(found, SETTINGS, default_handlers(), renderings=False)
            members: list[Any] = []
            rows: dict[str, Any] = {}
            errors: list[str] = []
            with EntityWriter(folder, None, None, 0, False, None, defer=True) as writer:
                try:
                    if way == "one_loop":
                        members, rows = compilation.archive_members(writer)
                    else:
                        written = write_entities(writer, compilation.entities())
                        members = [_encode_member(entry) for entry in written]
                        rows = {c.file: _encode_compiled(c) for c in compilation.compiled.values()}
                except CompileErrors as exc:
                    errors = [error.render() for error in exc.errors]
            out[way] = {
                "members": [list(member) for member in members],
                "rows": {file: list(row) for file, row in rows.items()},
                "errors": errors,
                "side_file": (folder / ".pb-0.bin").read_bytes().hex(),
            }
    finally:
        found.close()
    return out


def _examples(tmp: str) -> None:
    """Print (JSON) both ways for ``examples/``: in a fresh interpreter, so that what the
    examples import does not stay loaded in the test process."""
    print(json.dumps(_both_ways([ROOT / "examples"], ROOT, Path(tmp))))


def test_the_examples_give_the_same_members_records_and_side_file(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tests.pipeline.test_archive_members import _examples; "
            "_examples(sys.argv[1])",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    both = json.loads(run.stdout.splitlines()[-1])
    assert both["general"]["errors"] == []
    assert len(both["general"]["members"]) == 136  # tasks, workflows and launch plans
    assert both["one_loop"] == both["general"]


BROKEN = """
from compiler import LaunchPlan, task, workflow


@task
def ok(x: int) -> int:
    return x


@task(container_image="{{.image.missing.fqn}}:1")
def unknown_image(x: int) -> int:
    return x


@workflow
def flow(x: int = 1) -> int:
    return ok(x=x)


bad_name = LaunchPlan.get_or_create(flow, name="team/nightly")
"""


def test_problems_come_the_same_in_the_same_order(tmp_path: Path) -> None:
    """A task whose image is not configured (a serialization problem) and a launch plan
    whose name cannot be a file name (CT503): the same errors, serialization first."""
    package = tmp_path / "src" / "brokenpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text(textwrap.dedent(BROKEN))
    both = _both_ways([package], tmp_path / "src", tmp_path)
    errors = both["general"]["errors"]
    assert [error.split(" error ")[1][:5] for error in errors] == ["CT302", "CT503"], errors
    assert both["one_loop"] == both["general"]


def test_the_loop_refuses_a_compile_that_renders_or_records() -> None:
    found = discover([MINI], source_root=MINI)
    try:
        compilation = Compilation(found, SETTINGS, default_handlers(), renderings=True)
        with pytest.raises(ValueError, match="renders and records nothing"):
            compilation.archive_members(None)  # type: ignore[arg-type]
    finally:
        found.close()


def test_a_compiled_row_is_the_compiled_entity_encoded(tmp_path: Path) -> None:
    from compiler.pipeline.compilation import _compiled_entity

    found = discover([MINI], source_root=MINI)
    try:
        assert found.entities
        for item in found.entities:
            row = compiled_row(item, "f.pb")
            assert row == _encode_compiled(_compiled_entity(item, "f.pb"))
    finally:
        found.close()
