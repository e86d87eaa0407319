"""``flytekit.models.common``: the launch plan option values."""

from compiler.workflow import Annotations, AuthRole, Labels, RawOutputDataConfig

__all__ = ["Annotations", "AuthRole", "Labels", "RawOutputDataConfig"]
