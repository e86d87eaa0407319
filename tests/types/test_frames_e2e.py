"""End to end: ``examples/analytics/frames.py`` compiled by the CLI, each task run through its
container args exactly as written in the bundle, with real parquet/CSV/.npy files under the raw
output prefix, chained output to input; and the errors a user sees in ``error.pb``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import msgpack
import pytest
from flyteidl.admin import task_pb2
from flyteidl.core import errors_pb2, literals_pb2

from compiler.types import TypeEngine

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("pydantic")

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "examples.analytics.frames"

pytestmark = pytest.mark.skipif(
    shutil.which("compile-tasks") is None, reason="needs the compile-tasks console script"
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("frames") / "bundle"
    proc = subprocess.run(
        ["compile-tasks", "examples/", "--out", str(out),
         "--image", "registry.example.com/team/app:2.0",
         "--image", "gpu=registry.example.com/team/gpu:1.0"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def frames() -> Any:
    import examples.analytics.frames as module  # registers MoneyTransformer

    return module


class Runner:
    """Runs tasks of the bundle in one working folder; the raw output prefix is shared."""

    def __init__(self, bundle: Path, folder: Path) -> None:
        self.bundle, self.folder, self.raw = bundle, folder, folder / "raw"
        self.runs = 0

    def run(self, task: str, inputs: dict[str, literals_pb2.Literal]) -> tuple[int, Path]:
        self.runs += 1
        here = self.folder / f"run{self.runs}"
        here.mkdir()
        spec = task_pb2.TaskSpec.FromString((self.bundle / f"00_{PREFIX}.{task}_1.pb").read_bytes())
        given = literals_pb2.LiteralMap(literals=inputs)
        (here / "inputs.pb").write_bytes(given.SerializeToString())
        fill = {
            "{{.input}}": str(here / "inputs.pb"),
            "{{.outputPrefix}}": str(here / "out"),
            "{{.rawOutputDataPrefix}}": str(self.raw),
            "{{.checkpointOutputPrefix}}": str(here / "ckpt"),
            "{{.prevCheckpointPrefix}}": "",
        }
        args = [fill.get(arg, arg) for arg in spec.template.container.args]
        env = {kv.key: kv.value for kv in spec.template.container.env}
        proc = subprocess.run(
            args, cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, **env},
        )  # fmt: skip
        return proc.returncode, here / "out"

    def outputs(self, task: str, inputs: dict[str, literals_pb2.Literal]) -> Any:
        code, out = self.run(task, inputs)
        assert code == 0 and not (out / "error.pb").exists(), _error(out).message
        return literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes()).literals

    def error(self, task: str, inputs: dict[str, literals_pb2.Literal]) -> Any:
        code, out = self.run(task, inputs)
        assert code != 0
        return _error(out)


def _error(out: Path) -> Any:
    return errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error


def _lit(value: Any, hint: Any) -> literals_pb2.Literal:
    return TypeEngine().to_literal(value, hint)


def test_the_sales_pipeline_runs_through_its_container_args(
    bundle: Path, tmp_path: Path, frames: Any
) -> None:
    run = Runner(bundle, tmp_path)
    engine = TypeEngine()
    sales = run.outputs("load_sales", {
        "skus": _lit(["a", "b", "a", "c"], list[str]),
        "quantities": _lit([1, 2, 3, 8], list[int]),
        "prices": _lit([2.0, 5.0, 2.0, 1.5], list[float]),
    })["o0"]  # fmt: skip
    sd = sales.scalar.structured_dataset
    assert sd.uri.startswith(str(run.raw) + "/") and os.listdir(sd.uri) == ["00000"]
    assert pq.read_table(os.path.join(sd.uri, "00000")).num_rows == 4
    assert sd.metadata.structured_dataset_type.format == "parquet"

    revenue = run.outputs("revenue_by_sku", {"sales": sales})["o0"]
    table = engine.to_python(revenue, pd.DataFrame)
    assert table.to_dict("list") == {"sku": ["c", "b", "a"], "revenue": [12.0, 10.0, 8.0]}

    settings = _lit(frames.ReportSettings(title="Daily", top_n=2, min_revenue=9.0),
                    frames.ReportSettings)  # fmt: skip
    top = run.outputs("top_products", {"revenue": revenue, "settings": settings})["o0"]
    top_sd = top.scalar.structured_dataset
    assert top_sd.metadata.structured_dataset_type.format == "csv"
    assert os.listdir(top_sd.uri) == [".csv"]
    assert engine.to_python(top, pd.DataFrame)["sku"].tolist() == ["c", "b"]

    money = run.outputs("total_revenue", {"revenue": revenue, "settings": settings})["o0"]
    assert money.scalar.primitive.string_value == "3000 EUR"

    arrow = run.outputs("as_arrow", {"sales": sales})["o0"]
    hist = run.outputs("quantity_histogram", {"sales": arrow, "bins": _lit(2, int)})["o0"]
    blob = hist.scalar.blob
    assert blob.metadata.type.format == "NumpyArray" and blob.uri.startswith(str(run.raw))
    assert np.load(blob.uri).tolist() == [3, 1]


def test_a_dataset_missing_a_declared_column_names_task_input_and_column(
    bundle: Path, tmp_path: Path
) -> None:
    run = Runner(bundle, tmp_path)
    frame = pd.DataFrame({"sku": ["a"], "quantity": [1]})
    error = run.error("revenue_by_sku", {"sales": _lit(frame, pd.DataFrame)})
    assert error.code == "USER:ExecutionError"
    message = error.message
    assert f"task '{PREFIX}.revenue_by_sku', input 'sales'" in message
    assert "no column 'unit_price'" in message and "CT221" in message


def test_a_task_that_raises_shows_the_users_frame(bundle: Path, tmp_path: Path) -> None:
    run = Runner(bundle, tmp_path)
    error = run.error("load_sales", {
        "skus": _lit(["a"], list[str]), "quantities": _lit([1], list[int]),
        "prices": _lit([1.0, 2.0], list[float]),
    })  # fmt: skip
    assert "ValueError: skus, quantities and prices must have the same length" in error.message
    assert "frames.py" in error.message  # the user's frame


def test_settings_that_fail_validation_name_the_field(
    bundle: Path, tmp_path: Path, frames: Any
) -> None:
    run = Runner(bundle, tmp_path)
    revenue = _lit(pd.DataFrame({"sku": ["a"], "revenue": [1.0]}), pd.DataFrame)
    bad = literals_pb2.Literal(scalar=literals_pb2.Scalar(binary=literals_pb2.Binary(
        value=msgpack.packb({"title": "Daily", "top_n": 0}), tag="msgpack",
    )))  # fmt: skip
    error = run.error("top_products", {"revenue": revenue, "settings": bad})
    message = error.message
    assert f"task '{PREFIX}.top_products', input 'settings'" in message
    assert "CT227" in message and "top_n" in message and "ReportSettings" in message
