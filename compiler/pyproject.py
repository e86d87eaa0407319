"""The ``[tool.compile-tasks]`` table of the nearest ``pyproject.toml``: found and read once here.

Two readers share it: the CLI's configuration (``compiler.cli.config``, which reports a broken
file as ``CT813``) and the local execution cache (``compiler.local_cache``, which ignores a
broken file: a task call must not fail because of the project's packaging metadata).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from compiler.errors import ConfigError, SourceLocation

__all__ = ["PYPROJECT_NAME", "TOOL_TABLE", "find_pyproject", "read_tool_table"]

PYPROJECT_NAME = "pyproject.toml"
#: The table under ``[tool]`` that holds our settings.
TOOL_TABLE = "compile-tasks"


def find_pyproject(start: str | os.PathLike[str]) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or one of its parents.

    ``start`` is made absolute first, so that a relative folder is searched up to the root of
    the file system (``Path("a").parents`` would stop at ``.``).
    """
    folder = Path(os.path.abspath(start))
    for candidate_dir in (folder, *folder.parents):
        candidate = candidate_dir / PYPROJECT_NAME
        if candidate.is_file():
            return candidate
    return None


def _not_a_table(path: Path, what: str) -> ConfigError:
    return ConfigError(
        f"{what} must be a table",
        code="CT813",
        hint="write [tool.compile-tasks] followed by key = value lines",
        location=SourceLocation(str(path)),
    )


def read_tool_table(path: Path) -> dict[str, Any]:
    """The ``[tool.compile-tasks]`` table of ``path`` (empty when there is none).

    Raises:
        ConfigError: CT813 when the file cannot be read or parsed, or ``tool`` /
            ``tool.compile-tasks`` is not a table.
    """
    import tomllib  # only where a pyproject.toml is found

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"cannot read '{path}': {exc}",
            code="CT813",
            hint="fix pyproject.toml or remove its [tool.compile-tasks] table",
            location=SourceLocation(str(path)),
        ) from exc
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise _not_a_table(path, "[tool]")
    table = tool.get(TOOL_TABLE, {})
    if not isinstance(table, dict):
        raise _not_a_table(path, "[tool.compile-tasks]")
    return table
