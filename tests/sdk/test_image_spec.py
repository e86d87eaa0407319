"""ImageSpec: flytekit's tag, computed without Docker or the network (checked against flytekit)."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


_WORDS = ["pandas", "numpy==1.26.4", "torch>=2", "a-b_c", "x y", "ünï", "'q'", '"d"', "\\n"]


def _generated(count: int, seed: int = 17) -> list[dict[str, Any]]:
    """``count`` varied specs (deterministic): every field kind, odd strings, nesting."""
    rng = random.Random(seed)

    def words() -> list[str]:
        return rng.sample(_WORDS, rng.randint(0, 4))

    specs: list[dict[str, Any]] = []
    for index in range(count):
        kw: dict[str, Any] = {"name": rng.choice(["App", "svc", "a.b", f"img{index}"])}
        for field in ("packages", "apt_packages", "commands", "conda_packages", "entrypoint"):
            if rng.random() < 0.4:
                kw[field] = words()
        for field, values in (
            ("registry", ["ghcr.io/acme", "localhost:5000", "quay.io/a/b", "REG.io/X"]),
            ("python_version", ["3.10", "3.11", "3.12"]),
            ("platform", ["linux/amd64", "linux/arm64", "linux/amd64,linux/arm64"]),
            ("tag_format", ["{spec_hash}-dev", "v1-{spec_hash}"]),
            ("cuda", ["11.8", "12.1"]),
            ("pip_index", ["https://pypi.example.com/simple"]),
            ("pip_extra_args", ["--no-deps", "-q --pre"]),
            ("source_copy_mode", ["NO_COPY"]),
            ("base_image", ["python:3.11-slim", {"name": "base", "packages": ["attrs"]}]),
        ):
            if rng.random() < 0.3:
                kw[field] = rng.choice(values)
        if rng.random() < 0.3:
            kw["env"] = {w: rng.choice(_WORDS) for w in words()}
        if rng.random() < 0.2:
            kw["builder_options"] = {"n": rng.randint(0, 9), "flag": rng.random() < 0.5}
        if rng.random() < 0.2:
            kw["pip_secret_mounts"] = [["src", "/dst"]]
        if rng.random() < 0.2:
            kw["runtime_packages"] = words()
        specs.append(kw)
    return specs


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
@pytest.mark.parametrize("specs", [SPECS, _generated(300)], ids=["hand-written", "generated"])
def test_tags_equal_flytekit(tmp_path: Path, specs: list[dict[str, Any]]) -> None:
    pyflyte = find_pyflyte()
    if pyflyte is None or not Path(pyflyte).with_name("python").exists():
        pytest.skip("no flytekit venv")
    _files(tmp_path)
    python = str(Path(pyflyte).with_name("python"))
    done = subprocess.run(
        [python, "-c", _FLYTEKIT, json.dumps(specs)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(done.stdout)
    for kw, (their_id, their_name) in zip(specs, theirs, strict=True):
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


@settings(max_examples=60, deadline=None)
@given(
    name=st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
    packages=st.none() | st.lists(st.text(min_size=1, max_size=8), max_size=4),
    env=st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    tag_format=st.none() | st.just("{spec_hash}-x"),
)
def test_spec_round_trips_through_its_dict(
    name: str, packages: list[str] | None, env: dict[str, str] | None, tag_format: str | None
) -> None:
    spec = ImageSpec(name=name, packages=packages, env=env, tag_format=tag_format)
    again = ImageSpec(**spec.to_dict())
    assert again.tag == spec.tag and again.id == spec.id
    assert again.image_name() == spec.image_name()
    assert spec.tag.replace("-x", "").replace("_", "").isalnum()
