"""``error.pb`` documents: origin, code, kind and the user's traceback."""

from __future__ import annotations

import pytest
from flyteidl.core import errors_pb2

from compiler.context import storage
from compiler.errors import ExecutionError
from compiler.runtime.exceptions import FlyteRecoverableException, is_recoverable
from compiler.runtime.failure import SYSTEM, USER, error_document, origin_of, user_traceback


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def _raised_by_ours() -> BaseException:
    try:
        storage.read_bytes("/definitely/not/here.pb")
    except OSError as exc:
        return exc
    raise AssertionError("expected an OSError")


def test_user_exception_is_user_and_non_recoverable() -> None:
    exc = _raised(ValueError("bad value"))
    doc = error_document(exc, origin_of(exc))
    assert (doc.error.code, doc.error.origin, doc.error.kind) == (
        "USER:ValueError",
        USER,
        errors_pb2.ContainerError.NON_RECOVERABLE,
    )
    assert doc.error.message.startswith("Traceback (most recent call last):\n")
    assert doc.error.message.endswith("ValueError: bad value\n")
    assert doc.error.HasField("timestamp")


def test_our_errors_are_user_errors_and_our_frames_are_system() -> None:
    assert origin_of(_raised(ExecutionError("x", code="CT701"))) == USER
    assert origin_of(_raised_by_ours()) == SYSTEM


def test_recoverable_marker() -> None:
    class Busy(Exception):
        recoverable = True

    class FlyteRecoverableException(Exception):  # a ported flytekit class of the same name
        pass

    assert is_recoverable(Busy())
    assert is_recoverable(FlyteRecoverableException())
    assert not is_recoverable(ValueError())
    doc = error_document(_raised(Busy("later")), USER)
    assert doc.error.kind == errors_pb2.ContainerError.RECOVERABLE


def test_recoverable_class_of_ours() -> None:
    doc = error_document(_raised(FlyteRecoverableException("retry")), USER)
    assert (doc.error.code, doc.error.kind) == (
        "USER:FlyteRecoverableException",
        errors_pb2.ContainerError.RECOVERABLE,
    )


@pytest.mark.parametrize("keep", [False, True])
def test_traceback_hides_our_frames_for_users(keep: bool) -> None:
    text = user_traceback(_raised_by_ours(), keep_ours=keep)
    assert ("compiler/context/storage.py" in text) is keep
    assert "FileNotFoundError" in text


def test_exception_error_code_wins() -> None:
    class QuotaExceeded(Exception):
        error_code = "USER:Quota"

    assert error_document(_raised(QuotaExceeded()), USER).error.code == "USER:Quota"


def test_system_errors_are_recoverable() -> None:
    doc = error_document(_raised_by_ours(), SYSTEM)
    assert (doc.error.code, doc.error.kind, doc.error.origin) == (
        "SYSTEM:FileNotFoundError",
        errors_pb2.ContainerError.RECOVERABLE,
        SYSTEM,
    )
