"""Compile benchmark: compile time vs. bare import time, peak RSS, and ``import compiler`` time.

``python benchmarks/run.py [--modules 100] [--tasks 50] [--keep DIR]`` generates the synthetic
package (``benchmarks/generate.py``), then measures in fresh processes:

* **bare import**: importing every module of the package with a stand-in ``compiler`` whose
  ``@task`` is a no-op (the cost of merely executing the user's code);
* **compile**: ``compile-tasks benchpkg --out DIR`` through the real console script;
* **peak RSS** (``wait4``: the largest of the process and its workers; with ``--jobs N`` the
  workers run at the same time, so the total is about N times that), and the median time of
  ``import compiler``.

Both timings are whole-process wall times (interpreter start included) after one warm-up run
each, so ``.pyc`` files exist for both.
"""

from __future__ import annotations

import argparse
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


def measure(argv: list[str], cwd: Path) -> Run:
    """Run ``argv`` and return its wall time and peak RSS; fail loudly on a non-zero exit."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def import_compiler_ms(repeats: int = 7) -> float:
    """Median milliseconds of ``import compiler`` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import compiler; print(time.perf_counter() - t)"
    times = [
        float(subprocess.check_output([sys.executable, "-c", code], text=True))
        for _ in range(repeats)
    ]
    return statistics.median(times) * 1000


def best(argv: list[str], cwd: Path, repeats: int) -> Run:
    """Warm up once, then the fastest of ``repeats`` runs (with its RSS)."""
    measure(argv, cwd)
    return min((measure(argv, cwd) for _ in range(repeats)), key=lambda r: r.seconds)


def main() -> None:
    """Generate, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description="compile-tasks benchmark")
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument(
        "--jobs", type=int, nargs="*", default=[1, 0], help="compile-tasks --jobs values to measure"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="ct-bench-"))
    try:
        generate(work, args.modules, args.tasks)
        shim = work / "shim" / "compiler"
        shim.mkdir(parents=True, exist_ok=True)
        (shim / "__init__.py").write_text(textwrap.dedent(SHIM))
        bare_code = BARE.format(shim=str(work / "shim"), root=str(work))
        bare = best([sys.executable, "-c", bare_code], work, args.repeats)
        script = shutil.which("compile-tasks") or "compile-tasks"
        compiled = {}
        for jobs in args.jobs:
            compile_argv = [script, "benchpkg", "--out", str(work / "out"), "--quiet", *IMAGES]
            compiled[jobs] = best([*compile_argv, "--jobs", str(jobs)], work, args.repeats)
        import_ms = import_compiler_ms()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    n = args.modules * args.tasks
    print(f"| measure ({n} tasks, {args.modules} modules) | value | target |")
    print("| --- | --- | --- |")
    print(
        f"| bare import (`@task` no-op): wall / CPU | {bare.seconds:.2f} s / {bare.cpu:.2f} s | |"
    )
    for jobs, run in compiled.items():
        label = "auto" if jobs == 0 else str(jobs)
        print(f"| compile `--jobs {label}`: wall / CPU | {run.seconds:.2f} s / {run.cpu:.2f} s | |")
        print(
            f"| ratio compile `--jobs {label}` / bare import: wall / CPU | "
            f"{run.seconds / bare.seconds:.1f}x / {run.cpu / bare.cpu:.1f}x | <= 2.5x |"
        )
        print(
            f"| peak RSS `--jobs {label}` (largest process) | {run.rss_mib:.0f} MiB | <= 100 MiB |"
        )
    print(f"| peak RSS, bare import | {bare.rss_mib:.0f} MiB | |")
    print(f"| `import compiler` (median of 7) | {import_ms:.0f} ms | <= 150 ms |")


if __name__ == "__main__":
    main()
