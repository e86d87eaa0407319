"""Worker count and the error and entry round trips between workers and the parent."""

from __future__ import annotations

import dataclasses
import gc
import marshal
import os
import select
import time
from pathlib import Path
from typing import Any

import pytest

from compiler import lifetime
from compiler.bundle import ManifestEntry
from compiler.discovery import DiscoveryPlan, plan_discovery
from compiler.errors import DefinitionError, SerializationError, SourceLocation
from compiler.idl import EntityKind
from compiler.pipeline import workers
from compiler.pipeline.workers import (
    _Channel,
    _decode_entry,
    _decode_error,
    _encode_entry,
    _encode_error,
    _watch,
    _Watched,
    auto_jobs,
)


def _plan(tmp_path: Path, modules: int, size: int) -> DiscoveryPlan:
    package = tmp_path / f"pkg_{modules}_{size}"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for index in range(modules - 1):
        (package / f"m{index}.py").write_text("#" * size + "\n")
    return plan_discovery([package])


def test_auto_jobs(tmp_path: Path) -> None:
    small, large = _plan(tmp_path, 10, 100), _plan(tmp_path, 100, 10_000)
    assert auto_jobs(3, small) == 3
    assert auto_jobs(30, small) == 10  # at most one worker per module
    assert auto_jobs(0, small) == 1  # too small to be worth a second process
    assert auto_jobs(0, _plan(tmp_path, 2, 1_000_000)) == 1  # too few modules to share
    cores = len(os.sched_getaffinity(0))
    assert auto_jobs(0, large) == max(1, min(cores, 4))


def test_errors_survive_the_round_trip() -> None:
    original = SerializationError(
        "no image",
        code="CT302",
        hint="pass --image",
        location=SourceLocation("shop/a.py", 4),
        task="shop.a.f",
        param="x",
        param_kind="output",
    )
    copy = _decode_error(_encode_error(original))
    assert type(copy) is SerializationError
    assert copy.render() == original.render()
    assert (copy.code, copy.location, copy.task, copy.param, copy.param_kind) == (
        "CT302",
        SourceLocation("shop/a.py", 4),
        "shop.a.f",
        "x",
        "output",
    )
    plain = _decode_error(_encode_error(DefinitionError("bad", code="CT101")))
    assert (type(plain), plain.location, plain.render()) == (
        DefinitionError,
        None,
        "error CT101: bad",
    )


def test_manifest_entries_survive_the_round_trip() -> None:
    entry = ManifestEntry(
        name="shop.orders.ingest",
        kind=EntityKind.WORKFLOW,
        file="01_shop.orders.ingest_2.pb",
        sha256="ab" * 32,
        source="shop/orders.py:12",
        yaml="yaml/01_shop.orders.ingest_2.yaml",
        yaml_sha256="cd" * 32,
        blob=(1, 512, 1024),
        block='    {"name": "shop.orders.ingest"}',
        deferred=("01_shop.orders.ingest_2.pb",),
    )
    back = _decode_entry(marshal.loads(marshal.dumps(_encode_entry(entry))))
    assert back == entry
    assert hash(back) == hash(entry)
    assert type(back.kind) is EntityKind
    assert dataclasses.asdict(back) == dataclasses.asdict(entry)
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.name = "other"  # type: ignore[misc]


def _forked(closes_after: float, exits_after: float) -> _Watched:
    """A child that closes its end of the pipe, then ends a while later (as a large worker
    does: its pipe closes before the kernel has freed its memory and made it reapable)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        time.sleep(closes_after)
        os.close(write_end)
        time.sleep(exits_after)
        os._exit(0)
    os.close(write_end)
    os.set_blocking(read_end, False)
    return _Watched(0, pid, read_end)


def test_a_worker_whose_pipe_closed_is_polled_closely_until_it_can_be_reaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its share is decoded as soon as it ends, while the other still works: the watch must
    not wait on the other worker's pipe (100 ms a turn) meanwhile."""
    quick, slow = _forked(0.0, 0.3), _forked(0.8, 0.0)
    waits: list[float] = []
    real_select = select.select

    def recording(r: list[int], w: list[int], x: list[int], timeout: float) -> Any:
        if quick.eof and quick.status is None:
            waits.append(timeout)
        return real_select(r, w, x, timeout)

    monkeypatch.setattr(workers.select, "select", recording)
    try:
        _watch([quick, slow], None)
    finally:
        os.close(quick.fd)
        os.close(slow.fd)
    assert quick.status is not None and slow.status is not None
    assert waits, "the quick worker was reaped as soon as its pipe closed"
    assert max(waits) <= workers.EXIT_POLL_SECONDS


