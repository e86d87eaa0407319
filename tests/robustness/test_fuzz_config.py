"""Fuzzing the configuration files: random ``compile-tasks.yaml`` and ``[tool.compile-tasks]``.

``compile-tasks list rb_good`` (a dry run: nothing is written) runs in a folder whose config
file holds random keys and values, or random text. It must list the tasks (exit 0) or refuse
the configuration with a documented CT8xx/CT4xx usage error naming the file (exit 2); never an
internal error, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import CASES, IMAGE, assert_documented_errors, examples

from compiler.cli.main import cli

KEYS = [
    "paths",
    "out",
    "image",
    "images",
    "env",
    "project",
    "domain",
    "version",
    "allow_pickle",
    "allow-pickle",
    "import_timeout",
    "source_root",
    "imagez",
]

_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["rb_good", "a/b:1", "gpu=a/b:1", "gpu=", "", ".", "nothere", "x=1", "0"]),
    st.text(max_size=8),
)
_value = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


configs = st.dictionaries(st.sampled_from(KEYS), _value, max_size=4)


def _list_in(folder: Path) -> tuple[int, str]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(
            cli, ["list", "rb_good", "--image", IMAGE], catch_exceptions=True
        )
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr


def _check(code: int, stderr: str) -> None:
    assert code in (0, 2), (code, stderr)
    if code == 0:
        assert stderr == ""
        return
    if stderr.startswith("Usage:"):  # click's own usage errors (e.g. a bad value type)
        return
    codes = assert_documented_errors(stderr)
    assert "CT890" not in codes, stderr


def _workdir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="rb-config-"))
    shutil.copytree(CASES / "good", folder, dirs_exist_ok=True)
    return folder


FUZZ = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(config=configs)
def test_random_yaml_config(config: dict[str, Any]) -> None:
    folder = _workdir()
    try:
        (folder / "compile-tasks.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        _check(*_list_in(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@FUZZ
@given(text=st.text(max_size=60) | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
def test_random_yaml_text(text: str) -> None:
    folder = _workdir()
    try:
        (folder / "compile-tasks.yaml").write_text(text, encoding="utf-8")
        _check(*_list_in(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _toml_value(value: Any) -> str:
    """A TOML rendering of ``value`` (JSON is close enough for scalars and arrays)."""
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return json.dumps(value)


@FUZZ
@given(config=configs)
def test_random_pyproject_table(config: dict[str, Any]) -> None:
    folder = _workdir()
    try:
        body = "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in config.items())
        (folder / "pyproject.toml").write_text(f"[tool.compile-tasks]\n{body}", encoding="utf-8")
        _check(*_list_in(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _code_of(files: dict[str, str]) -> tuple[int, str]:
    folder = _workdir()
    try:
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return _list_in(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_empty_image_name_in_config_is_reported_as_a_bad_value() -> None:
    code, stderr = _code_of({"compile-tasks.yaml": "images:\n  '': null\n"})
    assert code == 2
    assert stderr.startswith("compile-tasks.yaml:1: error CT811: 'images'"), stderr


def test_yaml_reader_error_is_one_line() -> None:
    code, stderr = _code_of({"compile-tasks.yaml": "\x1f"})
    assert code == 2
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("compile-tasks.yaml"), stderr
    assert " error CT812: " in stderr, stderr
