"""The sqlite local cache: keys, hits, configuration, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest
from flyteidl.core import literals_pb2

from compiler.errors import ConfigError
from compiler.local_cache import (
    CacheConfig,
    CacheMode,
    LocalCache,
    cache_key,
    get_cache,
    load_config,
)


def _int(value: int) -> literals_pb2.Literal:
    return literals_pb2.Literal(
        scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(integer=value))
    )


def _map(**values: int) -> literals_pb2.LiteralMap:
    return literals_pb2.LiteralMap(literals={k: _int(v) for k, v in values.items()})


def test_key_is_deterministic_and_ignores_map_order() -> None:
    a = literals_pb2.LiteralMap()
    for name in ("x", "y", "z"):
        a.literals[name].CopyFrom(_int(len(name)))
    b = literals_pb2.LiteralMap()
    for name in ("z", "y", "x"):
        b.literals[name].CopyFrom(_int(len(name)))
    assert cache_key("t", "v1", a) == cache_key("t", "v1", b)
    assert len(cache_key("t", "v1", a)) == 64


def test_key_depends_on_name_version_and_kept_inputs_only() -> None:
    base = cache_key("t", "v1", _map(x=1, trace=5), ["trace"])
    assert base == cache_key("t", "v1", _map(x=1, trace=6), ["trace"])
    assert base == cache_key("t", "v1", _map(x=1), ["trace"])
    assert base != cache_key("t", "v1", _map(x=2, trace=5), ["trace"])
    assert base != cache_key("t", "v2", _map(x=1, trace=5), ["trace"])
    assert base != cache_key("u", "v1", _map(x=1, trace=5), ["trace"])
    assert cache_key("ab", "c", _map()) != cache_key("a", "bc", _map())


def test_get_put_roundtrip_and_overwrite(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c")
    assert cache.get("k") is None
    cache.put("k", _map(o0=1))
    assert cache.get("k") == _map(o0=1)
    cache.put("k", _map(o0=2))
    assert cache.get("k") == _map(o0=2)
    assert len(cache) == 1
    assert LocalCache(tmp_path / "c", overwrite=True).get("k") is None
    assert cache.clear() == 1 and len(cache) == 0


def test_env_configuration(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert load_config(env, tmp_path) == CacheConfig(tmp_path / "xdg" / "compile-tasks")
    env["COMPILE_TASKS_CACHE_DIR"] = str(tmp_path / "moved")
    cache = get_cache(env, tmp_path)
    assert cache is not None and cache.directory == tmp_path / "moved" and not cache.overwrite
    assert get_cache({**env, "COMPILE_TASKS_CACHE": "off"}, tmp_path) is None
    over = get_cache({**env, "COMPILE_TASKS_CACHE": "OVERWRITE"}, tmp_path)
    assert over is not None and over.overwrite
    with pytest.raises(ConfigError) as info:
        get_cache({"COMPILE_TASKS_CACHE": "sometimes"}, tmp_path)
    assert info.value.code == "CT790"


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("local_cache = false", CacheConfig(Path("D"), CacheMode.OFF)),
        ('local_cache = ".cache/tasks"', CacheConfig(Path("ROOT/.cache/tasks"))),
        (
            '[tool.compile-tasks.local_cache]\ndir = "c"\nmode = "overwrite"',
            CacheConfig(Path("ROOT/c"), CacheMode.OVERWRITE),
        ),
        (
            "[tool.compile-tasks.local_cache]\nenabled = false",
            CacheConfig(Path("D"), CacheMode.OFF),
        ),
    ],
)
def test_pyproject_configuration(tmp_path: Path, table: str, expected: CacheConfig) -> None:
    header = "" if table.startswith("[") else "[tool.compile-tasks]\n"
    (tmp_path / "pyproject.toml").write_text(header + table + "\n")
    (tmp_path / "pkg").mkdir()
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    got = load_config(env, tmp_path / "pkg")  # found from a subdirectory
    default = tmp_path / "xdg" / "compile-tasks"
    want_dir = str(expected.directory).replace("ROOT", str(tmp_path))
    want = CacheConfig(default if want_dir == "D" else Path(want_dir), expected.mode)
    assert got == want
    # the environment wins over the file
    assert load_config({**env, "COMPILE_TASKS_CACHE": "on"}, tmp_path).mode is CacheMode.ON


def test_bad_pyproject_value_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.compile-tasks]\nlocal_cache = 3\n")
    with pytest.raises(ConfigError) as info:
        load_config({}, tmp_path)
    assert info.value.code == "CT790"


def _writer(directory: str, worker: int, count: int) -> None:
    cache = LocalCache(Path(directory))
    for i in range(count):
        cache.put(f"{worker}-{i}", _map(o0=i))
        cache.put("shared", _map(o0=worker))
        assert cache.get(f"{worker}-{i}") == _map(o0=i)


def test_concurrent_writers_from_two_processes(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, 40)) for w in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    cache = LocalCache(tmp_path)
    assert len(cache) == 81
    assert cache.get("shared") in (_map(o0=0), _map(o0=1))
