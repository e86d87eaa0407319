"""compile-tasks: author Flyte tasks and compile them into deterministic bundles."""

from compiler._version import __version__

__all__ = ["__version__"]
