"""Regenerate the flytekit fixtures: ``python tests/oracle/regenerate.py``.

For every oracle package (``tests/oracle/packages.py``): port it to flytekit
(``tests/oracle/porting.py``) in a temporary directory, run
``pyflyte --pkgs PKG package --image ... --env ... -o out.tgz --force`` there, and write each
``TaskSpec`` of the archive as ``tests/oracle/fixtures/PKG/<task name>.json`` (sorted keys),
each ``WorkflowSpec`` (``_2.pb``) as ``PKG/workflow/<name>.json`` and each ``LaunchPlan``
(``_3.pb``) as ``PKG/launch_plan/<name>.json``, and what flytekit's entrypoint writes for the
dynamic tasks of ``tests/oracle/futures.py`` as ``PKG/futures/<name>.json``.

``pyflyte`` is taken from ``--pyflyte``, else ``$CT_ORACLE_PYFLYTE``, else
``/work/.venv-oracle/bin/pyflyte``, else ``.venv-oracle/bin/pyflyte`` in the repository, else the
``PATH``. Also ``--check``: print the parity figure of our compiler against the fixtures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2

# Run as a script too: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.oracle.compare import spec_dict, without_source_root
from tests.oracle.futures import flytekit_results
from tests.oracle.packages import PACKAGES, REPO, OraclePackage
from tests.oracle.parity import print_parity
from tests.oracle.porting import port_package

__all__ = [
    "KIND_MESSAGES",
    "find_pyflyte",
    "flytekit_entities",
    "flytekit_specs",
    "main",
    "venv_problem",
    "write_fixtures",
]

#: Fixture folder of a kind -> (archive suffix, message class, how to read its name).
KIND_MESSAGES: dict[str, tuple[str, Any, Any]] = {
    "workflow": ("_2.pb", workflow_pb2.WorkflowSpec, lambda m: m.template.id.name),
    "launch_plan": ("_3.pb", launch_plan_pb2.LaunchPlan, lambda m: m.id.name),
}

_CANDIDATES = (
    Path("/work/.venv-oracle/bin/pyflyte"),
    REPO / ".venv-oracle" / "bin" / "pyflyte",
)


def find_pyflyte(explicit: str | None = None) -> str | None:
    """The ``pyflyte`` executable to use, or ``None`` when there is none."""
    if explicit:
        return explicit
    if os.environ.get("CT_ORACLE_PYFLYTE"):
        return os.environ["CT_ORACLE_PYFLYTE"]
    for candidate in _CANDIDATES:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("pyflyte")


#: What the oracle packages need besides flytekit: ``kubernetes`` (pod templates), ``numpy``
#: (dataset columns), the polars plugin (the polars probe), and what
#: ``examples/analytics/frames.py`` imports (pandas, pyarrow, pydantic).
_PROBE = (
    "import importlib.metadata as m, kubernetes, numpy, pandas, pyarrow, pydantic, polars, "
    "flytekitplugins.polars; print(m.version('flytekit'))"
)


def venv_problem(pyflyte: str) -> str | None:
    """Why the venv of ``pyflyte`` cannot serve as the oracle (``None``: it can).

    It needs flytekit 1.16.31 and the modules :data:`_PROBE` imports.
    """
    python = Path(pyflyte).with_name("python")
    if not python.exists():
        return f"no python next to {pyflyte}"
    result = subprocess.run([str(python), "-c", _PROBE], capture_output=True, text=True)
    if result.returncode != 0:
        return f"{python}: {result.stderr.strip().splitlines()[-1:]}"
    if result.stdout.strip() != "1.16.31":
        return f"{python} has flytekit {result.stdout.strip()}, not 1.16.31"
    return None


#: flytekit serializes a dummy ``[MODULE.]_bash.NAME`` task next to each ``ShellTask`` (its own
#: comment calls it a hack); it is nothing users declare, so no fixture keeps it.
_BASH_HELPER = "._bash."


def _task_specs(archive: Path) -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = {}
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.name.endswith("_1.pb"):
                continue
            spec = task_pb2.TaskSpec.FromString(tar.extractfile(member).read())
            name = spec.template.id.name
            if name.startswith(_BASH_HELPER[1:]) or _BASH_HELPER in name:
                continue  # flytekit's internal stand-in of a ShellTask, serialized by accident
            specs[spec.template.id.name] = without_source_root(spec_dict(spec))
    return specs


def _kind_specs(archive: Path, kind: str) -> dict[str, dict[str, Any]]:
    suffix, message, name_of = KIND_MESSAGES[kind]
    specs: dict[str, dict[str, Any]] = {}
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if member.name.endswith(suffix):
                spec = message.FromString(tar.extractfile(member).read())
                specs[name_of(spec)] = spec_dict(spec)
    return specs


def flytekit_specs(package: OraclePackage, pyflyte: str, workdir: Path) -> dict[str, Any]:
    """Port ``package`` into ``workdir``, run ``pyflyte package``; TaskSpec dicts by name."""
    return flytekit_entities(package, pyflyte, workdir)["task"]


def flytekit_entities(
    package: OraclePackage, pyflyte: str, workdir: Path
) -> dict[str, dict[str, Any]]:
    """Like :func:`flytekit_specs`, for every kind: ``{kind: {name: dict}}``."""
    port_package(package.source, workdir)
    archive = workdir / "out.tgz"
    command = [pyflyte, "--pkgs", package.name, "package", *package.pyflyte_flags()]
    command += ["-o", str(archive), "--force"]
    scratch = workdir / "tmp"  # pyflyte leaves flyte-* folders in TMPDIR: keep them in workdir
    scratch.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(workdir),
        "PYTHONHASHSEED": "0",
        "TMPDIR": str(scratch),
    }
    result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not archive.exists():
        raise RuntimeError(
            f"pyflyte failed for {package.name} (exit {result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    entities = {"task": _task_specs(archive)}
    for kind in KIND_MESSAGES:
        entities[kind] = _kind_specs(archive, kind)
    return entities


def _write_json(folder: Path, specs: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, spec in sorted(specs.items()):
        text = json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (folder / f"{name}.json").write_text(text, encoding="utf-8")


def write_fixtures(
    package: OraclePackage, specs: dict[str, Any], others: dict[str, dict[str, Any]] | None = None
) -> None:
    """Replace the package's fixture directory: one JSON file per task, per workflow and per
    launch plan (``others``: kind folder -> specs by name; empty kinds get no folder)."""
    target = package.fixtures
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    _write_json(target, specs)
    for kind, kind_specs in sorted((others or {}).items()):
        if kind_specs:
            _write_json(package.kind_fixtures(kind), kind_specs)


def _regenerate(pyflyte: str, names: list[str]) -> None:
    for package in PACKAGES:
        if names and package.name not in names:
            continue
        with tempfile.TemporaryDirectory(prefix=f"ct-oracle-{package.name}-") as tmp:
            entities = flytekit_entities(package, pyflyte, Path(tmp))
            specs = entities.pop("task")
            # The dynamic tasks' futures.pb, written by flytekit's entrypoint (its own port).
            futures = flytekit_results(package, pyflyte, Path(tmp), specs)
        write_fixtures(package, specs, {**entities, "futures": futures})
        counts = ", ".join(f"{len(v)} {k}(s)" for k, v in entities.items())
        print(
            f"{package.name}: {len(specs)} task(s), {counts} -> "
            f"{package.fixtures.relative_to(REPO)}"
        )


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="only these packages (default: all)")
    parser.add_argument("--pyflyte", help="the pyflyte executable of a flytekit 1.16.31 venv")
    parser.add_argument("--check", action="store_true", help="print the parity figure only")
    args = parser.parse_args(argv)
    if args.check:
        return print_parity(args.packages)
    pyflyte = find_pyflyte(args.pyflyte)
    if pyflyte is None:
        print("no pyflyte found: pass --pyflyte or set CT_ORACLE_PYFLYTE", file=sys.stderr)
        return 2
    problem = venv_problem(pyflyte)
    if problem:
        print(f"the oracle venv is not usable: {problem} (see docs/oracle.md)", file=sys.stderr)
        return 2
    _regenerate(pyflyte, args.packages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
