"""Exceptions a task may raise to tell the runtime how to report a failure.

``raise FlyteRecoverableException("database busy")`` (or any exception with a true
``recoverable`` attribute) makes the ``error.pb`` kind ``RECOVERABLE``, so Flyte retries the task
within its ``retries`` budget. Every other user exception is ``NON_RECOVERABLE``. The name is
flytekit's (``flytekit.exceptions.user.FlyteRecoverableException``) so ported code only changes
its import; a flytekit-derived class with that name is recognised too.
"""

from __future__ import annotations

__all__ = ["FlyteRecoverableException", "RecoverableError", "is_recoverable"]


class FlyteRecoverableException(Exception):
    """A user error worth retrying (a flaky network, a busy service, ...)."""

    recoverable = True


RecoverableError = FlyteRecoverableException


def is_recoverable(exc: BaseException) -> bool:
    """Whether ``exc`` is marked recoverable (our class, a same-named class, or the attribute)."""
    if getattr(exc, "recoverable", False) is True:
        return True
    return any(k.__name__ == "FlyteRecoverableException" for k in type(exc).__mro__)
