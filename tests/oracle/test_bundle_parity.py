"""End to end: the bundle the real ``compile-tasks`` command writes equals flytekit's output.

Where ``test_parity.py`` serializes task objects directly, this runs the console script on each
oracle package (discovery, serialization and bundle writing together) and compares every
``*_1.pb`` of the bundle with the committed flytekit fixtures, by task name.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from flyteidl.admin import task_pb2

from tests.oracle.compare import apply_expected, diff, normalise, spec_dict
from tests.oracle.packages import PACKAGES, OraclePackage
from tests.oracle.parity import KNOWN_MISMATCHES, fixture_cases, load_fixture
from tests.oracle.porting import EXPECTED_DIFFERENCES

#: Mismatches seen only through the bundle, in addition to ``parity.KNOWN_MISMATCHES`` (the CLI
#: serializes in name order, so an order-dependent bug can hit another task there).
KNOWN_BUNDLE_MISMATCHES: dict[tuple[str, str], str] = {}


def _compile(package: OraclePackage, out: Path) -> dict[str, dict]:
    script = shutil.which("compile-tasks")
    if script is None:
        pytest.skip("the compile-tasks console script is not installed")
    command = [script, "compile", str(package.source), "--out", str(out), "--quiet"]
    for image in package.images:
        command += ["--image", image]
    for key, value in package.env:
        command += ["--env", f"{key}={value}"]
    if package.allow_pickle:
        command.append("--allow-pickle")
    result = subprocess.run(command, capture_output=True, text=True, cwd=package.parent)
    assert result.returncode == 0, result.stderr
    specs = {}
    for path in sorted(out.glob("*_1.pb")):
        spec = task_pb2.TaskSpec.FromString(path.read_bytes())
        specs[spec.template.id.name] = spec_dict(spec)
    return specs


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_bundle_equals_flytekit(package: OraclePackage, tmp_path: Path) -> None:
    ours = _compile(package, tmp_path / "bundle")
    expected = {name for _, name in fixture_cases([package.name])}
    assert set(ours) == expected
    problems = []
    for name in sorted(expected):
        theirs = apply_expected(load_fixture(package, name), EXPECTED_DIFFERENCES.get(name, {}))
        lines = list(diff(normalise(ours[name]), normalise(theirs)))
        key = (package.name, name)
        known = key in KNOWN_MISMATCHES or key in KNOWN_BUNDLE_MISMATCHES
        if lines and not known:
            problems.append(f"{name}:\n    " + "\n    ".join(lines))
        elif known and not lines:
            problems.append(f"{name}: now equal; remove it from the known mismatches")
    assert problems == [], "\n".join(problems)
