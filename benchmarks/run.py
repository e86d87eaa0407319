"""Compile benchmark: compile-tasks against the bare import and ``pyflyte package``, one run.

``python benchmarks/run.py`` generates the synthetic package (``benchmarks/generate.py``) at
5,000 and 20,000 tasks (100 and 400 modules of 50 tasks), each without and with workflows (one
per module, ten nodes, a named launch plan each), and measures in fresh processes, side by side
in the same run:

* **bare import**: importing every module of the package with a stand-in ``compiler`` whose
  ``@task``/``@workflow`` are no-ops (the cost of merely executing the user's code), run in
  turn with every other row (see below);
* **pyflyte package**: flytekit's ``pyflyte --pkgs benchpkg package -o FILE.tgz`` on the same
  package (only its import lines differ), from ``--pyflyte`` (default: the oracle venv);
* **compile, fresh folder, empty cache**: ``compile-tasks benchpkg --out DIR`` into a folder
  that does not exist yet, with an empty compile cache (a CI job on a clean checkout: every
  module is imported, and stored in the cache); the same with ``--no-cache``;
* **compile, recompile**: the same into the bundle the previous run wrote (unchanged files are
  hard-linked, see ``docs/bundle.md``), without the cache and with it filled;
* **compile, archive only**: ``--out FILE.tgz`` (only the archive is written), without the
  cache and with it filled;
* **compile, fresh folder, cache filled**: a new folder, nothing changed since the cache was
  filled (a developer's second compile, a CI job that restores the cache folder);
* **compile, recompile after editing one module**: one module of the package changed before
  each run (the edit-compile loop);
* **floor**: a plain Python loop creating the bundle's ``.pb`` files (same names and sizes)
  with no compile at all: what creating the files costs on this disk at that moment;
* **peak RSS** of each process (``wait4``: the largest of the process and its workers), and
  ``import compiler`` (``-X importtime``, median of 7).

Timings are whole-process wall times (interpreter start included). Each row runs once to warm
up, then ``--repeats`` times, each run right after a run of the bare import: the row's ``wall``
and ``CPU`` are its best run, its ratios to the bare import the median of the ``--repeats``
pairs (each run against the bare import just before it, so that both met the same machine);
the bare import's own row is the best of all its runs. ``pyflyte`` runs once (it takes 20-90
s). Nothing is deleted between runs (outputs are moved aside and deleted at the end),
pyflyte's temporary folder is on tmpfs, and each row that creates a new folder waits for the
disk to settle first: on an ext4 without a journal, creating files just after thousands were
deleted costs 30 times the usual (:func:`set_aside`), which a clean CI checkout never meets.
The last line shows that effect on this machine.

The user's package is compiled from source on every run (``PYTHONDONTWRITEBYTECODE=1``, no
``__pycache__``), as on a fresh CI checkout; compile-tasks' own modules are byte-compiled
first, as ``pip install`` does; the console script beside ``sys.executable`` is run (not a
version-manager shim).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generate import generate

import compiler

SHIM = '''
"""A stand-in ``compiler`` package: decorators are no-ops, option classes do nothing."""

def task(_fn=None, **options):
    if _fn is not None:
        return _fn
    return lambda fn: fn


workflow = task


class _Anything:
    def __init__(self, *args, **kwargs):
        pass

    @classmethod
    def get_or_create(cls, *args, **kwargs):
        return cls()


Resources = Secret = FlyteFile = CronSchedule = LaunchPlan = _Anything
'''

BARE = """
import importlib, pkgutil, sys
sys.path[:0] = [{shim!r}, {root!r}]
import benchpkg
for info in pkgutil.walk_packages(benchpkg.__path__, "benchpkg."):
    importlib.import_module(info.name)
"""

FLOOR = """
import json, os, sys
folder, manifest = sys.argv[1], sys.argv[2]
os.mkdir(folder)
for entity in json.load(open(manifest))["entities"]:
    with open(os.path.join(folder, entity["file"]), "wb") as f:
        f.write(b"p" * 2000)
"""

FILES = """
import os, sys
folder, count = sys.argv[1], int(sys.argv[2])
os.mkdir(folder)
for index in range(count):
    with open(os.path.join(folder, f"00_benchpkg.mod_{index:06d}_1.pb"), "wb") as f:
        f.write(b"p" * 2000)
