"""Compile benchmark: compile time vs. bare import time, peak RSS, and ``import compiler`` time.

``python benchmarks/run.py [--modules 100] [--tasks 50] [--keep DIR]`` generates the synthetic
package (``benchmarks/generate.py``), then measures in fresh processes:

* **bare import**: importing every module of the package with a stand-in ``compiler`` whose
  ``@task`` is a no-op (the cost of merely executing the user's code);
* **compile**: ``compile-tasks benchpkg --out DIR`` through the real console script, both as a
  *recompile* into the previous bundle (the default: unchanged files are hard-linked) and into
  a *fresh* output folder (``--out`` a new path each run: every file is created);
* **library call**: the same recompile as one ``compiler.pipeline.compile_package`` call (what
  the console script runs), which shows what the CLI itself adds;
* **peak RSS** (``wait4``: the largest of the process and its workers; with ``--jobs N`` the
  workers run at the same time, so the total is about N times that), and the median time of
  ``import compiler``.

Timings are whole-process wall times (interpreter start included), the best of ``--repeats``
after one warm-up run. The environment is pinned rather than inherited:

* the user's package is compiled from source on every run (``PYTHONDONTWRITEBYTECODE=1`` and
  no ``__pycache__``), as on a fresh CI checkout; this is the setting in which the task
  statement measured the bare import at about 0.5 s. ``--pyc`` adds rows with ``.pyc`` files
  present for the package (a developer's machine);
* compile-tasks' own modules are byte-compiled first, as ``pip install`` of a wheel does;
* the console script is the one installed next to ``sys.executable`` (not a version-manager
  shim, which would add its own start-up time to the compile only).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from generate import generate

import compiler

SHIM = '''
"""A stand-in ``compiler`` package: ``@task`` is a no-op, option classes do nothing."""

def task(_fn=None, **options):
    if _fn is not None:
        return _fn
    return lambda fn: fn


class _Anything:
    def __init__(self, *args, **kwargs):
        pass


Resources = Secret = FlyteFile = _Anything
'''

BARE = """
import importlib, pkgutil, sys
sys.path[:0] = [{shim!r}, {root!r}]
import benchpkg
for info in pkgutil.walk_packages(benchpkg.__path__, "benchpkg."):
    importlib.import_module(info.name)
"""

LIBRARY = """
import sys
from compiler.pipeline import CompileOptions, compile_package
from compiler.settings import ImageConfig, SerializationSettings
images = ImageConfig.from_specs({images!r})
compile_package(["benchpkg"], SerializationSettings(image_config=images), out=sys.argv[1],
                options=CompileOptions(jobs=0))
"""

IMAGES = [
    "--image",
    "registry.example.com/bench/app:1.0",
    "--image",
    "tools=registry.example.com/bench/tools:3.1",
]


@dataclass(frozen=True)
class Run:
    """One measured process: wall seconds, CPU seconds (with workers) and peak RSS in MiB."""

    seconds: float
    rss_mib: float
    cpu: float


def measure(argv: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``argv`` and return its wall time and peak RSS; fail loudly on a non-zero exit."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def import_compiler_ms(env: dict[str, str], repeats: int = 7) -> float:
    """Median milliseconds of ``import compiler`` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import compiler; print(time.perf_counter() - t)"
    times = [
        float(subprocess.check_output([sys.executable, "-c", code], text=True, env=env))
        for _ in range(repeats)
    ]
    return statistics.median(times) * 1000


def best(
    argv: list[str], cwd: Path, env: dict[str, str], repeats: int, fresh: Path | None = None
) -> Run:
    """Warm up once, then the fastest of ``repeats`` runs (with its RSS).

    With ``fresh``, that output folder is deleted before each run (outside the timing).
    """
    runs = []
    for _ in range(repeats + 1):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        runs.append(measure(argv, cwd, env))
    return min(runs[1:], key=lambda r: r.seconds)


def console_script() -> str:
    """``compile-tasks`` installed beside this interpreter (else the one on PATH)."""
    beside = Path(sys.executable).parent / "compile-tasks"
    return str(beside) if beside.exists() else shutil.which("compile-tasks") or "compile-tasks"


def clean_bytecode(folder: Path) -> None:
    """Remove every ``__pycache__`` below ``folder``."""
    for cache in folder.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


