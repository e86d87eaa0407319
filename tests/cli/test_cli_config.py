"""Configuration merging: pyproject < compile-tasks.yaml < flags; typed values; errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.cli.config import CompileConfig, load_config
from compiler.errors import (
    BundleError,
    CompileErrors,
    ConfigError,
    DiscoveryError,
    ExitCode,
    OutputDirError,
    PackagePathError,
)
from compiler.pyproject import find_pyproject
from compiler.settings import ImageConfig, SerializationSettings


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_no_files_no_flags(tmp_path: Path) -> None:
    assert load_config({}, config_file=None, cwd=tmp_path) == CompileConfig()


def test_precedence_and_merging(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "pyproject.toml",
        '[tool.compile-tasks]\nimage = ["r/app:1", "gpu=r/gpu:1"]\nenv = ["A=1", "B=2"]\n'
        "allow-pickle = true\nimport_timeout = 5\n",
    )
    _write(tmp_path, "compile-tasks.yaml", "image: r/app:2\nenv: {B: 3}\nsource_root: src\n")
    config = load_config(
        {"image": ["tools=r/tools:9"], "env": {"C": "4"}, "project": "p", "paths": ["x"]},
        config_file=None,
        cwd=tmp_path,
    )
    assert config == CompileConfig(
        paths=("x",),
        images=("r/app:2", "gpu=r/gpu:1", "tools=r/tools:9"),
        env={"A": "1", "B": "3", "C": "4"},
        project="p",
        allow_pickle=True,
        import_timeout=5.0,
        source_root=str(tmp_path / "src"),
        sources=(str(tmp_path / "pyproject.toml"), str(tmp_path / "compile-tasks.yaml")),
    )
    assert config.settings() == SerializationSettings(
        image_config=ImageConfig(
            default_image="r/app:2", images={"gpu": "r/gpu:1", "tools": "r/tools:9"}
        ),
        env={"A": "1", "B": "3", "C": "4"},
        project="p",
        allow_pickle=True,
    )


def test_explicit_config_file_and_nearest_pyproject(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", '[tool.compile-tasks]\ndomain = "dev"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_pyproject(nested) == tmp_path / "pyproject.toml"
    cfg = _write(tmp_path, "other.yaml", "out: ../bundle\npaths: pkg\n")
    config = load_config({}, config_file=str(cfg), cwd=nested)
    assert (config.domain, config.out, config.paths) == (
        "dev",
        str(tmp_path / ".." / "bundle"),
        (str(tmp_path / "pkg"),),
    )


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("imgae: x\n", "CT810", "unknown configuration key 'imgae'"),
        (
            "import_timeout: -1\n",
            "CT811",
            "'import_timeout' must be a positive number of seconds, at most 86400",
        ),
        (
            "import_timeout: 9223372037.0\n",
            "CT811",
            "'import_timeout' must be a positive number of seconds, at most 86400",
        ),
        ("allow_pickle: 'yes'\n", "CT811", "'allow_pickle' must be true or false"),
        ("env: [NOEQUALS]\n", "CT811", "'env' must be a mapping of variable name to value"),
        ("- a\n- b\n", "CT812", "config file must hold a mapping of settings"),
        (
            "a: [\n",
            "CT812",
            "config file is not valid YAML: expected the node content, but found '<stream end>'",
        ),
    ],
)
def test_bad_yaml_config(tmp_path: Path, text: str, code: str, message: str) -> None:
    _write(tmp_path, "compile-tasks.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config({}, config_file=None, cwd=tmp_path)
    assert (info.value.code, info.value.message) == (code, message)
    assert info.value.location is not None
    assert info.value.location.file == str(tmp_path / "compile-tasks.yaml")


def test_missing_config_file_and_bad_pyproject(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as missing:
        load_config({}, config_file=str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert missing.value.code == "CT812"
    _write(tmp_path, "pyproject.toml", "[tool\n")
    with pytest.raises(ConfigError) as bad:
        load_config({}, config_file=None, cwd=tmp_path)
    assert bad.value.code == "CT813"


def _exit(*errors: Exception) -> int:
    return CompileErrors(errors).exit_code  # type: ignore[arg-type]


def test_exit_codes() -> None:
    assert _exit(ConfigError("x")) is ExitCode.USAGE
    assert _exit(PackagePathError("x", code="CT401")) is ExitCode.USAGE
    assert _exit(OutputDirError("x", code="CT502")) is ExitCode.USAGE
    assert _exit(OutputDirError("x", code="CT501"), DiscoveryError("y", code="CT402")) is (
        ExitCode.COMPILE
    )
    assert _exit(DiscoveryError("x", code="CT405")) is ExitCode.COMPILE
    assert _exit(BundleError("x", code="CT507")) is ExitCode.COMPILE
    assert _exit() is ExitCode.COMPILE
    assert ConfigError("x").exit_code == PackagePathError("x").exit_code == ExitCode.USAGE


def test_files_that_are_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "compile-tasks.yaml").write_bytes(b"image: \xff\n")
    with pytest.raises(ConfigError) as yaml_err:
        load_config({}, config_file=None, cwd=tmp_path)
    assert (yaml_err.value.code, yaml_err.value.message) == (
        "CT812",
        "config file is not UTF-8 text: invalid start byte at byte 7",
    )
    (tmp_path / "compile-tasks.yaml").unlink()
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.compile-tasks]\nimage = "\xff"\n')
    with pytest.raises(ConfigError) as toml_err:
        load_config({}, config_file=None, cwd=tmp_path)
    assert toml_err.value.code == "CT813"


def test_local_cache_setting_is_accepted_and_validated(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.compile-tasks]\nlocal_cache = ".cache/tasks"\n')
    assert load_config({}, config_file=None, cwd=tmp_path).paths == ()
    pyproject.write_text("[tool.compile-tasks]\nlocal_cache = 3\n")
    with pytest.raises(ConfigError) as info:
        load_config({}, config_file=None, cwd=tmp_path)
    assert info.value.code == "CT790"


def test_every_problem_of_every_file_is_raised_together(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", '[tool.compile-tasks]\njobs = "two"\nimgae = "x"\n')
    _write(tmp_path, "compile-tasks.yaml", "allow_pickle: maybe\nimport_timeout: -1\n")
    with pytest.raises(CompileErrors) as info:
        load_config({}, config_file=None, cwd=tmp_path)
    found = sorted((error.code, Path(error.location.file).name) for error in info.value.errors)
    assert found == [
        ("CT810", "pyproject.toml"),
        ("CT811", "compile-tasks.yaml"),
        ("CT811", "compile-tasks.yaml"),
        ("CT811", "pyproject.toml"),
    ]
    assert info.value.exit_code == ExitCode.USAGE


def test_golden_is_a_path_relative_to_its_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    _write(tmp_path / "conf", "ct.yaml", "golden: ../golden\n")
    config = load_config({}, config_file=str(tmp_path / "conf" / "ct.yaml"), cwd=tmp_path)
    assert config.golden == str(tmp_path / "conf" / ".." / "golden")
    assert config.to_dict()["golden"] == config.golden


def test_every_bad_image_spec_is_raised_together(tmp_path: Path) -> None:
    with pytest.raises(CompileErrors) as info:
        load_config({"image": ["gpu=", "r/x:1", "r/y:2", "tpu="]}, config_file=None, cwd=tmp_path)
    assert sorted(error.code for error in info.value.errors) == ["CT801", "CT801", "CT802"]
