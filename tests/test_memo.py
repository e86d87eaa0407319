"""The registry of memo caches (compiler/memo.py): every cache is named, listed and cleared.

The compile's memos sit in many layers (proto metadata bytes, interface and description bytes,
YAML scalars, docstrings, the type engines); tests and long-lived processes rely on
``clear_all`` reaching every one of them, so a cache made outside the registry would keep
state that ``clear_all`` cannot see.
"""

from __future__ import annotations

import ast
import importlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

import compiler.cli.main  # imports every layer, so every module-level memo exists
import compiler.sdk.docstring  # noqa: F401  # imported lazily by the compile
from compiler import memo
from compiler.proto import build_task_container
from compiler.proto import metadata as proto_metadata
from compiler.render import yaml_text
from compiler.serialize import description, interface

COMPILER = Path(memo.__file__).resolve().parent

#: The module-level memos of the compile, by registered name: ``(module, function)`` (the type
#: engines add their own, one set per engine, under ``types.engineN.*``).
MODULE_MEMOS = {
    "proto.container_bytes": ("compiler.proto.container", "_container_bytes"),
    "proto.metadata_bytes": ("compiler.proto.metadata", "_metadata_bytes"),
    "render.yaml_scalar": ("compiler.render.yaml_text", "_scalar_str"),
    "serialize.description_bytes": ("compiler.serialize.description", "_description_bytes"),
    "serialize.interface_bytes": ("compiler.serialize.interface", "_interface_bytes"),
    "sdk.docstring": ("compiler.sdk.docstring", "_parse_text"),
}


def _sizes() -> dict[str, int]:
    """How many values each module memo holds (looked up now: a test may import a module
    again, as the lazy docstring import test does)."""
    return {
        name: getattr(importlib.import_module(module), func).cache_info().currsize
        for name, (module, func) in MODULE_MEMOS.items()
    }


def test_registered_lists_every_module_memo_sorted():
    names = memo.registered()
    assert names == sorted(names)
    assert set(MODULE_MEMOS) <= set(names)
    for expected in (
        "render.field_order",
        "types.annotation_code",
        "sdk.docstring_module",
    ):
        assert expected in names


def test_names_are_unique():
    name = "tests.memo.unique"
    memo.Memo(name)
    with pytest.raises(ValueError, match="already registered"):
        memo.Memo(name)
    with pytest.raises(ValueError, match="already registered"):
        memo.cached(name)(lambda value: value)
    assert memo.registered().count(name) == 1


def test_a_module_run_again_takes_its_names_over():
    """Re-running a module's code (reload, lazy import after ``sys.modules.pop``) is allowed."""
    source = (
        "from compiler.memo import cached\n"
        "@cached('tests.memo.rerun', maxsize=None)\n"
        "def square(x):\n"
        "    return x * x\n"
    )
    first: dict[str, object] = {"__name__": "tests_memo_rerun"}
    second: dict[str, object] = {"__name__": "tests_memo_rerun"}
    exec(compile(source, "<rerun>", "exec"), first)
    exec(compile(source, "<rerun>", "exec"), second)  # the same module and function again
    assert memo.registered().count("tests.memo.rerun") == 1
    assert second["square"](3) == 9  # type: ignore[operator]
    memo.clear_all()
    assert second["square"].cache_info().currsize == 0  # type: ignore[attr-defined]


def test_clear_all_empties_every_registered_memo():
    # Warm each module memo, and one Memo of our own.
    proto_metadata.build_task_metadata(proto_metadata.MetadataSpec(retries=2))
    yaml_text.dump_yaml({"key": "value: with colon"})
    description.build_description(SimpleNamespace(short_description="s", long_description="l"))
    importlib.import_module("compiler.sdk.docstring").parse_docstring("Doc.\n\n:param x: the x.\n")
    own: memo.Memo[str, int] = memo.Memo("tests.memo.clear_all")
    own.put("a", 1)
    interface._interface_bytes((), ())
    build_task_container("img", {}, {}, {}, [])
    assert all(size > 0 for size in _sizes().values())
    assert len(own) == 1

    memo.clear_all()

    assert _sizes() == dict.fromkeys(MODULE_MEMOS, 0)
    assert len(own) == 0
    assert "a" not in own


def test_a_cached_function_runs_once_per_key():
    calls: list[tuple[int, str]] = []

    @memo.cached("tests.memo.once_per_key", maxsize=None)
    def double(number: int, label: str) -> str:
        calls.append((number, label))
        return label * number

    assert [double(2, "a"), double(2, "a"), double(3, "a"), double(2, "a")] == [
        "aa",
        "aa",
        "aaa",
        "aa",
    ]
    assert calls == [(2, "a"), (3, "a")]
    memo.clear_all()
    assert double(2, "a") == "aa"
    assert calls == [(2, "a"), (3, "a"), (2, "a")]


