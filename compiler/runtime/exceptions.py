"""Re-export of the user-facing failure markers; they live in the SDK so tasks can import them
from ``compiler`` (see :mod:`compiler.sdk.exceptions`)."""

from compiler.sdk import FlyteRecoverableException, RecoverableError, is_recoverable

__all__ = ["FlyteRecoverableException", "RecoverableError", "is_recoverable"]
