"""ImageSpec: flytekit's tag, computed without Docker or the network (checked against flytekit)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from compiler import CopyFileDetection, ImageSpec, task
from compiler.errors import DefinitionError, SerializationError
from compiler.sdk import image_uri
from compiler.serialize import serialize_task
from compiler.settings import SerializationSettings
from tests.oracle.regenerate import find_pyflyte

SPECS: list[dict[str, Any]] = [
    {},
    {"name": "Shop", "registry": "ghcr.io/acme", "packages": ["pandas==2.2.2"], "env": {"A": "1"}},
    {"name": "x", "tag_format": "{spec_hash}-dev", "apt_packages": ["git"], "commands": ["ls"]},
    {
        "name": "p",
        "platform": "linux/arm64",
        "cuda": "12.1",
        "cudnn": "8",
        "python_version": "3.12",
    },
    {"name": "b", "base_image": {"name": "base", "registry": "localhost:30000", "packages": ["a"]}},
    {"name": "s", "pip_secret_mounts": [["a", "b"]], "runtime_packages": ["q"], "builder": "x"},
    {"name": "r", "requirements": "req.txt", "registry_config": "c.json", "pip_index": "https://i"},
    {"name": "c", "copy": ["data"], "source_copy_mode": "NO_COPY", "builder_options": {"k": 1}},
    {"name": "e", "entrypoint": [], "pip_extra_index_url": ["https://x"], "pip_extra_args": "-q"},
    {"name": "n", "conda_packages": ["numpy"], "conda_channels": ["conda-forge"]},
    {"name": "q", "python_exec": "/usr/bin/python3", "builder_config": {"uv": "img"}},
]

_FLYTEKIT = """
import json, sys
from flytekit import ImageSpec
from flytekit.constants import CopyFileDetection
out = []
for kw in json.loads(sys.argv[1]):
    if "source_copy_mode" in kw:
        kw["source_copy_mode"] = CopyFileDetection[kw["source_copy_mode"]]
    if isinstance(kw.get("base_image"), dict):
        kw["base_image"] = ImageSpec(**kw["base_image"])
    if "pip_secret_mounts" in kw:
        kw["pip_secret_mounts"] = [tuple(p) for p in kw["pip_secret_mounts"]]
    spec = ImageSpec(**kw)
    out.append([spec.id, spec.image_name()])
print(json.dumps(out))
"""


def _ours(kw: dict[str, Any]) -> ImageSpec:
    kw = dict(kw)
    if "source_copy_mode" in kw:
        kw["source_copy_mode"] = CopyFileDetection[kw["source_copy_mode"]]
    if isinstance(kw.get("base_image"), dict):
        kw["base_image"] = ImageSpec(**kw["base_image"])
    if "pip_secret_mounts" in kw:
        kw["pip_secret_mounts"] = [tuple(p) for p in kw["pip_secret_mounts"]]
    return ImageSpec(**kw)


def _files(root: Path) -> None:
    (root / "req.txt").write_text("pandas==2.2.2\nnumpy\n\n")
    (root / "data").mkdir()
    (root / "data" / "a.csv").write_text("x,y\n1,2\n")
    (root / "data" / "b.txt").write_text("hello")


@pytest.mark.oracle
def test_tags_equal_flytekit(tmp_path: Path) -> None:
    pyflyte = find_pyflyte()
    if pyflyte is None or not Path(pyflyte).with_name("python").exists():
        pytest.skip("no flytekit venv")
    _files(tmp_path)
    python = str(Path(pyflyte).with_name("python"))
    done = subprocess.run(
        [python, "-c", _FLYTEKIT, json.dumps(SPECS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(done.stdout)
    for kw, (their_id, their_name) in zip(SPECS, theirs, strict=True):
        spec = _ours(kw)
        assert spec.id == their_id, kw
        assert image_uri(spec, tmp_path) == their_name, kw


def test_tag_is_deterministic_and_follows_file_contents(tmp_path: Path) -> None:
    _files(tmp_path)
    spec = ImageSpec(name="r", requirements="req.txt")
    first = image_uri(spec, tmp_path)
    assert image_uri(spec, tmp_path) == first
    (tmp_path / "req.txt").write_text("pandas==2.2.3\n")
    assert image_uri(spec, tmp_path) != first


def test_task_image_is_the_spec_name_with_runtime_packages_env() -> None:
    spec = ImageSpec(name="app", registry="ghcr.io/acme", runtime_packages=["polars", "rich"])

    @task(container_image=spec)
    def f(x: int) -> int:
        return x

    container = serialize_task(f, SerializationSettings.for_image("a/b:1")).template.container
    assert container.image == spec.image_name()
    assert {e.key: e.value for e in container.env}["_F_RUNTIME_PACKAGES"] == "polars rich"


def test_noop_builder_runs_the_base_image() -> None:
    assert ImageSpec(builder="noop", base_image="python:3.11").image_name() == "python:3.11"
    with pytest.raises(SerializationError) as err:
        ImageSpec(name="bare", builder="noop").image_name()
    assert err.value.code == "CT320"


def test_bad_fields_are_ct180() -> None:
    with pytest.raises(DefinitionError) as err:
        ImageSpec(registry="Not A Registry!")
    assert err.value.code == "CT180"
    with pytest.raises(DefinitionError) as err:
        ImageSpec(packages="pandas")  # type: ignore[arg-type]
    assert err.value.code == "CT180" and err.value.param == "packages"


def test_missing_requirements_file_is_ct320(tmp_path: Path) -> None:
    with pytest.raises(SerializationError) as err:
        image_uri(ImageSpec(name="m", requirements="nope.txt"), tmp_path)
    assert err.value.code == "CT320" and "nope.txt" in err.value.message


def test_with_helpers_copy_and_extend() -> None:
    base = ImageSpec(name="a", packages=["x"])
    more = base.with_packages("y").with_apt_packages(["git"]).with_commands("ls")
    assert base.packages == ["x"]
    assert more.packages == ["x", "y"] and more.apt_packages == ["git"] and more.commands == ["ls"]
    assert more.location == base.location
