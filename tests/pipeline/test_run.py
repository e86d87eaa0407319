"""compile_package / list_package: the library call the CLI makes, and the README's example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flyteidl.admin import task_pb2

from compiler.errors import CompileErrors, ExitCode, OutputDirError
from compiler.idl import EntityKind, TaskType
from compiler.pipeline import (
    CompiledEntity,
    CompileOptions,
    compile_package,
    is_archive_path,
    list_package,
)
from compiler.settings import ImageConfig, SerializationSettings

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
MINI = REPO / "tests" / "cases" / "mini"
DUPLICATES = REPO / "tests" / "cases" / "broken" / "duplicate_names"
IMAGE_SPECS = ["registry.example.com/team/app:2.0", "gpu=registry.example.com/team/gpu:1.4"]
SETTINGS = SerializationSettings(image_config=ImageConfig.from_specs(IMAGE_SPECS))


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Use from Python", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_example_writes_the_bundle_the_command_writes(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    example = subprocess.run(
        [sys.executable, "-c", _readme_example()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert example.returncode == 0, example.stderr
    images = [word for spec in IMAGE_SPECS for word in ("--image", spec)]
    command = [sys.executable, "-c", "from compiler.cli.main import main; main()"]
    cli = subprocess.run(
        [*command, "examples/", "--out", "cli/", "--quiet", *images],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    assert _tree(tmp_path / "bundle") == _tree(tmp_path / "cli")
    entities = json.loads((tmp_path / "cli" / "manifest.json").read_text())["entities"]
    first = example.stdout.splitlines()[0]
    assert first.startswith(f"{len(entities)} entities from ") and first.endswith(" modules")
    assert example.stdout.splitlines()[1].split()[:2] == [entities[0]["file"], "TASK"]


def test_result_is_typed_and_matches_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    result = compile_package([MINI], SETTINGS, out=out)
    assert result.out_dir == out
    assert result.manifest is not None
    manifest = result.manifest["entities"]
    assert result.files == [e["file"] for e in manifest] == sorted(result.files)
    assert [(e.name, e.file, e.source) for e in result.entities] == [
        (e["name"], e["file"], e["source"]) for e in manifest
    ]
    assert all(isinstance(e, CompiledEntity) for e in result.entities)
    assert {e.kind for e in result.entities} == {EntityKind.TASK}
    assert {e.task_type for e in result.entities} <= {t.value for t in TaskType}
    assert all(e.module.startswith("mini") for e in result.entities)
    assert result.modules and all(m.startswith("mini") for m in result.modules)


def test_listing_writes_nothing_and_describes_the_same_entities(tmp_path: Path) -> None:
    written = compile_package([MINI], SETTINGS, out=tmp_path / "bundle")
    listing = list_package([MINI], SETTINGS)
    assert (listing.out_dir, listing.files, listing.manifest) == (None, [], None)
    assert listing.entities == written.entities
    assert listing.modules == written.modules
    assert compile_package([MINI], SETTINGS) == listing  # no out: a listing


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_give_the_same_result(tmp_path: Path, jobs: int) -> None:
    one = compile_package([EXAMPLES], SETTINGS, out=tmp_path / "one")
    many = compile_package(
        [EXAMPLES], SETTINGS, out=tmp_path / "many", options=CompileOptions(jobs=jobs)
    )
    assert many.entities == one.entities
    assert many.modules == one.modules
    assert _tree(tmp_path / "many") == _tree(tmp_path / "one")


@pytest.mark.parametrize("jobs", [1, 2])
def test_problems_are_raised_with_their_exit_code(tmp_path: Path, jobs: int) -> None:
    with pytest.raises(CompileErrors) as info:
        compile_package(
            [DUPLICATES], SETTINGS, out=tmp_path / "b", options=CompileOptions(jobs=jobs)
        )
    assert [e.code for e in info.value.errors] == ["CT405"]
    assert info.value.exit_code == ExitCode.COMPILE
    assert not (tmp_path / "b").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputDirError) as refused:
        compile_package([MINI], SETTINGS, out=tmp_path / "file")
    assert (refused.value.code, refused.value.exit_code) == ("CT501", ExitCode.USAGE)


def test_progress_and_protect(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    options = CompileOptions(progress=lambda *step: seen.append(step))
    result = compile_package([MINI], SETTINGS, out=tmp_path / "bundle", options=options)
    total = len(result.entities)
    assert seen[-1] == ("compiling", total, total)
    assert ("importing", len(result.modules), len(result.modules)) in seen
    protected = CompileOptions(protect=(tmp_path / "bundle" / "inner",))
    with pytest.raises(OutputDirError) as info:
        compile_package([MINI], SETTINGS, out=tmp_path / "bundle", options=protected)
    assert info.value.code == "CT504"


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_archive_path_gets_the_archive_alone(tmp_path: Path, jobs: int) -> None:
    """``out="x.tgz"`` writes exactly the folder bundle's archive, and nothing beside it."""
    package = _archive_case(tmp_path)
    options = CompileOptions(jobs=jobs)
    folder = compile_package([package], _ARCHIVE_SETTINGS, out=tmp_path / "dir", options=options)
    archive = tmp_path / "out" / "bundle.tgz"
    result = compile_package([package], _ARCHIVE_SETTINGS, out=archive, options=options)
    assert result.archive == archive and result.out_dir is None and result.manifest is None
    assert result.files == folder.files and result.entities == folder.entities
    assert archive.read_bytes() == (tmp_path / "dir" / "bundle.tgz").read_bytes()
    assert sorted(p.name for p in archive.parent.iterdir()) == ["bundle.tgz"]
    assert is_archive_path(archive) and not is_archive_path(tmp_path / "dir")
    (tmp_path / "folder.tgz").mkdir()
    assert not is_archive_path(tmp_path / "folder.tgz")  # an existing folder keeps the layout