def test_a_worker_is_handed_over_once_its_result_is_written_before_it_has_ended() -> None:
    """The parent decodes a share while the worker's process is still being torn down."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        _Channel(write_end).send(("written",))
        time.sleep(0.3)  # a large process freeing its memory
        os._exit(0)
    os.close(write_end)
    os.set_blocking(read_end, False)
    watched = _Watched(0, pid, read_end)
    seen: list[int | None] = []
    try:
        _watch([watched], None, lambda w: seen.append(w.status))
    finally:
        os.close(read_end)
    assert seen == [None]  # handed over once, before the exit status was known
    assert watched.status is not None and os.waitstatus_to_exitcode(watched.status) == 0


@pytest.mark.parametrize("ends", [False, True])
def test_the_collector_is_given_back_unless_the_process_ends_with_its_command(
    ends: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lifetime, "_ENDS", [ends])
    monkeypatch.setattr(lifetime, "_DEFERRED", [])
    assert gc.isenabled()
    try:
        with workers._collector_held():
            assert not gc.isenabled()
            assert gc.get_freeze_count() > 0
        # The console script's process ends next: no unfreezing, no collection after it.
        assert gc.isenabled() is not ends
        assert (gc.get_freeze_count() > 0) is ends
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_process_that_lives_on_after_its_command_gets_the_collector_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lifetime, "_ENDS", [False])
    monkeypatch.setattr(lifetime, "_DEFERRED", [])
    lifetime.end_with_command()
    try:
        with workers._collector_held():
            pass
        assert not gc.isenabled()  # held: the process was to end with its command
        lifetime.lives_on()  # it goes on (the console script's entry called from Python)
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
        assert not lifetime.ends_with_command()
    finally:
        gc.unfreeze()
        gc.enable()


def _result_file(tmp_path: Path) -> Path:
    """A worker's result file as ``_work`` writes it: two entities, a warning-free share."""
    sites = [
        (int(EntityKind.TASK), "shop.a.t", "/src/shop/a.py", 4),
        (int(EntityKind.WORKFLOW), "shop.a.flow", "/src/shop/a.py", 9),
    ]
    entries = [("00_shop.a.t_1.pb", (0, 0, 1024)), ("01_shop.a.flow_2.pb", (0, 1024, 1536))]
    errors = [workers._encode_error(SerializationError("no image", code="CT302"))]
    task, flow = int(EntityKind.TASK), int(EntityKind.WORKFLOW)
    compiled = [
        ("shop.a.t", task, "00_shop.a.t_1.pb", "shop/a.py:4", "shop.a", "python-task"),
        ("shop.a.flow", flow, "01_shop.a.flow_2.pb", "shop/a.py:9", "shop.a", None),
    ]
    outcome = (sites, [], entries, errors, compiled, ["shop.b"], [("shop.c", "changed")])
    path = tmp_path / ".worker-0.result"
    path.write_bytes(marshal.dumps(outcome))
    return path


def test_a_share_decoded_entries_first_reports_what_a_whole_decoding_reports(
    tmp_path: Path,
) -> None:
    """The last share of an archive-only compile: its entries at once (the archive starts),
    the rest when the results are merged, the same as decoding it whole."""
    whole = workers._load_share(_result_file(tmp_path), False)
    assert not (tmp_path / ".worker-0.result").exists()
    first = workers._load_share(_result_file(tmp_path), False, rest=False)
    assert first.entries == whole.entries and type(first.rest) is tuple
    report, expected = workers._report_of(first), workers._report_of(whole)
    assert expected is whole.rest
    for name in ("sites", "import_errors", "compiled", "reused", "notes"):
        assert getattr(report, name) == getattr(expected, name)
    assert [e.render() for e in report.errors] == [e.render() for e in expected.errors]
    assert report.sites == [  # as sent: made into objects only for a duplicate's error
        (int(EntityKind.TASK), "shop.a.t", "/src/shop/a.py", 4),
        (int(EntityKind.WORKFLOW), "shop.a.flow", "/src/shop/a.py", 9),
    ]
    assert [e.kind for e in report.compiled] == [EntityKind.TASK, EntityKind.WORKFLOW]
    assert [e.code for e in report.errors] == ["CT302"]
    assert (report.reused, report.notes) == (["shop.b"], [("shop.c", "changed")])


def test_entity_sites_are_made_only_where_the_duplicate_check_reads_them() -> None:
    """Sites stay as the workers sent them; the check gets every one as an ``EntitySite``
    when two share a kind and name (both places named), else just one (something was found)."""
    task, workflow = int(EntityKind.TASK), int(EntityKind.WORKFLOW)
    unique = [(task, "a.t", "a.py", 3), (workflow, "a.t", "a.py", 9), (task, "b.t", "b.py", 4)]
    (only,) = workers._entity_sites(unique)
    assert (only.kind, only.name, only.location) == (
        EntityKind.TASK,
        "a.t",
        SourceLocation("a.py", 3),
    )
    alike = [*unique, (task, "a.t", "c.py", 7)]
    sites = workers._entity_sites(alike)
    assert [(s.kind, s.name, s.location.file) for s in sites] == [
        (EntityKind.TASK, "a.t", "a.py"),
        (EntityKind.WORKFLOW, "a.t", "a.py"),
        (EntityKind.TASK, "b.t", "b.py"),
        (EntityKind.TASK, "a.t", "c.py"),
    ]
    assert workers._entity_sites([]) == []