FLOOR = """
import json, os, sys
folder, manifest = sys.argv[1], sys.argv[2]
stems = [e["file"][:-3] for e in json.load(open(manifest))["entities"]]
os.mkdir(folder)
os.mkdir(os.path.join(folder, "yaml"))
pb, text = b"p" * 3000, b"y" * 6000
for stem in stems:
    with open(os.path.join(folder, stem + ".pb"), "wb") as f:
        f.write(pb)
    with open(os.path.join(folder, "yaml", stem + ".yaml"), "wb") as f:
        f.write(text)
"""


def file_floor(work: Path, bundle: Path, env: dict[str, str], repeats: int) -> Run:
    """A plain Python loop creating the files of a fresh bundle, same names, on this disk.

    The names matter: on this VM's ext4, creating files with the bundle's long names costs
    several times more per file than with short ones.
    """
    folder = work / "floor"
    argv = [sys.executable, "-c", FLOOR, str(folder), str(bundle / "manifest.json")]
    return best(argv, work, env, repeats, fresh=folder)


@dataclass(frozen=True)
class Row:
    """One measured configuration."""

    label: str
    run: Run


def measure_all(args: argparse.Namespace, work: Path) -> tuple[list[Row], Run, float]:
    """Every configuration: compile rows, the bare import, and ``import compiler``."""
    compileall.compile_dir(Path(compiler.__file__).parent, quiet=1)
    shim = work / "shim" / "compiler"
    shim.mkdir(parents=True, exist_ok=True)
    (shim / "__init__.py").write_text(textwrap.dedent(SHIM))
    cold = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    cold.pop("PYTHONPYCACHEPREFIX", None)
    clean_bytecode(work)
    bare_argv = [sys.executable, "-c", BARE.format(shim=str(work / "shim"), root=str(work))]
    bare = best(bare_argv, work, cold, args.repeats)
    script = console_script()
    rows = []
    for jobs in args.jobs:
        label = "auto" if jobs == 0 else str(jobs)
        for mode in ("recompile", "fresh"):
            out = work / ("out" if mode == "recompile" else f"out-fresh-{label}")
            argv = [script, "benchpkg", "--out", str(out), "--quiet", *IMAGES, "--jobs", str(jobs)]
            fresh = out if mode == "fresh" else None
            run = best(argv, work, cold, args.repeats, fresh=fresh)
            rows.append(Row(f"compile `--jobs {label}`, {mode}", run))
    library = LIBRARY.format(images=IMAGES[1::2])
    argv = [sys.executable, "-c", library, str(work / "out")]
    rows.append(
        Row(
            "`compile_package(...)` from Python, jobs auto, recompile",
            best(argv, work, cold, args.repeats),
        )
    )
    n = args.modules * args.tasks
    floor = file_floor(work, work / "out", cold, args.repeats)
    rows.append(Row(f"no compile: a Python loop creating the {2 * n:,} files", floor))
    if args.pyc:
        warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        compileall.compile_dir(work / "benchpkg", quiet=1)
        bare_pyc = best(bare_argv, work, warm, args.repeats)
        rows.append(Row("bare import, package .pyc present", bare_pyc))
        argv = [script, "benchpkg", "--out", str(work / "out"), "--quiet", *IMAGES]
        rows.append(
            Row(
                "compile `--jobs auto`, recompile, package .pyc present",
                best(argv, work, warm, args.repeats),
            )
        )
        clean_bytecode(work)
    return rows, bare, import_compiler_ms(cold)


def main() -> None:
    """Generate, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description="compile-tasks benchmark")
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument(
        "--jobs", type=int, nargs="*", default=[0, 1], help="compile-tasks --jobs values to measure"
    )
    parser.add_argument("--pyc", action="store_true", help="also measure with the package's .pyc")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="ct-bench-"))
    try:
        generate(work, args.modules, args.tasks)
        rows, bare, import_ms = measure_all(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    n = args.modules * args.tasks
    print(f"| measure ({n} tasks, {args.modules} modules) | wall | CPU | wall / bare | peak RSS |")
    print("| --- | --- | --- | --- | --- |")
    for label, r in [("bare import (`@task` no-op), package compiled from source", bare)] + [
        (row.label, row.run) for row in rows
    ]:
        print(
            f"| {label} | {r.seconds:.2f} s | {r.cpu:.2f} s | "
            f"{r.seconds / bare.seconds:.1f}x | {r.rss_mib:.0f} MiB |"
        )
    print(f"| `import compiler` (median of 7) | {import_ms:.0f} ms | | | |")
    print()
    print("Targets: compile <= 2.5x the bare import; peak RSS <= 100 MiB;")
    print("`import compiler` <= 150 ms.")


if __name__ == "__main__":
    main()
