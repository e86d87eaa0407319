"""Where a compile spends its time: one in-process run of each pipeline stage.

``python benchmarks/phases.py PACKAGE_PARENT`` (the folder holding ``benchpkg/``, e.g. the
``--keep`` folder of ``run.py``) prints seconds per stage and the peak RSS. The stages are the
ones ``compile-tasks`` runs: discovery (importing the package with the real SDK), serialization
(``serialize_task``), ``.pb`` bytes, canonical YAML rendering, and writing the bundle folder.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from compiler.bundle import write_bundle
from compiler.cli.pipeline import facts_of
from compiler.discovery import discover
from compiler.render import render_task_spec
from compiler.serialize import serialize_task
from compiler.settings import ImageConfig, SerializationSettings

IMAGES = ["registry.example.com/bench/app:1.0", "tools=registry.example.com/bench/tools:3.1"]


def main() -> None:
    """Time each stage once and print a Markdown table."""
    parent = Path(sys.argv[1]).resolve()
    os.chdir(parent)
    settings = SerializationSettings(image_config=ImageConfig.from_specs(IMAGES))
    times: dict[str, float] = {}
    start = time.perf_counter()
    with discover(["benchpkg"]) as found:
        times["discovery (import with the real SDK)"] = time.perf_counter() - start
        start = time.perf_counter()
        specs = [serialize_task(f.task, settings) for f in found.tasks]
        times["serialize_task"] = time.perf_counter() - start
        start = time.perf_counter()
        for spec in specs:
            spec.SerializeToString(deterministic=True)
        times[".pb bytes (deterministic)"] = time.perf_counter() - start
        start = time.perf_counter()
        for spec, task in zip(specs, found.tasks, strict=True):
            render_task_spec(spec, facts_of(task))
        times["render_task_spec (YAML)"] = time.perf_counter() - start
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=parent) as tmp:
            write_bundle(Path(tmp) / "out", [], render=render_task_spec, settings={})
            names = [f"00_{f.name}_1" for f in found.tasks]
            folder = Path(tmp) / "files"
            folder.mkdir()
            for name, spec in zip(names, specs, strict=True):
                (folder / f"{name}.pb").write_bytes(spec.SerializeToString(deterministic=True))
                (folder / f"{name}.yaml").write_text("x")
        times["file writes (2 per task)"] = time.perf_counter() - start
        count = len(found.tasks)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| stage ({count} tasks) | seconds | per task |")
    print("| --- | --- | --- |")
    for stage, seconds in times.items():
        print(f"| {stage} | {seconds:.2f} | {seconds / count * 1000:.2f} ms |")
    print(f"| peak RSS (all messages kept in memory here) | {rss:.0f} MiB | |")


if __name__ == "__main__":
    main()