_ARCHIVE_SETTINGS = SerializationSettings(image_config=ImageConfig.from_specs(["img:1"]))


def _archive_case(tmp_path: Path) -> Path:
    package = tmp_path / "src" / "arch"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for index in range(3):
        (package / f"m{index}.py").write_text(
            f"from compiler import task\n\n\n@task\ndef t{index}(x: int) -> int:\n    return x\n"
        )
    return package


def test_without_fork_the_archive_and_the_renderings_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-process path (platforms without ``fork``) writes the same bytes."""
    package = _archive_case(tmp_path)
    options = CompileOptions(jobs=2, render=True)
    forked = tmp_path / "forked"
    compile_package([package], _ARCHIVE_SETTINGS, out=forked, options=options)
    compile_package([package], _ARCHIVE_SETTINGS, out=tmp_path / "f.tgz", options=options)
    monkeypatch.delattr(os, "fork")
    plain = tmp_path / "plain"
    compile_package([package], _ARCHIVE_SETTINGS, out=plain, options=options)
    result = compile_package([package], _ARCHIVE_SETTINGS, out=tmp_path / "p.tgz", options=options)
    assert result.archive == tmp_path / "p.tgz" and len(result.files) == 3
    assert (tmp_path / "p.tgz").read_bytes() == (tmp_path / "f.tgz").read_bytes()
    tree = {p.relative_to(forked).as_posix(): p.read_bytes() for p in forked.rglob("*.*")}
    again = {p.relative_to(plain).as_posix(): p.read_bytes() for p in plain.rglob("*.*")}
    assert tree == again and "yaml/00_arch.m0.t0_1.yaml" in tree


def test_user_code_imports_with_the_collector_on_and_hooks_serialize_with_it_off(
    tmp_path: Path,
) -> None:
    """A worker pauses cyclic garbage collection only once the user's code has imported."""
    package = tmp_path / "gcprobe"
    package.mkdir()
    (package / "__init__.py").touch()
    probe = """
        import gc
        from dataclasses import dataclass
        from compiler import PythonFunctionTask, task
        from compiler.sdk.plugins import TaskPlugins

        assert gc.isenabled(), "imported with the collector off"

        @dataclass
        class ProbeConfig:
            pass

        class Probe(PythonFunctionTask[ProbeConfig]):
            def get_custom(self, settings):
                return {"collector": "on" if gc.isenabled() else "off"}

        TaskPlugins.register_pythontask_plugin(ProbeConfig, Probe)

        @task(task_config=ProbeConfig())
        def probe() -> int:
            return 1
    """
    (package / "tasks.py").write_text(textwrap.dedent(probe))
    out = tmp_path / "bundle"
    result = compile_package([package], SETTINGS, out=out, options=CompileOptions(jobs=1))
    spec = task_pb2.TaskSpec.FromString((out / result.entities[0].file).read_bytes())
    assert dict(spec.template.custom) == {"collector": "off"}


