"""Worker count and the error round trip between workers and the parent."""

from __future__ import annotations

from compiler.cli.parallel import _decode_error, _encode_error, auto_jobs
from compiler.errors import DefinitionError, SerializationError, SourceLocation


def test_auto_jobs() -> None:
    assert auto_jobs(3, 10) == 3
    assert auto_jobs(8, 2) == 2
    assert auto_jobs(0, 50) == 1  # too small to be worth a second process
    assert 1 <= auto_jobs(0, 5000) <= 4


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
