"""Where a compile spends its time: one in-process run of each pipeline stage, then the whole.

``python benchmarks/phases.py PACKAGE_PARENT`` (the folder holding ``benchpkg/``, e.g. the
``--keep`` folder of ``run.py``) prints seconds per stage and the peak RSS. The stages are the
ones ``compile_package`` runs, each through the pipeline's own entity-kind table
(``compiler.pipeline.default_handlers``): discovery (importing the package with the real SDK),
serialization, ``.pb`` bytes, canonical YAML rendering (written only with ``--render``) and
file writes; the last row is
``compile_package`` itself (one process, into a fresh folder), as ``compile-tasks --jobs 1``
runs it.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from compiler.discovery import discover
from compiler.pipeline import CompileOptions, compile_package, default_handlers
from compiler.settings import ImageConfig, SerializationSettings

IMAGES = ["registry.example.com/bench/app:1.0", "tools=registry.example.com/bench/tools:3.1"]


def main() -> None:
    """Time each stage once and print a Markdown table."""
    parent = Path(sys.argv[1]).resolve()
    os.chdir(parent)
    settings = SerializationSettings(image_config=ImageConfig.from_specs(IMAGES))
    handlers = default_handlers()
    times: dict[str, float] = {}
    start = time.perf_counter()
    with discover(["benchpkg"]) as found:
        times["discovery (import with the real SDK)"] = time.perf_counter() - start
        entities = found.entities
        start = time.perf_counter()
        specs = [handlers.for_kind(f.kind).serialize(f.entity, settings) for f in entities]
        times["serialize (the kind's handler)"] = time.perf_counter() - start
        start = time.perf_counter()
        for spec in specs:
            spec.SerializeToString(deterministic=True)
        times[".pb bytes (deterministic)"] = time.perf_counter() - start
        start = time.perf_counter()
        for spec, entity in zip(specs, entities, strict=True):
            handlers.render(spec, handlers.for_kind(entity.kind).facts(entity))
        times["render (YAML; only with --render or golden options)"] = time.perf_counter() - start
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=parent) as tmp:
            names = [f"00_{f.name}_{int(f.kind)}" for f in entities]
            folder = Path(tmp) / "files"
            folder.mkdir()
            for name, spec in zip(names, specs, strict=True):
                (folder / f"{name}.pb").write_bytes(spec.SerializeToString(deterministic=True))
        times["file writes (1 per task)"] = time.perf_counter() - start
        count = len(entities)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=parent) as tmp:
        compile_package(["benchpkg"], settings, out=Path(tmp) / "out", options=CompileOptions())
    times["compile_package (whole pipeline, one process, fresh folder)"] = (
        time.perf_counter() - start
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| stage ({count} tasks) | seconds | per task |")
    print("| --- | --- | --- |")
    for stage, seconds in times.items():
        print(f"| {stage} | {seconds:.2f} | {seconds / count * 1000:.2f} ms |")
    print(f"| peak RSS (all messages kept in memory here) | {rss:.0f} MiB | |")


if __name__ == "__main__":
    main()
