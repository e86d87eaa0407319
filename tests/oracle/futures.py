"""``futures.pb`` parity: the probe dynamic tasks run through flytekit's entrypoint and ours.

For each case (a dynamic task and its inputs), flytekit's side runs ``pyflyte-execute`` on the
ported package with the container environment of flytekit's own compiled task (its ``_F_SS_C``)
and the execution ids Flyte sets; what it leaves under the output prefix (``futures.pb``, or
``outputs.pb`` for a body that calls nothing) is kept as
``tests/oracle/fixtures/<package>/futures/<task>.json``. Our side compiles the same task, runs
its container args in a subprocess (``compiler.runtime.local_run.run_spec``) with the same ids,
and the two documents are compared after :func:`normalise_result` (the allowed differences of
each embedded task template, and ``upstream_node_ids`` as sets).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from flyteidl.admin import task_pb2
from flyteidl.core import dynamic_job_pb2, literals_pb2
from google.protobuf import json_format

from compiler.runtime.local_run import build_inputs, run_spec
from tests.oracle.compare import normalise_template, spec_dict
from tests.oracle.packages import OraclePackage

__all__ = [
    "CASES",
    "EXECUTION_ENV",
    "flytekit_results",
    "normalise_result",
    "our_result",
]

#: The ids Flyte gives a running task (flytekit reads the execution's project and domain and
#: the task's version; the compile wrote none).
EXECUTION_ENV = {
    "FLYTE_INTERNAL_EXECUTION_PROJECT": "shop",
    "FLYTE_INTERNAL_EXECUTION_DOMAIN": "production",
    "FLYTE_INTERNAL_EXECUTION_ID": "exec-1",
    "FLYTE_INTERNAL_TASK_VERSION": "v7",
}

#: Package name -> (dynamic task, inputs as JSON values).
CASES: dict[str, tuple[tuple[str, dict[str, Any]], ...]] = {
    "probe_dynamic": (
        ("probe_dynamic.flows.fan_out", {"n": 3}),
        ("probe_dynamic.flows.fan_options", {"n": 2, "word": "w"}),
        ("probe_dynamic.flows.calls_workflows", {"n": 2}),
        ("probe_dynamic.flows.overrides", {"n": 2}),
        ("probe_dynamic.flows.nested", {"n": 1}),
        ("probe_dynamic.flows.no_nodes", {"n": 2, "word": "w"}),
        ("probe_dynamic.flows.with_hints", {"n": 4}),
        ("probe_dynamic.flows.in_a_pod", {"n": 2}),
        ("probe_dynamic.flows.maps_in_body", {"n": 3}),
    ),
}

_FLYTEKIT_RESOLVER = "flytekit.core.python_auto_container.default_task_resolver"


def _read_result(out: Path) -> dict[str, Any]:
    if (out / "futures.pb").exists():
        job = dynamic_job_pb2.DynamicJobSpec.FromString((out / "futures.pb").read_bytes())
        return {"futures": spec_dict(job)}
    if (out / "outputs.pb").exists():
        outputs = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
        return {"outputs": spec_dict(outputs)}
    raise RuntimeError(f"no futures.pb or outputs.pb under {out}: {sorted(os.listdir(out))}")


def _primary(template: dict[str, Any]) -> dict[str, Any]:
    """The container (or the pod's primary container) that runs the task."""
    if "container" in template:
        return dict(template["container"])
    name = template["config"]["primary_container_name"]
    containers = template["k8s_pod"]["pod_spec"]["containers"]
    return dict(next(c for c in containers if c["name"] == name))


def _flytekit_run(
    pyflyte: str, workdir: Path, spec: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    message = json_format.ParseDict(spec, task_pb2.TaskSpec())
    run = Path(tempfile.mkdtemp(prefix="run-", dir=workdir))
    inputs = build_inputs(message, values)
    (run / "inputs.pb").write_bytes(inputs.SerializeToString(deterministic=True))
    container = _primary(spec["template"])
    loader = container["args"][container["args"].index("--") + 1 :]
    command = [str(Path(pyflyte).with_name("pyflyte-execute")), "--inputs", str(run / "inputs.pb")]
    command += ["--output-prefix", str(run / "out"), "--raw-output-data-prefix", str(run / "raw")]
    command += ["--checkpoint-path", str(run / "cp"), "--prev-checkpoint", '""']
    command += ["--resolver", _FLYTEKIT_RESOLVER, "--", *loader]
    env = {item.get("key", item.get("name")): item["value"] for item in container.get("env", [])}
    env = {**os.environ, **env, **EXECUTION_ENV, "PYTHONPATH": str(workdir)}
    env["TMPDIR"] = str(run)
    result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"pyflyte-execute failed: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return _read_result(run / "out")


def flytekit_results(
    package: OraclePackage, pyflyte: str, workdir: Path, specs: dict[str, Any]
) -> dict[str, Any]:
    """Run every case of ``package`` with flytekit (its port is in ``workdir`` already)."""
    return {
        name: _flytekit_run(pyflyte, workdir, specs[name], values)
        for name, values in CASES.get(package.name, ())
    }


def our_result(
    spec: task_pb2.TaskSpec, values: dict[str, Any], workdir: Path, cwd: Path
) -> dict[str, Any]:
    """Run our compiled ``spec`` through its container args (the ids in the environment)."""
    saved = {key: os.environ.get(key) for key in EXECUTION_ENV}
    os.environ.update(EXECUTION_ENV)
    try:
        result = run_spec(spec, build_inputs(spec, values), workdir, cwd=cwd, timeout=300)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if result.status not in ("futures", "outputs"):
        raise AssertionError(f"the task ended with {result.status}: {result.stderr[-3000:]}")
    return _read_result(workdir / "outputs")


def _sort_upstream(nodes: list[dict[str, Any]]) -> None:
    for node in nodes:
        if "upstream_node_ids" in node:
            node["upstream_node_ids"] = sorted(node["upstream_node_ids"])
        if_else = node.get("branch_node", {}).get("if_else", {})
        inner = [if_else.get("case", {}).get("then_node")]
        inner += [other.get("then_node") for other in if_else.get("other", [])]
        inner.append(if_else.get("else_node"))
        _sort_upstream([n for n in inner if n])


def normalise_result(result: dict[str, Any]) -> dict[str, Any]:
    """A copy of a fixture or of our result with the allowed differences taken out."""
    out = json.loads(json.dumps(result))
    job = out.get("futures")
    if job is None:
        return out
    for template in job.get("tasks", []):
        normalise_template(template)
    _sort_upstream(job.get("nodes", []))
    for sub in job.get("subworkflows", []):
        _sort_upstream(sub.get("nodes", []))
        if "failure_node" in sub:
            _sort_upstream([sub["failure_node"]])
    return out
