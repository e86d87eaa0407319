"""Dynamic tasks and eager workflows run through their container args, read with flyteidl.

The examples are compiled with the real CLI; ``load_in_batches`` then runs through the args its
``TaskSpec`` holds (``compile-tasks-execute``, templates filled, the container environment set
and the ids Flyte gives an execution), and ``futures.pb`` is decoded with flyteidl directly.
``tests/oracle/test_futures_parity.py`` compares such files with flytekit's entrypoint's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flyteidl.core import dynamic_job_pb2, errors_pb2, literals_pb2
from google.protobuf import json_format

from compiler.runtime.local_run import build_inputs, run_spec
from compiler.serialize import serialize_task
from compiler.settings import ImageConfig, SerializationSettings
from tests.runtime.test_examples_e2e import _int, _strs, bundle, outputs, run_container

__all__ = ["bundle"]  # the module-scoped fixture, shared with the examples' e2e tests

IDS = {
    "FLYTE_INTERNAL_EXECUTION_PROJECT": "shop",
    "FLYTE_INTERNAL_EXECUTION_DOMAIN": "production",
    "FLYTE_INTERNAL_TASK_VERSION": "v42",
}
RUNTIME = Path(__file__).parent
SETTINGS = SerializationSettings(image_config=ImageConfig.from_specs(["registry.example/app:1"]))


def _futures(out: Path) -> dynamic_job_pb2.DynamicJobSpec:
    assert not (out / "error.pb").exists(), (out / "error.pb").read_bytes()
    assert not (out / "outputs.pb").exists()
    return dynamic_job_pb2.DynamicJobSpec.FromString((out / "futures.pb").read_bytes())


def test_dynamic_task_writes_futures(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.flows.batches.load_in_batches",
        {"order_ids": _strs(["a", "b", "c", "d", "e"]), "batch_size": _int(2)},
        extra_env=IDS,
    )  # fmt: skip
    assert code == 0
    job = _futures(out)
    assert [node.id for node in job.nodes] == ["dn0", "dn1", "dn2", "dn3"]
    assert job.min_successes == 4
    batches = [
        [b.scalar.primitive.string_value for b in node.inputs[1].binding.collection.bindings]
        for node in job.nodes[:3]
    ]
    assert batches == [["a", "b"], ["c", "d"], ["e"]]
    last = job.nodes[3]
    assert sorted(last.upstream_node_ids) == ["dn0", "dn1", "dn2"]
    counts = last.inputs[0].binding.collection.bindings
    assert [(b.promise.node_id, b.promise.var) for b in counts] == [
        ("dn0", "o0"), ("dn1", "o0"), ("dn2", "o0"),
    ]  # fmt: skip
    assert job.outputs[0].var == "o0"
    assert job.outputs[0].binding.promise.node_id == "dn3"
    names = [t.id.name for t in job.tasks]
    assert names == ["examples.orders.ingest.load_orders", "examples.flows.batches.count_rows"]
    for template in job.tasks:
        ids = (template.id.project, template.id.domain, template.id.version)
        assert ids == ("shop", "production", "v42")
        assert template.container.image == "registry.example.com/team/app:2.0"
    ref = job.nodes[0].task_node.reference_id
    assert (ref.project, ref.domain, ref.name, ref.version) == (
        "shop", "production", "examples.orders.ingest.load_orders", "v42",
    )  # fmt: skip
    assert job.nodes[0].metadata.retries.retries == 2  # load_orders' own retries


def test_dynamic_body_without_nodes_writes_outputs(bundle: Path, tmp_path: Path) -> None:
    counts = literals_pb2.Literal(
        collection=literals_pb2.LiteralCollection(literals=[_int(2), _int(3)])
    )
    code, out = run_container(
        bundle, tmp_path, "examples.flows.batches.count_rows", {"counts": counts}, extra_env=IDS
    )
    assert code == 0
    assert not (out / "futures.pb").exists()
    assert outputs(out) == {"o0": {"scalar": {"primitive": {"integer": "5"}}}}


def test_eager_workflow_runs_its_tasks_in_the_container(bundle: Path, tmp_path: Path) -> None:
    code, out = run_container(
        bundle, tmp_path, "examples.flows.batches.reload_until_done",
        {"order_ids": _strs(["a", "b", "a", "c"]), "rounds": _int(3)},
    )  # fmt: skip
    assert code == 0
    assert outputs(out) == {"o0": {"scalar": {"primitive": {"integer": "3"}}}}


def test_eager_cleanup_task_echoes_its_inputs(bundle: Path, tmp_path: Path) -> None:
    name = "examples.flows.batches.reload_until_done-cleanup"
    spec_file = bundle / f"00_{name}_1.pb"
    assert spec_file.exists()
    code, out = run_container(bundle, tmp_path, name, {"rounds": _int(3)})
    assert code == 0
    assert outputs(out) == {"rounds": {"scalar": {"primitive": {"integer": "3"}}}}


def _run(tmp_path: Path, name: str, values: dict, env: dict | None = None):
    from rt_pkg import dynamic_tasks

    spec = serialize_task(getattr(dynamic_tasks, name), SETTINGS)
    if env is not None:
        spec.template.container.ClearField("env")
        for key, value in env.items():
            spec.template.container.env.add(key=key, value=value)
    return run_spec(spec, build_inputs(spec, values), tmp_path, cwd=RUNTIME, timeout=120)


def test_failing_body_writes_a_user_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "broken", {"n": 2})
    assert result.status == "error"
    assert result.error.origin == 1  # USER
    assert result.error.kind == errors_pb2.ContainerError.Kind.NON_RECOVERABLE
    assert "ValueError: no fan-out for 2" in result.error.message
    assert not (tmp_path / "outputs" / "futures.pb").exists()


def test_miswired_call_is_a_user_error_naming_the_line(tmp_path: Path) -> None:
    result = _run(tmp_path, "miswired", {"n": 2})
    assert result.status == "error"
    assert result.error.origin == 1
    assert "CT903" in result.error.message
    source = (RUNTIME / "rt_pkg" / "dynamic_tasks.py").read_text().splitlines()
    line = source.index("    return square(x=str(n))") + 1
    assert f"dynamic_tasks.py:{line}: error CT903" in result.error.message


def test_missing_settings_env_is_ct750(tmp_path: Path) -> None:
    result = _run(tmp_path, "fan", {"n": 2}, env={})
    assert result.status == "error"
    assert "CT753" in result.error.message


def test_run_spec_reports_futures(tmp_path: Path) -> None:
    result = _run(tmp_path, "fan", {"n": 3})
    assert result.status == "futures"
    job = json_format.MessageToDict(result.futures, preserving_proto_field_name=True)
    assert [n["id"] for n in job["nodes"]] == ["dn0", "dn1", "dn2"]
    assert [o["var"] for o in job["outputs"]] == ["o0"]
    bindings = job["outputs"][0]["binding"]["collection"]["bindings"]
    assert [b["promise"]["node_id"] for b in bindings] == ["dn0", "dn1", "dn2"]


@pytest.mark.parametrize("n", [0, 1])
def test_local_call_runs_the_body(n: int) -> None:
    from rt_pkg import dynamic_tasks

    assert dynamic_tasks.fan(n=n + 2) == [i * i for i in range(n + 2)]
    assert dynamic_tasks.broken(n=0) == 0


def test_a_file_the_body_wrote_is_uploaded(tmp_path: Path) -> None:
    result = _run(tmp_path, "writes_a_file", {"text": "hello"})
    assert result.status == "futures", result.stderr
    uri = result.futures.nodes[0].inputs[0].binding.scalar.blob.uri
    raw = tmp_path / "raw"
    assert uri.startswith(str(raw)), uri
    assert Path(uri).read_text() == "hello"


def test_compile_tasks_run_prints_the_job(bundle: Path) -> None:
    import json
    import os
    import subprocess

    proc = subprocess.run(
        ["compile-tasks", "run", str(bundle), "load_in_batches",
         "--input", 'order_ids=["a","b","c"]'],
        capture_output=True, text=True, timeout=120, env={**os.environ, **IDS},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "is dynamic: it wrote the workflow Flyte runs next (futures.pb)" in proc.stderr
    job = json.loads(proc.stdout)
    assert [node["id"] for node in job["nodes"]] == ["dn0", "dn1", "dn2"]
    assert job["min_successes"] == "3"
