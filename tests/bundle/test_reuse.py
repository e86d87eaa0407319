"""Recompiles hard-link unchanged files of the previous bundle; the bytes never differ."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from flyteidl.admin import task_pb2
from google.protobuf.message import Message

from compiler.bundle import BundleEntity, write_bundle
from compiler.errors import SourceLocation
from compiler.idl import EntityKind

RENDERED: list[str] = []


def _spec(name: str, image: str = "img:1") -> task_pb2.TaskSpec:
    spec = task_pb2.TaskSpec()
    spec.template.id.resource_type = 1
    spec.template.id.name = name
    spec.template.container.image = image
    return spec


def _render(message: Message, facts: Mapping[str, Any]) -> str:
    RENDERED.append(message.template.id.name)
    return f"{message.template.container.image}\n{json.dumps(dict(facts), sort_keys=True)}\n"


def _entity(name: str, image: str = "img:1", key: str | None = "k1") -> BundleEntity:
    return BundleEntity(
        name=name,
        kind=EntityKind.TASK,
        message=_spec(name, image),
        source=SourceLocation("shop/orders.py", 3),
        facts={"key": key},
    )


def _write(out: Path, *entities: BundleEntity, reuse: bool = True) -> None:
    RENDERED.clear()
    write_bundle(out, list(entities), render=_render, settings={}, reuse=reuse)


def _inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _fresh(tmp_path: Path, *entities: BundleEntity) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    _write(fresh, *entities)
    return _tree(fresh)


def test_an_unchanged_recompile_links_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"), _entity("b"))
    before = _inodes(out)
    _write(out, _entity("a"), _entity("b"))
    assert RENDERED == ["a", "b"]  # always rendered: only identical bytes are linked
    after = _inodes(out)
    assert {k for k in after if after[k] == before.get(k)} == {
        "00_a_1.pb",
        "00_b_1.pb",
        "yaml/00_a_1.yaml",
        "yaml/00_b_1.yaml",
        "bundle.tgz",
    }
    assert _tree(out) == _fresh(tmp_path, _entity("a"), _entity("b"))
    assert not list(tmp_path.glob(".out.*"))  # no temporary folder left beside


def test_only_changed_files_are_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"), _entity("b"))
    before = _inodes(out)
    _write(out, _entity("a"), _entity("b", image="img:2"), _entity("c"))
    assert RENDERED == ["a", "b", "c"]
    after = _inodes(out)
    linked = {k for k in after if after[k] == before.get(k)}
    assert linked == {"00_a_1.pb", "yaml/00_a_1.yaml"}  # the archive changed too
    assert _tree(out) == _fresh(tmp_path, _entity("a"), _entity("b", image="img:2"), _entity("c"))


def test_new_rendering_facts_write_the_rendering_but_keep_the_pb(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"))
    before = _inodes(out)
    _write(out, _entity("a", key="k2"))
    after = _inodes(out)
    assert after["00_a_1.pb"] == before["00_a_1.pb"]
    assert after["bundle.tgz"] == before["bundle.tgz"]
    assert after["yaml/00_a_1.yaml"] != before["yaml/00_a_1.yaml"]
    assert _tree(out) == _fresh(tmp_path, _entity("a", key="k2"))


def test_removing_an_entity_rebuilds_the_archive(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"), _entity("b"))
    before = _inodes(out)
    _write(out, _entity("a"))
    assert _inodes(out)["bundle.tgz"] != before["bundle.tgz"]
    assert _tree(out) == _fresh(tmp_path, _entity("a"))


def test_rebuild_writes_everything_anew(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"))
    before = _inodes(out)
    _write(out, _entity("a"), reuse=False)
    assert RENDERED == ["a"]
    after = _inodes(out)
    assert not {k for k in after if after[k] == before.get(k)}


def test_files_edited_in_the_old_bundle_are_not_trusted_blindly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"), _entity("b"))
    expected = _tree(out)
    (out / "00_a_1.pb").write_bytes(b"shorter")  # another size than the manifest's bytes
    (out / "00_b_1.pb").unlink()
    (out / "00_b_1.pb").symlink_to(out / "bundle.tgz")  # not a regular file
    _write(out, _entity("a"), _entity("b"))
    assert _tree(out) == expected
    assert not (out / "00_b_1.pb").is_symlink()


def test_another_compiler_version_reuses_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["compiler_version"] = "0.0.0-other"
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = _inodes(out)
    _write(out, _entity("a"))
    after = _inodes(out)
    assert not {k for k in after if after[k] == before.get(k)}


def test_manifest_paths_are_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("do not copy\n")
    out = tmp_path / "out"
    _write(out, _entity("a"))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["entities"][0]["yaml"] = "../secret.yaml"
    manifest["archive"]["file"] = "../secret.yaml"
    (out / "manifest.json").write_text(json.dumps(manifest))
    _write(out, _entity("a"))
    assert _tree(out) == _fresh(tmp_path, _entity("a"))


def test_a_file_system_without_hard_links_falls_back_to_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"), _entity("b"))
    calls = []

    def no_links(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    _write(out, _entity("a"), _entity("b"))
    assert len(calls) == 1  # the first refusal turns linking off for the rest
    assert _tree(out) == _fresh(tmp_path, _entity("a"), _entity("b"))


def test_a_reused_archive_record_is_rebuilt_not_copied(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["archive"]["extra"] = "not ours"
    (out / "manifest.json").write_text(json.dumps(manifest))
    _write(out, _entity("a"))
    assert _tree(out) == _fresh(tmp_path, _entity("a"))
    manifest["archive"]["tar_sha256"] = "../../etc"
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = _inodes(out)
    _write(out, _entity("a"))
    assert _inodes(out)["bundle.tgz"] != before["bundle.tgz"]  # a record we cannot vouch for
    assert _tree(out) == _fresh(tmp_path, _entity("a"))


def test_a_rendering_edited_in_place_is_written_anew(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"), _entity("b"))
    expected = _tree(out)
    rendering = out / "yaml" / "00_a_1.yaml"
    original = rendering.read_bytes()
    rendering.write_bytes(original.replace(b"img:1", b"img:X"))  # same size, other bytes
    before = _inodes(out)
    _write(out, _entity("a"), _entity("b"))
    after = _inodes(out)
    assert after["00_a_1.pb"] == before["00_a_1.pb"]  # the .pb verifies and is linked
    assert after["yaml/00_a_1.yaml"] != before["yaml/00_a_1.yaml"]  # the rendering is not
    assert after["yaml/00_b_1.yaml"] == before["yaml/00_b_1.yaml"]
    assert _tree(out) == expected


def test_a_manifest_that_vouches_for_an_edited_rendering_is_not_believed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _entity("a"))
    expected = _tree(out)
    forged = b"forged: true\n"
    (out / "yaml" / "00_a_1.yaml").write_bytes(forged)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["entities"][0]["yaml_sha256"] = hashlib.sha256(forged).hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest))
    _write(out, _entity("a"))
    assert _tree(out) == expected


def test_renderings_are_written_only_when_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_bundle(out, [_entity("a")], render=None, settings={})
    assert sorted(_tree(out)) == ["00_a_1.pb", "bundle.tgz", "manifest.json"]
    (entry,) = json.loads((out / "manifest.json").read_text())["entities"]
    assert sorted(entry) == ["file", "kind", "name", "sha256", "source"]
    _write(out, _entity("a"))  # asking again renders (nothing to reuse) and links the .pb
    assert RENDERED == ["a"]
    assert _tree(out) == _fresh(tmp_path, _entity("a"))
