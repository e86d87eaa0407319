"""``import compiler.types`` stays cheap: no heavy modules on its import path."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("mashumaro", "msgpack", "fsspec", "yaml", "importlib.metadata", "flytekit", "click")


def test_heavy_modules_are_not_imported() -> None:
    code = (
        "import sys, compiler.types.engine, compiler.types.literal_types;"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


#: The optional extras, and our modules that only a task using their types may load.
EXTRAS = (
    "pandas",
    "pyarrow",
    "polars",
    "pydantic",
    "pydantic_core",
    "numpy",
    "compiler.types.structured",
    "compiler.types.dataframe_handlers",
    "compiler.types.dataset_files",
    "compiler.types.polars_handlers",
    "compiler.types.pydantic_fields",
    "compiler.sdk.cache_policy",
)

_PLAIN_PACKAGE = """
from dataclasses import dataclass
from typing import Iterator, Optional

from compiler import Cache, FlyteFile, Resources, StructuredDataset, kwtypes, task, workflow
from typing import Annotated


@dataclass
class Order:
    order_id: str
    lines: list[str]


@task(cache=Cache(version="v1"), requests=Resources(cpu="1"))
def load(day: str, limit: Optional[int] = None) -> list[Order]:
    return []


@task
def count(orders: list[Order], report: Optional[FlyteFile] = None) -> Iterator[int]:
    yield len(orders)


@task
def point_at(uri: str) -> Annotated[StructuredDataset, kwtypes(sku=str)]:
    return StructuredDataset(uri=uri)


@workflow
def daily(day: str) -> Iterator[int]:
    return count(orders=load(day=day))
"""


def _loaded_after(code: str, cwd: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {EXTRAS!r} if m in sys.modules))"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return eval(proc.stdout.strip().splitlines()[-1])  # a list of str printed above


def test_import_compiler_loads_no_extra(tmp_path) -> None:
    assert _loaded_after("import compiler", str(tmp_path)) == []


def test_compiling_a_package_without_those_types_loads_no_extra(tmp_path) -> None:
    """Discovery, serialization and the bundle of a package whose tasks use no dataframe, model,
    array or cache policy import none of their libraries (a dataset URI needs no pandas)."""
    package = tmp_path / "plainpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tasks.py").write_text(_PLAIN_PACKAGE)
    code = (
        "from compiler.pipeline import compile_package\n"
        "from compiler.settings import ImageConfig, SerializationSettings\n"
        "images = ImageConfig.from_specs(['registry.example.com/app:1'])\n"
        f"compile_package([{str(package)!r}], SerializationSettings(image_config=images), "
        f"out={str(tmp_path / 'bundle')!r})\n"
    )
    assert _loaded_after(code, str(tmp_path)) == []
    written = sorted(p.name for p in (tmp_path / "bundle").glob("*.pb"))
    assert [name for name in written if name.startswith("00_")] == [
        "00_plainpkg.tasks.count_1.pb",
        "00_plainpkg.tasks.load_1.pb",
        "00_plainpkg.tasks.point_at_1.pb",
    ]


def test_the_value_converters_load_no_dataframe_types(tmp_path) -> None:
    """The parallel compile loads the converters before it forks its workers (a workflow's
    constants use them): a package without datasets must not get the dataframe types."""
    assert _loaded_after("import compiler.types.values", str(tmp_path)) == []
    code = (
        "from compiler import StructuredDataset\n"
        "from compiler.types import default_engine\n"
        "default_engine().to_literal(StructuredDataset(uri='s3://b/k'), StructuredDataset)\n"
    )
    assert "compiler.types.structured" in _loaded_after(code, str(tmp_path))
