"""The on-disk cache of local task executions.

A task declared with ``cache=True`` that is called locally looks up its outputs here before it
runs, keyed by :func:`cache_key` (task name, cache version, inputs minus the ignored ones). The
store is one sqlite file: sqlite's own locking makes concurrent readers and writers from several
processes safe, and a row is written in one transaction, so a crash never leaves half an entry.

Configuration, strongest first:

* ``COMPILE_TASKS_CACHE=off`` disables the cache, ``COMPILE_TASKS_CACHE=overwrite`` recomputes
  every entry and overwrites it (``on`` or unset: normal use);
* ``COMPILE_TASKS_CACHE_DIR=/some/dir`` moves the cache directory;
* ``[tool.compile-tasks] local_cache`` in the nearest ``pyproject.toml``: ``false`` disables, a
  string is the directory, a table may give ``enabled``, ``dir`` and ``mode``;
* default directory: ``$XDG_CACHE_HOME/compile-tasks`` (``~/.cache/compile-tasks``).

This is runtime behaviour (a developer calling a task), not compilation, which is why it may read
the environment: compiling never touches the cache.
"""

from __future__ import annotations

import enum
import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flyteidl.core import literals_pb2

from compiler.errors import ConfigError
from compiler.pyproject import find_pyproject, read_tool_table
from compiler.records import frozen_record

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_MODE_ENV",
    "CacheConfig",
    "CacheMode",
    "LocalCache",
    "cache_key",
    "get_cache",
    "load_config",
    "parse_setting",
]

CACHE_DIR_ENV = "COMPILE_TASKS_CACHE_DIR"
CACHE_MODE_ENV = "COMPILE_TASKS_CACHE"
DB_FILE = "local-cache.sqlite3"
#: Bumped when the key recipe or the table layout changes, so old entries are never misread.
KEY_SCHEMA = "1"
_BUSY_TIMEOUT_S = 30.0
_UPSERT = "INSERT OR REPLACE INTO outputs (key, value) VALUES (?, ?)"


class CacheMode(enum.StrEnum):
    """How the cache is used."""

    ON = "on"
    OFF = "off"
    OVERWRITE = "overwrite"


@frozen_record
class CacheConfig:
    """Where the cache lives and how it is used."""

    directory: Path
    mode: CacheMode = CacheMode.ON


def cache_key(
    task_name: str,
    cache_version: str,
    inputs: literals_pb2.LiteralMap,
    ignored: Sequence[str] = (),
) -> str:
    """A stable hex key for one task call.

    Inputs named in ``ignored`` do not count. The inputs are serialized with
    ``deterministic=True`` so map order never changes the key.
    """
    kept = literals_pb2.LiteralMap()
    skip = set(ignored)
    for name, literal in inputs.literals.items():
        if name not in skip:
            kept.literals[name].CopyFrom(literal)
    digest = hashlib.sha256()
    for part in (KEY_SCHEMA, task_name, cache_version):
        encoded = part.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    digest.update(kept.SerializeToString(deterministic=True))
    return digest.hexdigest()


class LocalCache:
    """A sqlite-backed map from cache key to output ``LiteralMap``.

    Args:
        directory: Directory holding the database file; created on first use.
        overwrite: ``get`` always misses, so every call recomputes and ``put`` replaces.
    """

    def __init__(self, directory: Path, *, overwrite: bool = False) -> None:
        self.directory = Path(directory)
        self.overwrite = overwrite
        self.path = self.directory / DB_FILE

    def _connect(self) -> sqlite3.Connection:
        import sqlite3  # on first use: `import compiler` must not load the sqlite library

        self.directory.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS outputs (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
        )
        return conn

    def get(self, key: str) -> literals_pb2.LiteralMap | None:
        """The outputs stored under ``key``, or ``None`` (always ``None`` in overwrite mode)."""
        if self.overwrite:
            return None
        conn = self._connect()
        try:
            row = conn.execute("SELECT value FROM outputs WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
        if row is None:
            return None
        return literals_pb2.LiteralMap.FromString(row[0])

    def put(self, key: str, outputs: literals_pb2.LiteralMap) -> None:
        """Store ``outputs`` under ``key``, replacing any previous entry, in one transaction."""
        blob = outputs.SerializeToString(deterministic=True)
        conn = self._connect()
        try:
            with conn:
                conn.execute(_UPSERT, (key, blob))
        finally:
            conn.close()

    def clear(self) -> int:
        """Delete every entry; returns how many there were."""
        conn = self._connect()
        try:
            with conn:
                return conn.execute("DELETE FROM outputs").rowcount
        finally:
            conn.close()

    def __len__(self) -> int:
        conn = self._connect()
        try:
            return int(conn.execute("SELECT COUNT(*) FROM outputs").fetchone()[0])
        finally:
            conn.close()


def default_directory(env: Mapping[str, str]) -> Path:
    """``$XDG_CACHE_HOME/compile-tasks``, or ``~/.cache/compile-tasks``."""
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "compile-tasks"


def _parse_mode(value: Any, source: str) -> CacheMode:
    try:
        return CacheMode(str(value).strip().lower())
    except ValueError:
        raise ConfigError(
            f"{source}: unknown local cache mode {value!r}",
            code="CT790",
            hint="use one of: on, off, overwrite",
        ) from None


def parse_setting(value: Any, root: Path, source: str) -> tuple[Path | None, CacheMode | None]:
    if isinstance(value, bool):
        return None, CacheMode.ON if value else CacheMode.OFF
    if isinstance(value, str):
        return root / os.path.expanduser(value), None
    if not isinstance(value, dict):
        raise ConfigError(
            f"{source}: [tool.compile-tasks] local_cache must be a boolean, a path or a table",
            code="CT790",
            hint='write local_cache = false, local_cache = ".cache/tasks" or a table',
        )
    unknown = sorted(set(value) - {"enabled", "dir", "mode"})
    if unknown:
        raise ConfigError(
            f"{source}: unknown local_cache key(s) {', '.join(unknown)}",
            code="CT790",
            hint="known keys: enabled, dir, mode",
        )
    mode = _parse_mode(value["mode"], source) if "mode" in value else None
    if value.get("enabled") is False:
        mode = CacheMode.OFF
    directory = root / os.path.expanduser(str(value["dir"])) if "dir" in value else None
    return directory, mode


def load_config(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> CacheConfig:
    """Work out the cache configuration from the environment and the nearest pyproject.toml."""
    env = os.environ if env is None else env
    directory: Path | None = None
    mode: CacheMode | None = None
    pyproject = find_pyproject(Path.cwd() if cwd is None else cwd)
    if pyproject is not None:
        try:
            table = read_tool_table(pyproject)
        except ConfigError:
            table = {}  # a broken pyproject is the CLI's business; do not fail a task call
        if "local_cache" in table:
            directory, mode = parse_setting(table["local_cache"], pyproject.parent, str(pyproject))
    if env.get(CACHE_DIR_ENV):
        directory = Path(os.path.expanduser(env[CACHE_DIR_ENV]))
    if env.get(CACHE_MODE_ENV):
        mode = _parse_mode(env[CACHE_MODE_ENV], CACHE_MODE_ENV)
    return CacheConfig(directory or default_directory(env), mode or CacheMode.ON)


def get_cache(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> LocalCache | None:
    """The local cache as configured now, or ``None`` when it is disabled."""
    config = load_config(env, cwd)
    if config.mode is CacheMode.OFF:
        return None
    return LocalCache(config.directory, overwrite=config.mode is CacheMode.OVERWRITE)
