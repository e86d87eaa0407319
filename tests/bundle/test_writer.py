"""write_bundle: exact layout and manifest; atomic replacement; refusals."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from flyteidl.admin import task_pb2
from google.protobuf.message import Message

from compiler.bundle import BundleEntity, read_archive, write_bundle
from compiler.errors import BundleError, CompileErrors, SerializationError, SourceLocation
from compiler.idl import EntityKind


def _spec(name: str) -> task_pb2.TaskSpec:
    spec = task_pb2.TaskSpec()
    spec.template.id.resource_type = 1
    spec.template.id.name = name
    spec.template.type = "python-task"
    spec.template.custom.update({"b": 1, "a": 2})  # a map: deterministic bytes matter
    return spec


def _render(message: Message, facts: Mapping[str, Any]) -> str:
    return f"{message.template.id.name}\n{json.dumps(dict(facts), sort_keys=True)}\n"


def _entities(*names: str) -> list[BundleEntity]:
    return [
        BundleEntity(
            name=n,
            kind=EntityKind.TASK,
            message=_spec(n),
            source=SourceLocation("shop/orders.py", 3),
            facts={"source": "shop/orders.py:3"},
        )
        for n in names
    ]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _write(out: Path, *names: str, **kwargs: Any):
    return write_bundle(out, _entities(*names), render=_render, settings={"image": "i:1"}, **kwargs)


def test_layout_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _write(out, "shop.b", "shop.a")
    assert result.files == ["00_shop.a_1.pb", "00_shop.b_1.pb"]
    tree = _tree(out)
    assert sorted(tree) == [
        "00_shop.a_1.pb",
        "00_shop.b_1.pb",
        "bundle.tgz",
        "manifest.json",
        "yaml/00_shop.a_1.yaml",
        "yaml/00_shop.b_1.yaml",
    ]
    pb_a = _spec("shop.a").SerializeToString(deterministic=True)
    assert tree["00_shop.a_1.pb"] == pb_a
    assert tree["yaml/00_shop.a_1.yaml"] == b'shop.a\n{"source": "shop/orders.py:3"}\n'
    assert read_archive(out / "bundle.tgz") == {
        "00_shop.a_1.pb": pb_a,
        "00_shop.b_1.pb": tree["00_shop.b_1.pb"],
    }
    manifest = json.loads(tree["manifest.json"])
    assert manifest["entities"][0] == {
        "name": "shop.a",
        "kind": "task",
        "file": "00_shop.a_1.pb",
        "sha256": hashlib.sha256(pb_a).hexdigest(),
        "source": "shop/orders.py:3",
        "yaml": "yaml/00_shop.a_1.yaml",
        "yaml_sha256": hashlib.sha256(tree["yaml/00_shop.a_1.yaml"]).hexdigest(),
    }
    assert list(manifest) == [
        "generator",
        "format_version",
        "compiler_version",
        "settings",
        "archive",
        "entities",
    ]
    assert manifest["settings"] == {"image": "i:1"}
    assert manifest["archive"]["file"] == "bundle.tgz"
    assert manifest["archive"]["members"] == 2
    assert list(tmp_path.iterdir()) == [out]  # no temporary folders left beside it


def test_adding_a_task_renames_nothing_and_replaces_the_bundle(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, "a", "c")
    before = _tree(out)
    _write(out, "a", "b", "c")
    after = _tree(out)
    assert before["00_a_1.pb"] == after["00_a_1.pb"]
    assert before["00_c_1.pb"] == after["00_c_1.pb"]
    assert "00_b_1.pb" in after
    _write(out, "a")
    assert sorted(p.name for p in out.glob("*.pb")) == ["00_a_1.pb"]


def test_refusals_leave_everything_untouched(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("keep")
    with pytest.raises(BundleError) as is_file:
        _write(a_file, "a")
    assert is_file.value.code == "CT501"
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(BundleError) as refused:
        _write(foreign, "a")
    assert refused.value.code == "CT502"
    assert _tree(foreign) == {"thesis.tex": b"precious"}
    with pytest.raises(BundleError) as contains:
        _write(tmp_path, "a", force=True, protect=[foreign / "thesis.tex"])
    assert contains.value.code == "CT504"
    _write(foreign, "a", force=True)
    assert "thesis.tex" not in _tree(foreign)
    assert a_file.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "home"]


def test_bad_and_duplicate_names_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, "a")
    before = _tree(out)
    with pytest.raises(CompileErrors) as info:
        _write(out, "a/b", ".x", "dup", "dup")
    assert [e.code for e in info.value.errors] == ["CT503", "CT503", "CT506"]
    assert _tree(out) == before


def test_name_problems_and_the_producers_problems_are_reported_together(tmp_path: Path) -> None:
    out = tmp_path / "out"

    def entities():
        yield from _entities("ok", "a/b")
        raise CompileErrors([SerializationError("no image", code="CT302")])

    with pytest.raises(CompileErrors) as info:
        write_bundle(out, entities(), render=_render, settings={})
    assert sorted(e.code for e in info.value.errors) == ["CT302", "CT503"]
    assert not out.exists()


def test_failure_while_building_keeps_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, "a")
    before = _tree(out)

    def failing(message: Message, facts: Mapping[str, Any]) -> str:
        raise RuntimeError("renderer broke")

    with pytest.raises(RuntimeError):
        write_bundle(out, _entities("a", "b"), render=failing, settings={})
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_sigterm_and_sigint_while_writing_leave_nothing_partial(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, "a")
    before = _tree(out)
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path[:0] = {sys.path!r}
        from test_writer import _entities
        from compiler.bundle import write_bundle

        def slow(message, facts):
            print("writing", flush=True)
            time.sleep(30)
            return ""

        write_bundle({str(out)!r}, _entities("a", "b"), render=slow, settings={{}})
        """
    )
    for sig in (signal.SIGTERM, signal.SIGINT):
        proc = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=Path(__file__).parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"writing\n"
        assert len(list(tmp_path.iterdir())) == 2  # the temporary folder exists meanwhile
        proc.send_signal(sig)
        proc.wait(timeout=20)
        assert proc.returncode != 0
        assert _tree(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_two_concurrent_writers_never_mix(tmp_path: Path) -> None:
    out = tmp_path / "out"
    script = textwrap.dedent(
        """
        import sys, time
        from test_writer import _entities
        from compiler.bundle import write_bundle

        def slow(message, facts):
            time.sleep(0.02)
            return message.template.id.name + "\\n"

        names = sys.argv[1].split(",")
        write_bundle(sys.argv[2], _entities(*names), render=slow, settings={})
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, names, str(out)], env=env)
        for names in ("a,b,c,d,e", "v,w,x,y,z")
    ]
    assert [p.wait(timeout=30) for p in procs] == [0, 0]
    names = sorted(p.name for p in out.glob("*.pb"))
    assert names in (
        [f"00_{n}_1.pb" for n in "abcde"],
        [f"00_{n}_1.pb" for n in "vwxyz"],
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["file"] for e in manifest["entities"]] == names
    assert sorted(read_archive(out / "bundle.tgz")) == names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_out_that_is_a_link_to_a_bundle_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    _write(real, "a")
    link = tmp_path / "link"
    link.symlink_to(real)
    _write(link, "b")
    assert link.is_symlink()
    assert sorted(p.name for p in real.glob("*.pb")) == ["00_b_1.pb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_side_files_read_any_member_through_the_window(tmp_path: Path, monkeypatch: Any) -> None:
    """Members come back whatever the order they are asked in, larger than the window too."""
    import contextlib
    import random

    from compiler.bundle import writer as writer_module

    monkeypatch.setattr(writer_module, "_WINDOW_BYTES", 64)
    members = [bytes([i]) * size for i, size in enumerate([10, 100, 1, 63, 64, 65, 200, 7])]
    blobs = []
    with open(tmp_path / writer_module._blob_name(3), "wb") as side:
        for data in members:
            blobs.append((3, side.tell(), len(data)))
            side.write(data)
    order = list(range(len(members))) * 2
    random.Random(7).shuffle(order)
    with contextlib.ExitStack() as stack:
        side_files = writer_module._SideFiles(tmp_path, stack)
        for index in sorted(order[:5]) + order:
            assert side_files.read(*blobs[index]) == members[index]
        part, offset, size = blobs[-1]
        assert side_files.read(part, offset, size + 10) == members[-1]  # short at the end


def test_an_archive_alone_without_a_cache_skips_the_manifest_work(tmp_path: Path) -> None:
    """No manifest is written, so no digest or entry text is made; the archive is the same."""
    from compiler.bundle import ArchiveMember, EntityWriter, finish_archive, write_entities

    names = ("shop.b", "shop.a", "shop.c")
    entries = {}
    for label, keep in (("alone", None), ("cached", lambda *laid_out: None)):
        folder = tmp_path / label
        folder.mkdir()
        with EntityWriter(folder, None, loose=False, keep=keep) as writer:
            entries[label] = write_entities(writer, _entities(*names))
        finish_archive(folder, entries[label])
    assert {type(e) for e in entries["alone"]} == {ArchiveMember}  # no manifest fields at all
    assert [(e.file, e.blob) for e in entries["alone"]] == [
        (e.file, e.blob) for e in entries["cached"]
    ]
    assert all(e.sha256 and e.block for e in entries["cached"])
    alone = (tmp_path / "alone" / "bundle.tgz").read_bytes()
    assert alone == (tmp_path / "cached" / "bundle.tgz").read_bytes()
    folder = _write(tmp_path / "bundle", *names).out_dir
    assert alone == (folder / "bundle.tgz").read_bytes()
