"""ModuleCache: run keys, entries, validation and pruning (the CLI tests cover reuse end to end)."""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from pathlib import Path

from compiler.discovery import ModuleSource
from compiler.pipeline.cache import FORMAT, UNUSED_DAYS, ModuleCache, run_key

SETTINGS = {"image": "registry/app:1", "images": {}, "env": {}}


def _key(folder: Path, roots: list[Path], **changes: object) -> str:
    settings = {**SETTINGS, **changes}
    return run_key(folder, settings, repr(settings), False, roots)


def test_the_run_key_is_stable_and_changes_with_what_every_entry_shares(tmp_path: Path) -> None:
    roots = [tmp_path / "src"]
    first = _key(tmp_path / "cache", roots)
    assert _key(tmp_path / "cache", roots) == first
    assert (tmp_path / "cache" / "code-digest").is_file()  # compile-tasks' digest, memoised
    assert _key(tmp_path / "other-cache", roots) == first  # the folder is not part of it
    assert _key(tmp_path / "cache", roots, image="registry/app:2") != first
    assert _key(tmp_path / "cache", [tmp_path / "elsewhere"]) != first
    assert run_key(tmp_path / "cache", SETTINGS, repr(SETTINGS), True, roots) != first


def test_an_entry_is_reused_only_while_its_inputs_hold(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "src"
    (root / "pkg").mkdir(parents=True)
    module = root / "pkg" / "flows.py"
    module.write_text("A = 1\n")
    source = ModuleSource("pkg.flows", module, root)
    cache = ModuleCache(tmp_path / "cache", "k" * 32, [root])
    cache.prepare()
    digest = hashlib.sha256(module.read_bytes()).hexdigest()
    monkeypatch.setenv("CT_UNIT_FLAG", "on")
    inputs = [("env", "CT_UNIT_FLAG", "on"), ("file", str(module), digest)]
    entity = ("pkg.flows.t", 1, 0, "pkg/flows.py", 3, b"pb", None, ("s", "b", b"h"))
    payload = ([(1, "pkg.flows.t", str(module), 3)], [], [entity])
    entry = cache._entry(source)
    entry.write_bytes(marshal.dumps((FORMAT, source.name, str(module), inputs, payload)))

    hits, notes = cache.lookup([source])
    assert [hit.module for hit in hits] == ["pkg.flows"] and notes == {}
    assert hits[0].entities == [entity]

    monkeypatch.setenv("CT_UNIT_FLAG", "off")
    assert cache.lookup([source]) == (
        [],
        {"pkg.flows": "compiled again: environment variable CT_UNIT_FLAG changed"},
    )
    monkeypatch.setenv("CT_UNIT_FLAG", "on")
    module.write_text("A = 2\n")
    hits, notes = cache.lookup([source])
    assert not hits and notes["pkg.flows"].endswith("flows.py changed")

    entry.write_bytes(b"\x00garbage")
    assert cache.lookup([source]) == ([], {"pkg.flows": "compiled again: its entry cannot be read"})
    entry.unlink()
    assert cache.lookup([source]) == ([], {})  # no entry: a new module, nothing to say


def test_pruning_deletes_unused_run_keys_and_stale_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cache = ModuleCache(folder, "current", [tmp_path])
    cache.prepare()
    old, recent = folder / "v1" / "old", folder / "v1" / "recent"
    old.mkdir()
    recent.mkdir()
    long_ago = time.time() - (UNUSED_DAYS + 1) * 86400
    os.utime(old, (long_ago, long_ago))
    stale, fresh = cache.here / ".tmp-stale", cache.here / ".tmp-fresh"
    stale.write_bytes(b"")
    fresh.write_bytes(b"")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    cache.prune()
    assert sorted(p.name for p in (folder / "v1").iterdir()) == ["current", "recent"]
    assert sorted(p.name for p in cache.here.iterdir()) == [".tmp-fresh"]
    assert (folder / "CACHEDIR.TAG").is_file() and (folder / ".gitignore").read_text() == "*\n"
