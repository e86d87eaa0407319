"""A previous bundle is not trusted: reuse verifies what it links, or the folder is rebuilt.

The bundle in ``out/`` (compiled with ``--render``) is edited after it was written (a ``.pb``
or a ``yaml/`` rendering changed in place with its size kept, a rendering forged together with
the manifest's digest of it, the archive replaced, the manifest given wrong types or absurd
nesting), then the same package is compiled again with unchanged settings, so every file would
be reused. The new bundle must be complete and self-consistent (each manifest sha256 matches
its file) and byte-identical to one written with ``--rebuild``; never an internal error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from robust_helpers import (
    CASES,
    assert_no_traceback,
    check_bundle,
    compile_args,
    leftovers,
    run_cli,
    snapshot,
)

COUNT = "00_rb_good.orders.count_1.pb"
RENDERING = "yaml/00_rb_good.orders.count_1.yaml"


def _flip_a_byte(out: Path) -> None:
    path = out / COUNT
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


def _rendering_edited(out: Path) -> None:
    path = out / RENDERING
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("count", "cnt_x", 1), encoding="utf-8")  # same size


def _rendering_forged(out: Path) -> None:
    """The rendering replaced, and the manifest's digest updated to vouch for it."""
    forged = b"template:\n  id:\n    name: not.what.was.compiled\n"
    (out / RENDERING).write_bytes(forged)
    path = out / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entity in data["entities"]:
        if entity.get("yaml") == RENDERING:
            entity["yaml_sha256"] = hashlib.sha256(forged).hexdigest()
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _other_archive(out: Path) -> None:
    (out / "bundle.tgz").write_bytes(gzip.compress(b"\0" * 10240, mtime=0))


def _manifest(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(out: Path) -> None:
        path = out / "manifest.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return edit


def _nested(out: Path) -> None:
    text = (out / "manifest.json").read_text(encoding="utf-8")
    head = text.index('"entities"')
    bomb = "[" * 100_000 + "]" * 100_000
    (out / "manifest.json").write_text(f'{text[:head]}"entities": {bomb}}}\n', encoding="utf-8")


def _wrong_entity_types(data: dict) -> None:
    for entity in data["entities"]:
        entity["sha256"], entity["file"] = 5, ["x"]


EDITS: dict[str, Callable[[Path], None]] = {
    "pb_edited_same_size": _flip_a_byte,
    "rendering_edited_same_size": _rendering_edited,
    "rendering_forged_with_its_digest": _rendering_forged,
    "archive_replaced": _other_archive,
    "entities_not_a_list": _manifest(lambda d: d.update(entities="00_x_1.pb")),
    "entities_wrong_types": _manifest(_wrong_entity_types),
    "archive_record_wrong_types": _manifest(lambda d: d.update(archive=["bundle.tgz", 3])),
    "sha256_lies": _manifest(lambda d: d["entities"][0].update(sha256="0" * 64)),
    "deeply_nested_manifest": _nested,
}


@pytest.fixture(scope="module")
def rebuilt(good_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The good package compiled with ``--rebuild`` (the bytes every case must end with)."""
    work = tmp_path_factory.mktemp("rebuilt")
    shutil.copytree(CASES / "good", work, dirs_exist_ok=True)
    done = run_cli(compile_args(["rb_good"], "out", "--rebuild", "--render"), work)
    assert done.returncode == 0, done.stderr
    return snapshot(work / "out")


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", sorted(EDITS))
def test_edited_previous_bundle_is_not_trusted(
    name: str, jobs: str, tmp_path: Path, good_bundle: Path, rebuilt: dict[str, str]
) -> None:
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    shutil.copytree(good_bundle, tmp_path / "out")
    EDITS[name](tmp_path / "out")
    done = run_cli(compile_args(["rb_good"], "out", "--render", "--jobs", jobs), tmp_path)
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stderr)
    check_bundle(tmp_path / "out")
    assert snapshot(tmp_path / "out") == rebuilt
    assert leftovers(tmp_path, ["out", "rb_good"]) == []
