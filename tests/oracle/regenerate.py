"""Regenerate the flytekit fixtures: ``python tests/oracle/regenerate.py``.

For every oracle package (``tests/oracle/packages.py``): port it to flytekit
(``tests/oracle/porting.py``) in a temporary directory, run
``pyflyte --pkgs PKG package --image ... --env ... -o out.tgz --force`` there, and write each
``TaskSpec`` of the archive as ``tests/oracle/fixtures/PKG/<task name>.json`` (sorted keys).

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

from flyteidl.admin import task_pb2

# Run as a script too: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.oracle.compare import spec_dict
from tests.oracle.packages import PACKAGES, REPO, OraclePackage
from tests.oracle.parity import print_parity
from tests.oracle.porting import port_package

__all__ = ["find_pyflyte", "flytekit_specs", "main", "venv_problem", "write_fixtures"]

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


_PROBE = "import importlib.metadata as m, kubernetes, numpy; print(m.version('flytekit'))"


def venv_problem(pyflyte: str) -> str | None:
    """Why the venv of ``pyflyte`` cannot serve as the oracle (``None``: it can).

    It needs flytekit 1.16.31, ``kubernetes`` (pod templates) and ``numpy`` (dataset columns).
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


def _task_specs(archive: Path) -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = {}
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.name.endswith("_1.pb"):
                continue
            spec = task_pb2.TaskSpec.FromString(tar.extractfile(member).read())
            specs[spec.template.id.name] = spec_dict(spec)
    return specs


def flytekit_specs(package: OraclePackage, pyflyte: str, workdir: Path) -> dict[str, Any]:
    """Port ``package`` into ``workdir``, run ``pyflyte package``; TaskSpec dicts by name."""
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
    return _task_specs(archive)


def write_fixtures(package: OraclePackage, specs: dict[str, Any]) -> None:
    """Replace the package's fixture directory with one JSON file per task."""
    target = package.fixtures
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, spec in sorted(specs.items()):
        text = json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (target / f"{name}.json").write_text(text, encoding="utf-8")


def _regenerate(pyflyte: str, names: list[str]) -> None:
    for package in PACKAGES:
        if names and package.name not in names:
            continue
        with tempfile.TemporaryDirectory(prefix=f"ct-oracle-{package.name}-") as tmp:
            specs = flytekit_specs(package, pyflyte, Path(tmp))
        write_fixtures(package, specs)
        print(f"{package.name}: {len(specs)} task(s) -> {package.fixtures.relative_to(REPO)}")


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