def test_memo_get_put_and_contains():
    store: memo.Memo[tuple[str, int], str] = memo.Memo("tests.memo.get_put")
    assert store.get(("k", 1)) is None
    assert ("k", 1) not in store
    assert store.put(("k", 1), "v") == "v"
    assert store.get(("k", 1)) == "v"
    assert ("k", 1) in store
    store.clear()
    assert len(store) == 0


def test_metadata_spec_is_its_own_memo_key():
    """Specs of equal content are equal and hash alike; other scalar types make other keys."""
    one = proto_metadata.MetadataSpec(retries=1, labels={"a": "b"}, timeout=timedelta(seconds=3))
    same = proto_metadata.MetadataSpec(retries=1, labels={"a": "b"}, timeout=timedelta(seconds=3))
    assert one == same
    assert hash(one) == hash(same)
    assert proto_metadata.MetadataSpec(retries=1) != proto_metadata.MetadataSpec(retries=1.0)
    assert proto_metadata.MetadataSpec(interruptible=True) != proto_metadata.MetadataSpec(
        interruptible=1
    )
    labels = {"a": "b"}
    spec = proto_metadata.MetadataSpec(labels=labels)
    labels["c"] = "d"  # the spec holds its own read-only copy
    assert dict(spec.labels) == {"a": "b"}
    with pytest.raises(TypeError):
        spec.labels["c"] = "d"  # type: ignore[index]


#: ``functools`` caches that are not memos, by ``file:function``, with the reason.
NOT_MEMOS = {
    # The one shared engine (built-ins plus plugin transformers, built once): clearing it
    # would drop the transformers registered on it, so it is a lazy singleton, not a memo.
    "types/engine.py:default_engine",
}


def _caches_outside_memo(path: Path) -> list[str]:
    """``functools.cache`` / ``lru_cache`` decorated functions in ``path``, as ``file:name``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in {"cache", "lru_cache"}:
                found.append(f"{path.relative_to(COMPILER).as_posix()}:{node.name}")
    return found


def test_every_function_memo_is_registered():
    """No module of the compiler makes a ``functools`` cache of its own (only compiler/memo.py)."""
    found = [
        where
        for path in sorted(COMPILER.rglob("*.py"))
        if path.name != "memo.py"
        for where in _caches_outside_memo(path)
    ]
    assert [where for where in found if where not in NOT_MEMOS] == []
    assert set(found) >= NOT_MEMOS  # an exception without its cache is stale


def test_cached_attribute_computes_once_per_object_and_stores_in_the_instance():
    calls: list[int] = []

    class Box:
        def __init__(self, n: int) -> None:
            self.n = n

        @memo.cached_attribute
        def double(self) -> int:
            """Twice n."""
            calls.append(self.n)
            return self.n * 2

    first, second = Box(1), Box(2)
    assert (first.double, first.double, second.double) == (2, 2, 4)
    assert calls == [1, 2]  # once per object
    assert first.__dict__["double"] == 2
    assert isinstance(Box.double, memo.cached_attribute)
    assert Box.double.__doc__ == "Twice n."
    first.double = 7  # a plain attribute once set
    assert first.double == 7
    del first.double
    assert first.double == 2 and calls == [1, 2, 1]


def test_every_metadata_spec_field_is_part_of_its_key():
    """Changing any one field gives an unequal spec (the key is written out field by field)."""
    from dataclasses import fields

    changed = {
        "cache": True,
        "cache_version": "v1",
        "cache_serialize": True,
        "cache_ignore_input_vars": ("a",),
        "retries": 2,
        "timeout": timedelta(seconds=1),
        "interruptible": False,
        "deprecated": "old",
        "generates_deck": True,
        "pod_template_name": "pt",
        "labels": {"a": "b"},
        "annotations": {"a": "b"},
    }
    assert set(changed) == {f.name for f in fields(proto_metadata.MetadataSpec)}
    base = proto_metadata.MetadataSpec()
    for name, value in changed.items():
        assert proto_metadata.MetadataSpec(**{name: value}) != base, name
    # containers given as other types make the same key as their plain equivalents
    assert proto_metadata.MetadataSpec(cache_ignore_input_vars=["a"]) == (
        proto_metadata.MetadataSpec(cache_ignore_input_vars=("a",))
    )
