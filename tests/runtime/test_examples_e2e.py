"""End to end: compile ``examples/`` with the real CLI, then run tasks from the bundle.

Tasks run through their container args exactly as written in the bundle (the
``compile-tasks-execute`` console script, templates filled with local paths) and through
``compile-tasks run``; outputs are decoded with flyteidl and msgpack directly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import msgpack
import pytest
from flyteidl.admin import task_pb2
from flyteidl.core import errors_pb2, literals_pb2
from google.protobuf import json_format

ROOT = Path(__file__).resolve().parents[2]
IMAGES = [
    "--image", "registry.example.com/team/app:2.0",
    "--image", "gpu=registry.example.com/team/gpu:1.0",
]  # fmt: skip

pytestmark = pytest.mark.skipif(
    shutil.which("compile-tasks") is None or not (ROOT / "examples").is_dir(),
    reason="needs the compile-tasks console script and examples/",
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "bundle"
    proc = subprocess.run(
        ["compile-tasks", "examples/", "--out", str(out), *IMAGES],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


def _spec(bundle: Path, name: str) -> task_pb2.TaskSpec:
    return task_pb2.TaskSpec.FromString((bundle / f"00_{name}_1.pb").read_bytes())


def _lit(**kw: Any) -> literals_pb2.Literal:
    return literals_pb2.Literal(scalar=literals_pb2.Scalar(**kw))


def _int(value: int) -> literals_pb2.Literal:
    return _lit(primitive=literals_pb2.Primitive(integer=value))


def _str(value: str) -> literals_pb2.Literal:
    return _lit(primitive=literals_pb2.Primitive(string_value=value))


def _strs(values: list[str]) -> literals_pb2.Literal:
    return literals_pb2.Literal(
        collection=literals_pb2.LiteralCollection(literals=[_str(v) for v in values])
    )


def run_container(
    bundle: Path,
    tmp_path: Path,
    name: str,
    inputs: dict[str, literals_pb2.Literal],
    *,
    extra_env: dict[str, str] | None = None,
    prev_checkpoint: str = "",
    attempt: str | None = None,
) -> tuple[int, Path]:
    """Run the task's container args (templates filled) from the repository root.

    ``attempt`` runs in a sub-folder of its own (a retry needs the first attempt's folders).
    """
    if attempt is not None:
        tmp_path = tmp_path / attempt
        tmp_path.mkdir()
    spec = _spec(bundle, name)
    (tmp_path / "inputs.pb").write_bytes(
        literals_pb2.LiteralMap(literals=inputs).SerializeToString()
    )
    fill = {
        "{{.input}}": str(tmp_path / "inputs.pb"),
        "{{.outputPrefix}}": str(tmp_path / "out"),
        "{{.rawOutputDataPrefix}}": str(tmp_path / "raw"),
        "{{.checkpointOutputPrefix}}": str(tmp_path / "ckpt"),
        "{{.prevCheckpointPrefix}}": prev_checkpoint,
    }
    args = [fill.get(arg, arg) for arg in spec.template.container.args]
    assert args[0] == "compile-tasks-execute"
    env = {kv.key: kv.value for kv in spec.template.container.env}
    proc = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, **env, **(extra_env or {})},
    )  # fmt: skip
    return proc.returncode, tmp_path / "out"


def outputs(out: Path) -> dict[str, Any]:
    assert not (out / "error.pb").exists(), (out / "error.pb").read_bytes()
    data = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    return json_format.MessageToDict(data, preserving_proto_field_name=True)["literals"]


def test_list_input(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.orders.ingest.load_orders",
        {"order_ids": _strs(["a", "b", "a"]), "limit": _int(100)},
    )  # fmt: skip
    assert code == 0
    assert outputs(out) == {"o0": {"scalar": {"primitive": {"integer": "2"}}}}


def test_dataclass_output_is_msgpack(bundle: Path, tmp_path: Path) -> None:
    raw = literals_pb2.Literal(map=literals_pb2.LiteralMap(literals={
        "order_id": _str("o-1"), "customer_id": _str("c-9"), "channel": _str("web"),
        "placed_at": _str("2024-05-01T06:00:00"),
    }))  # fmt: skip
    line = msgpack.packb({"sku": "s1", "quantity": 2, "unit_price": 9.5})
    lines = literals_pb2.Literal(collection=literals_pb2.LiteralCollection(literals=[
        _lit(binary=literals_pb2.Binary(value=line, tag="msgpack"))
    ]))  # fmt: skip
    code, out = run_container(
        bundle, tmp_path, "examples.orders.ingest.parse_order", {"raw": raw, "lines": lines}
    )
    assert code == 0
    binary = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    payload = binary.literals["o0"].scalar.binary
    assert payload.tag == "msgpack"
    assert list(msgpack.unpackb(payload.value).items()) == [
        ("order_id", "o-1"),
        ("customer_id", "c-9"),
        ("channel", "web"),
        ("lines", [{"sku": "s1", "quantity": 2, "unit_price": 9.5}]),
        ("placed_at", "2024-05-01T06:00:00"),
        ("coupon", None),
    ]


def test_namedtuple_outputs(bundle: Path, tmp_path: Path) -> None:
    order = msgpack.packb({
        "order_id": "o", "customer_id": "c", "channel": "store", "placed_at": "2024-05-01T00:00:00",
        "lines": [{"sku": "s", "quantity": 1, "unit_price": 1.0}], "coupon": "X",
    })  # fmt: skip
    code, out = run_container(
        bundle, tmp_path, "examples.orders.validate.review_order",
        {"order": _lit(binary=literals_pb2.Binary(value=order, tag="msgpack")),
         "strict": _lit(primitive=literals_pb2.Primitive(boolean=True))},
    )  # fmt: skip
    assert code == 0
    assert outputs(out) == {
        "approved": {"scalar": {"primitive": {"boolean": False}}},
        "reason": {"scalar": {"primitive": {"string_value": "coupon needs manual review"}}},
    }


def test_optional_none(bundle: Path, tmp_path: Path) -> None:
    none = _lit(union=literals_pb2.Union(value=_lit(none_type=literals_pb2.Void())))
    none.scalar.union.type.simple = 0  # NONE
    none.scalar.union.type.structure.tag = "none"
    code, out = run_container(
        bundle, tmp_path, "examples.orders.validate.check_coupon", {"code": none}
    )
    assert code == 0
    assert outputs(out) == {
        "o0": {
            "scalar": {
                "union": {
                    "type": {"simple": "NONE", "structure": {"tag": "none"}},
                    "value": {"scalar": {"none_type": {}}},
                }
            }
        }
    }


def test_user_error(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.orders.validate.validate_quantity", {"quantity": _int(100)}
    )
    assert code == 1
    error = errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error
    assert (error.code, error.kind, error.origin) == ("USER:ValueError", 0, 1)
    assert "ValueError: quantity 100 is outside 1..64" in error.message
    assert "examples/orders/validate.py" in error.message


def test_ignore_outputs(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.analytics.reports.skip_empty_day", {"order_count": _int(0)}
    )
    assert code == 0
    assert not (out / "outputs.pb").exists() and not (out / "error.pb").exists()


def test_file_output(bundle: Path, tmp_path: Path) -> None:
    prices = literals_pb2.Literal(collection=literals_pb2.LiteralCollection(
        literals=[_lit(primitive=literals_pb2.Primitive(float_value=2.5))]
    ))  # fmt: skip
    code, out = run_container(
        bundle, tmp_path, "examples.catalog.assets.export_catalog",
        {"skus": _strs(["s1"]), "prices": prices},
    )  # fmt: skip
    assert code == 0
    blob = outputs(out)["o0"]["scalar"]["blob"]
    assert blob["metadata"] == {"type": {"format": "csv"}}
    path = Path(blob["uri"])
    assert path.is_relative_to(tmp_path / "raw") and path.name == "catalog.csv"
    assert path.read_text().splitlines() == ["sku,price", "s1,2.5"]


def _cli_run(bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["compile-tasks", "run", str(bundle), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_cli_run_several_tasks(bundle: Path) -> None:
    proc = _cli_run(
        bundle, "daily_revenue", "--input", "day=2024-05-01", "--input", "amounts=[1.5, 2]"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"o0": 3.5, "o1": 2}
    proc = _cli_run(bundle, "coupon_or_channel", "--input", "value=5")
    assert json.loads(proc.stdout) == {"o0": "int:5"}
    proc = _cli_run(bundle, "coupon_or_channel", "--input", "value=null")
    assert json.loads(proc.stdout) == {"o0": "none"}
    proc = _cli_run(bundle, "flag_fraud", "--input", 'scores={"a": 0.95, "b": 0.1}')
    assert json.loads(proc.stdout) == {"o0": {"a": True, "b": False}}
    proc = _cli_run(bundle, "classify_channel", "--input", "channel=store")
    assert json.loads(proc.stdout) == {"o0": "store"}
    # a pod-template task: its args live in the primary container of the pod spec
    proc = _cli_run(bundle, "reindex_catalog", "--input", "since_hours=0")
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {"o0": 0})


def test_cli_run_from_archive_and_failure(bundle: Path) -> None:
    proc = _cli_run(bundle, "validate_quantity", "--input", "quantity=0")
    assert proc.returncode == 3
    assert "USER:ValueError" in proc.stderr
    archive = bundle / "bundle.tgz"
    proc = subprocess.run(
        ["compile-tasks", "run", str(archive), "examples.orders.validate.validate_quantity",
         "--input", "quantity=3"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"o0": 3}


# --- what a running task uses (examples/platform/runtime.py) ---------------------------------


def test_a_secret_from_the_environment_flyte_injects(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.platform.runtime.warehouse_token_length", {},
        extra_env={"_FSEC_WAREHOUSE_TOKEN": "s3cr3t"},
    )  # fmt: skip
    assert code == 0
    assert outputs(out) == {"o0": {"scalar": {"primitive": {"integer": "6"}}}}


def test_a_deck_is_written_beside_the_outputs(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.platform.runtime.render_summary", {"rows": _strs(["a", "b"])}
    )
    assert code == 0
    assert outputs(out) == {"o0": {"scalar": {"primitive": {"string_value": "2 rows"}}}}
    html = (out / "deck.html").read_text()
    assert "<li>a</li><li>b</li>" in html and "Rows" in html


def test_a_retry_reads_the_previous_attempts_checkpoint(bundle: Path, tmp_path: Path) -> None:
    name = "examples.platform.runtime.resumable_total"
    code, out = run_container(bundle, tmp_path, name, {"n": _int(5)}, attempt="first")
    assert code == 0 and outputs(out)["o0"]["scalar"]["primitive"]["integer"] == "5"
    first_checkpoint = str(tmp_path / "first" / "ckpt")
    code, out = run_container(
        bundle, tmp_path, name, {"n": _int(5)}, prev_checkpoint=first_checkpoint, attempt="retry"
    )
    assert code == 0 and outputs(out)["o0"]["scalar"]["primitive"]["integer"] == "10"


def test_an_async_task_runs_on_an_event_loop(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.platform.runtime.fetch_prices", {"skus": _strs(["ab", "abcd"])}
    )
    assert code == 0
    values = {
        k: v["scalar"]["primitive"]["float_value"]
        for k, v in outputs(out)["o0"]["map"]["literals"].items()
    }
    assert values == {"ab": 3.0, "abcd": 6.0}


def test_an_artifact_partition_is_attached_to_the_output(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.platform.runtime.publish_report", {"region": _str("eu")}
    )
    assert code == 0
    literal = outputs(out)["o0"]
    assert literal["scalar"]["primitive"]["string_value"] == "report for eu"
    assert "_uap" in literal["metadata"]