@pytest.mark.parametrize("enabled", [True, False])
def test_a_compile_gives_the_caller_its_collector_back_as_it_was(
    tmp_path: Path, enabled: bool
) -> None:
    """The parent holds the collector while it joins its workers; a library call returns it."""
    import gc

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        for out in (tmp_path / "bundle", tmp_path / "bundle.tgz"):
            compile_package([MINI], SETTINGS, out=out, options=CompileOptions(jobs=2))
            assert gc.isenabled() is enabled
            assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_plan_of_the_same_paths_is_used_and_another_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """``CompileOptions.plan`` spares listing the paths again, only when it lists them."""
    from compiler.discovery import plan, plan_discovery

    given = plan_discovery([str(EXAMPLES)])
    listed: list[tuple[str, ...]] = []
    original = plan.gather_sources

    def counting(paths, source_root):  # type: ignore[no-untyped-def]
        listed.append(tuple(str(p) for p in paths))
        return original(paths, source_root)

    monkeypatch.setattr(plan, "gather_sources", counting)
    same = CompileOptions(jobs=jobs, plan=given)
    result = compile_package([EXAMPLES], SETTINGS, out=tmp_path / "same", options=same)
    assert listed == []
    assert result.modules == [source.name for source in given.sources]

    other = CompileOptions(jobs=jobs, plan=plan_discovery([str(MINI)]))
    listed.clear()
    again = compile_package([EXAMPLES], SETTINGS, out=tmp_path / "other", options=other)
    assert listed == [(str(EXAMPLES),)]
    assert again.entities == result.entities
    assert _tree(tmp_path / "other") == _tree(tmp_path / "same")


def test_a_failed_archive_compile_stops_the_archive_it_had_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive starts as soon as every share's entries are in, before the problems are
    checked: a compile that then fails stops its threads, leaves the old archive as it was
    and nothing beside it."""
    import threading

    from compiler.bundle import PendingArchive

    aborted: list[PendingArchive] = []
    original = PendingArchive.abort

    def abort(self: PendingArchive) -> None:
        aborted.append(self)
        original(self)

    monkeypatch.setattr(PendingArchive, "abort", abort)
    out = tmp_path / "out" / "bundle.tgz"
    compile_package([MINI], SETTINGS, out=out, options=CompileOptions(jobs=2))
    old = out.read_bytes()
    assert not aborted
    with pytest.raises(CompileErrors) as info:
        compile_package([DUPLICATES], SETTINGS, out=out, options=CompileOptions(jobs=2))
    assert info.value.exit_code == ExitCode.COMPILE
    assert len(aborted) == 1  # the duplicates are found after the archive started
    assert not [t for t in threading.enumerate() if t.name.startswith("archive-")]
    assert out.read_bytes() == old
    assert sorted(p.name for p in out.parent.iterdir()) == ["bundle.tgz"]
