"""Review benchmark: a 5,000-entity comparison, its reports (time and size) and a browser load.

``python benchmarks/review.py [--tasks 4500] [--workflows 400] [--plans 100] [--keep DIR]``
writes two synthetic bundles (``yaml/`` renderings and ``.pb`` files, as the bundle writer
lays them out), changes the second one as a large pull request would, and measures in fresh
processes through the real console script:

* ``compile-tasks diff OLD NEW`` (terminal summary only), and with ``--report`` as ``.md``,
  ``.html`` and ``.json``: wall time and report size;
* when chromium is installed, the time headless chromium takes to load the HTML report and
  dump its DOM (``--dump-dom``), the "opens quickly" figure, next to the time it takes for an
  empty page (chromium's own start).

The pull request: every task's image moves from ``app:2.0`` to ``app:2.1`` (one shared change
that the reports group), one task in 100 loses an input (breaking), one workflow in two gains
a node, and one launch plan in ten changes its schedule. A benchmark reports; it never fails.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from google.protobuf import json_format

from compiler.render import render_message

INT, STR = {"simple": "INTEGER"}, {"simple": "STRING"}


def _task(name: str, image: str, inputs: dict[str, Any]) -> task_pb2.TaskSpec:
    variables = {n: {"type": t, "description": n} for n, t in inputs.items()}
    template = {
        "id": {"resource_type": "TASK", "name": name},
        "type": "python-task",
        "metadata": {"retries": {}, "runtime": {"type": "FLYTE_SDK", "flavor": "python"}},
        "interface": {
            "inputs": {"variables": variables},
            "outputs": {"variables": {"o0": {"type": INT, "description": "o0"}}},
        },
        "container": {
            "image": image,
            "args": ["compile-tasks-execute", "--", "task-name", name],
            "resources": {"requests": [{"name": "CPU", "value": "1"}]},
        },
    }
    return json_format.ParseDict({"template": template}, task_pb2.TaskSpec())


def _workflow(name: str, tasks: list[str]) -> workflow_pb2.WorkflowSpec:
    nodes = [
        {
            "id": f"n{i}",
            "metadata": {"name": task.rsplit(".", 1)[-1], "retries": {}},
            "upstream_node_ids": [f"n{i - 1}"] if i else [],
            "task_node": {"reference_id": {"resource_type": "TASK", "name": task}},
        }
        for i, task in enumerate(tasks)
    ]
    template = {
        "id": {"resource_type": "WORKFLOW", "name": name},
        "interface": {"inputs": {}, "outputs": {}},
        "nodes": nodes,
    }
    return json_format.ParseDict({"template": template}, workflow_pb2.WorkflowSpec())


def _plan(name: str, workflow: str, minutes: int) -> launch_plan_pb2.LaunchPlan:
    spec = {
        "workflow_id": {"resource_type": "WORKFLOW", "name": workflow},
        "entity_metadata": {"schedule": {"rate": {"value": minutes}}},
    }
    data = {"id": {"resource_type": "LAUNCH_PLAN", "name": name}, "spec": spec}
    return json_format.ParseDict(data, launch_plan_pb2.LaunchPlan())


def write_side(folder: Path, args: argparse.Namespace, *, changed: bool) -> None:
    """One bundle folder: ``<stem>.pb`` and ``yaml/<stem>.yaml`` per entity."""
    (folder / "yaml").mkdir(parents=True)
    entries: list[tuple[str, Any, dict[str, Any]]] = []
    names = [f"bench.m{i // 50:03d}.task_{i:05d}" for i in range(args.tasks)]
    for i, name in enumerate(names):
        inputs = {"order_ids": {"collection_type": STR}, "limit": INT}
        if changed and i % 100 == 0:
            inputs.pop("limit")
        image = "registry.example.com/team/app:" + ("2.1" if changed else "2.0")
        facts = {"source": f"bench/m{i // 50:03d}.py:{10 + i % 50}", "defaults": {"limit": 100}}
        entries.append((f"00_{name}_1", _task(name, image, inputs), facts))
    for w in range(args.workflows):
        used = [names[(w * 7 + k) % len(names)] for k in range(5 + (1 if changed and w % 2 else 0))]
        name = f"bench.flows.flow_{w:04d}"
        entries.append((f"01_{name}_2", _workflow(name, used), {"source": f"bench/flows.py:{w}"}))
    for p in range(args.plans):
        flow = f"bench.flows.flow_{p % max(args.workflows, 1):04d}"
        minutes = 30 if changed and p % 10 == 0 else 15
        name = f"bench.plans.plan_{p:04d}"
        entries.append((f"02_{name}_3", _plan(name, flow, minutes), {"source": "bench/plans.py"}))
    for stem, message, facts in entries:
        (folder / f"{stem}.pb").write_bytes(message.SerializeToString(deterministic=True))
        (folder / "yaml" / f"{stem}.yaml").write_text(render_message(message, facts))


def _timed(command: list[str]) -> str:
    """``wall s (CPU s)`` of one run: CPU time is what a busy machine does not inflate."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return f"{wall:.2f} s ({cpu:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=4500)
    parser.add_argument("--workflows", type=int, default=400)
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="review-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    for side in ("old", "new"):
        shutil.rmtree(root / side, ignore_errors=True)
        write_side(root / side, args, changed=side == "new")
    script = str(Path(sys.executable).with_name("compile-tasks"))
    base = [script, "diff", str(root / "old"), str(root / "new")]
    total = args.tasks + args.workflows + args.plans
    print(f"| measure ({total} entities) | wall (CPU) | report size |")
    print("| --- | --- | --- |")
    print(f"| `compile-tasks diff` (summary only) | {_timed(base)} | |")
    for suffix in ("md", "html", "json"):
        report = root / f"report.{suffix}"
        wall = _timed([*base, "--report", str(report)])
        size = report.stat().st_size / 1e6
        print(f"| `compile-tasks diff --report report.{suffix}` | {wall} | {size:.2f} MB |")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        with tempfile.TemporaryDirectory() as profile:
            command = [
                browser, "--headless", "--no-sandbox", "--disable-gpu",
                f"--user-data-dir={profile}", "--dump-dom", (root / "report.html").as_uri(),
            ]  # fmt: skip
            _timed(command)  # warm-up: the first start of chromium loads its own files
            print(f"| chromium loads report.html (`--dump-dom`) | {_timed(command)} | |")
            blank = root / "blank.html"
            blank.write_text("<!DOCTYPE html><title>blank</title><p>blank</p>")
            command[-1] = blank.as_uri()
            print(f"| chromium loads an empty page (its own start) | {_timed(command)} | |")
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
