"""Worker count and the error round trip between workers and the parent."""

from __future__ import annotations

import os
from pathlib import Path

from compiler.discovery import DiscoveryPlan, plan_discovery
from compiler.errors import DefinitionError, SerializationError, SourceLocation
from compiler.pipeline.workers import _decode_error, _encode_error, auto_jobs


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