"""

IMAGES = ["registry.example.com/bench/app:1.0", "tools=registry.example.com/bench/tools:3.1"]
IMAGE_ARGS = [word for image in IMAGES for word in ("--image", image)]
DEFAULT_PYFLYTE = "/work/.venv-oracle/bin/pyflyte"


@dataclass(frozen=True)
class Run:
    """One measured process: wall seconds, CPU seconds (with workers), peak RSS in MiB."""

    seconds: float
    cpu: float
    rss_mib: float


@dataclass(frozen=True)
class Row:
    """A row of a table: its best run and its ratios to the bare import (``None``: the bare
    import's own row, or pyflyte's, which runs once and is set against the best bare run)."""

    run: Run
    wall_ratio: float | None = None
    cpu_ratio: float | None = None


#: Folders deleted after the last measurement; the first is where :func:`set_aside` moves
#: folders to (set by ``main``).
TRASH: list[Path] = []


def set_aside(folder: Path) -> None:
    """Move ``folder`` out of the way without deleting it (deleted at the end of the run).

    On a disk whose ext4 has no journal (this VM's), creating a file scans past every inode
    freed in the last minute or more (the kernel's ``recently_deleted`` check in
    ``find_inode_bit``): after deleting a 5,000-file bundle, creating the next 5,000 files
    costs 0.6 ms of system time each instead of 0.02 ms. A clean CI checkout has deleted
    nothing, so the benchmark must not delete between its own runs either.
    """
    if not folder.exists():
        return
    if not TRASH:
        TRASH.append(folder.parent / ".trash")
    trash = TRASH[0]
    trash.mkdir(exist_ok=True)
    folder.rename(trash / f"{folder.name}-{time.monotonic_ns()}")


def measure(argv: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``argv``; its wall time, CPU time and peak RSS. Fails loudly on a non-zero exit."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{stderr[-3000:]}")
    if proc.stderr:
        proc.stderr.close()
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def paired(
    argv: list[str],
    bare: list[Run],
    bare_argv: list[str],
    cwd: Path,
    env: dict[str, str],
    repeats: int,
    fresh: Path | Sequence[Path] | None = None,
    before: Callable[[int], None] | None = None,
) -> Row:
    """Warm up once, then ``repeats`` pairs: the bare import, then ``argv``.

    The row is the fastest run of ``argv`` with the median, over the pairs, of its wall and
    CPU times divided by those of the bare import run just before it (the bare runs are added
    to ``bare``). Pairs keep a ratio meaningful when the machine's speed drifts during the
    benchmark, and both sides are the same number of runs (a best of more runs is lower).
    ``fresh`` (a folder or several) is set aside (:func:`set_aside`) before each run of
    ``argv``; ``before(i)`` runs before its run ``i`` (an edit to the package, say).
    """
    folders = [fresh] if isinstance(fresh, Path) else list(fresh or ())
    runs, walls, cpus = [], [], []
    for index in range(repeats + 1):
        base = measure(bare_argv, cwd, env)
        for folder in folders:
            set_aside(folder)
        if before is not None:
            before(index)
        run = measure(argv, cwd, env)
        if index == 0:
            continue  # the warm-up pair
        bare.append(base)
        runs.append(run)
        walls.append(run.seconds / base.seconds)
        cpus.append(run.cpu / base.cpu)
    fastest = min(runs, key=lambda r: r.seconds)
    return Row(fastest, statistics.median(walls), statistics.median(cpus))


def pyflyte_tmp(work: Path) -> dict[str, str]:
    """``TMPDIR`` for pyflyte: a folder on tmpfs, where one exists.

    ``pyflyte package`` serializes into a temporary folder and deletes it; deleting its
    thousands of files on this disk would slow the file creation of the next processes (see
    :func:`set_aside`). On tmpfs its deletion costs the others nothing, and its own file
    creation is, if anything, cheaper there than on disk: the comparison favours pyflyte.
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return {}
    folder = Path(tempfile.mkdtemp(prefix=f"ct-bench-{work.name}-", dir=shm))
    TRASH.append(folder)
    return {"TMPDIR": str(folder)}


def edit_one_module(work: Path) -> Callable[[int], None]:
    """Before each run, change a constant in the first module (one module of many edited)."""
    module = work / "benchpkg" / "mod_000.py"
    original = module.read_text()

    def edit(index: int) -> None:
        module.write_text(f"{original}\nEDITED = {index}\n")

    return edit


def import_compiler_ms(env: dict[str, str], repeats: int = 7) -> tuple[float, float]:
    """Least and median of ``python -X importtime -c 'import compiler'`` (its cumulative time)."""
    found = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import compiler"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        match = re.search(r"\|\s*(\d+) \| compiler$", done.stderr, re.MULTILINE)
        if match:
            found.append(int(match.group(1)) / 1000)
    return min(found), statistics.median(found)


def console_script() -> str:
    """``compile-tasks`` installed beside this interpreter (else the one on PATH)."""
    beside = Path(sys.executable).parent / "compile-tasks"
    return str(beside) if beside.exists() else shutil.which("compile-tasks") or "compile-tasks"


def clean_bytecode(folder: Path) -> None:
    """Remove every ``__pycache__`` below ``folder``."""
    for cache in folder.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


@dataclass(frozen=True)
class Table:
    """The rows of one configuration (package size, with or without workflows)."""

    title: str
    bare: Run
    pyflyte: Run | None
    rows: list[tuple[str, Row]]


def measure_config(
    args: argparse.Namespace, work: Path, modules: int, workflows: bool, env: dict[str, str]
) -> Table:
    """Generate one package (both flavors) and measure every row."""
    set_aside(work)
    work.mkdir(parents=True)
    generate(work, modules, args.tasks, workflows=workflows)
    flytekit_work = work / "flytekit"
    generate(flytekit_work, modules, args.tasks, workflows=workflows, flavor="flytekit")
    shim = work / "shim" / "compiler"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(textwrap.dedent(SHIM))
    clean_bytecode(work)
    bare_argv = [sys.executable, "-c", BARE.format(shim=str(work / "shim"), root=str(work))]
    bare: list[Run] = []  # every bare import run, for the bare import's row

    def row(argv: list[str], **more: Any) -> Row:
        return paired(argv, bare, bare_argv, work, env, args.repeats, **more)

    script = console_script()
    base = [script, "benchpkg", "--quiet", *IMAGE_ARGS, "--jobs", str(args.jobs)]
    cache = work / "cache"
    cached = [*base, "--cache-dir", str(cache)]
    plain = [*base, "--no-cache"]
    fresh, out, archive = work / "fresh", work / "out", work / "bundle.tgz"

    def creating(argv: list[str], fresh: Path | Sequence[Path]) -> Row:
        """The row of a run that creates a new folder's files, once the disk has settled."""
        waited = settle_disk(work, env)
        if waited:
            print(f"(waited {waited:.0f} s for the disk to settle: files were deleted recently)")
        return row(argv, fresh=fresh)

    rows = [
        (
            "compile, fresh folder, empty cache (a clean CI checkout; the cache is written)",
            creating([*cached, "--out", str(fresh)], [fresh, cache]),
        ),
        (
            "compile, fresh folder, `--no-cache`",
            creating([*plain, "--out", str(fresh)], fresh),
        ),
        (
            "compile, recompile into the previous bundle, `--no-cache`",
            row([*plain, "--out", str(out)]),
        ),
        (
            "compile, `--out FILE.tgz` (archive only), `--no-cache`",
            row([*plain, "--out", str(archive)]),
        ),
    ]
    measure([*cached, "--out", str(out)], work, env)  # fill the cache
    edited = edit_one_module(work)
    rows += [
        (
            "compile, fresh folder, cache filled (nothing changed)",
            creating([*cached, "--out", str(fresh)], fresh),
        ),
        (
            "compile, recompile into the previous bundle, cache filled",
            row([*cached, "--out", str(out)]),
        ),
        (
            "compile, `--out FILE.tgz` (archive only), cache filled",
            row([*cached, "--out", str(archive)]),
        ),
        (
            "compile, recompile after editing one module, cache filled",
            row([*cached, "--out", str(out)], before=edited),
        ),
    ]
    floor = work / "floor"
    floor_argv = [sys.executable, "-c", FLOOR, str(floor), str(out / "manifest.json")]
    rows.append(
        (
            "no compile: a Python loop creating the .pb files",
            creating(floor_argv, floor),
        )
    )
    pyflyte = None
    if args.pyflyte and Path(args.pyflyte).exists():
        clean_bytecode(flytekit_work)
        argv = [
            args.pyflyte,
            "--pkgs",
            "benchpkg",
            "package",
            *IMAGE_ARGS,
            "-o",
            "out.tgz",
            "--force",
        ]
        pyflyte = measure(argv, flytekit_work, {**env, **pyflyte_tmp(work)})
    tasks = modules * args.tasks
    extra = f", {modules} workflows + {2 * modules} launch plans" if workflows else ""
    title = f"{tasks:,} tasks in {modules} modules{extra}"
    return Table(title, min(bare, key=lambda r: r.seconds), pyflyte, rows)


def print_table(table: Table) -> None:
    """One Markdown table: every row against the bare import and pyflyte of the same run.

    Wall-time ratios are what a user waits; on a shared machine they also measure the load of
    the moment each process ran (hence the pairs, see :func:`paired`). CPU-time ratios (the
    process and its workers, user + system) are nearly independent of the load, so both are
    printed.
    """
    bare, pyflyte = table.bare, table.pyflyte
    print(f"\n#### {table.title}\n")
    print(
        "| measure | wall | CPU | wall / bare | CPU / bare CPU | pyflyte / this, wall | "
        "pyflyte / this, CPU | peak RSS |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")

    def line(label: str, row: Row) -> None:
        r = row.run
        wall = f"{pyflyte.seconds / r.seconds:.1f}x" if pyflyte else "n/a"
        cpu = f"{pyflyte.cpu / r.cpu:.1f}x" if pyflyte else "n/a"
        wall_ratio = row.wall_ratio if row.wall_ratio is not None else r.seconds / bare.seconds
        cpu_ratio = row.cpu_ratio if row.cpu_ratio is not None else r.cpu / bare.cpu
        print(
            f"| {label} | {r.seconds:.2f} s | {r.cpu:.2f} s | {wall_ratio:.2f}x | "
            f"{cpu_ratio:.2f}x | {wall} | {cpu} | {r.rss_mib:.0f} MiB |"
        )

    line("bare import (`@task` no-op), package compiled from source", Row(bare))
    if pyflyte is not None:
        line("`pyflyte package -o FILE.tgz` (flytekit 1.16)", Row(pyflyte))
    for label, row in table.rows:
        line(label, row)


def settle_disk(root: Path, env: dict[str, str], limit: float = 600.0) -> float:
    """Wait until creating files costs what it costs on a disk with no recent deletion.

    Other processes on the machine (and a previous benchmark's clean-up) delete files too;
    their deletions slow file creation for a few minutes (:func:`set_aside`). Probes by
    creating 2,000 files (kept, not deleted) until that takes under 0.04 ms of CPU per file;
    returns the seconds waited (``limit`` at most, then it measures anyway).
    """
    waited, probe = 0.0, 0
    while True:
        probe += 1
        folder = root / f"probe-{os.getpid()}-{probe}"
        run = measure([sys.executable, "-c", FILES, str(folder), "2000"], root, env)
        set_aside(folder)
        if run.cpu < 0.05 + 2000 * 0.00004 or waited >= limit:  # start-up, then 0.04 ms a file
            return waited
        time.sleep(15)
        waited += 15


def deletion_effect(root: Path, env: dict[str, str], count: int = 5000) -> tuple[Run, Run]:
    """Creating ``count`` files in a new folder: with no recent deletion, and just after one.

    Shows the disk effect :func:`set_aside` keeps out of the tables: the second run creates
    its files two seconds after ``count`` files were deleted (the kernel counts a deletion as
    recent from the next second on).
    """
    argv = [sys.executable, "-c", FILES]
    clean = measure([*argv, str(root / "files-clean"), str(count)], root, env)
    shutil.rmtree(root / "files-clean")
    time.sleep(2)
    after = measure([*argv, str(root / "files-after"), str(count)], root, env)
    return clean, after


def main() -> None:
    """Generate, measure, print Markdown tables."""
    parser = argparse.ArgumentParser(description="compile-tasks benchmark")
    parser.add_argument("--modules", type=int, nargs="*", default=[100, 400])
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="compile-tasks --jobs (0: auto)")
    parser.add_argument("--workflows", choices=["both", "no", "yes"], default="both")
    parser.add_argument("--pyflyte", default=DEFAULT_PYFLYTE, help="'' to skip the pyflyte rows")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    compileall.compile_dir(Path(compiler.__file__).parent, quiet=1)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPYCACHEPREFIX", None)
    root = args.keep or Path(tempfile.mkdtemp(prefix="ct-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    TRASH[:] = [root / ".trash"]
    flows = {"both": [False, True], "no": [False], "yes": [True]}[args.workflows]
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    try:
        for modules in args.modules:
            for workflows in flows:
                work = root / f"m{modules}{'-wf' if workflows else ''}"
                print_table(measure_config(args, work, modules, workflows, env))
                sys.stdout.flush()
        least, median = import_compiler_ms(env)
        print(
            f"\n`import compiler` (`-X importtime`, 7 runs): least {least:.1f} ms, "
            f"median {median:.1f} ms"
        )
        clean, after = deletion_effect(root, env)
        print(
            f"\nThe disk: creating 5,000 files in a new folder took {clean.seconds:.2f} s "
            f"({clean.cpu:.2f} s CPU) with no recent deletion, {after.seconds:.2f} s "
            f"({after.cpu:.2f} s CPU) two seconds after deleting 5,000 files."
        )
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        for folder in TRASH:
            shutil.rmtree(folder, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
