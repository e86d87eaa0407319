"""``compile-tasks port`` through the console script: flytekit imports become ours."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import REPO, tree

sys.path.insert(0, str(REPO))

from compiler.porting import compiler_module, port_source
from tests.oracle.porting import port_package

PROBES = REPO / "tests" / "oracle" / "probes"

FLYTEKIT_MODULE = '''\
"""Orders, as a flytekit user wrote them."""

import flytekit as fl
from flytekit import (
    Resources,  # requests below
    FlyteRemote,
    task,
)
from flytekit.extras.accelerators import A100
from flytekit.models.common import Labels
from flytekit.types.file import CSVFile


@task(requests=Resources(cpu="1"), accelerator=A100)
def count(rows: CSVFile) -> int:
    from flytekit import Config  # used at run time

    return 1


LABELS = Labels({"team": "data"})  # keep this comment
'''


def _write(root: Path, text: str) -> Path:
    package = root / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text(text)
    return package


def test_port_rewrites_imports_keeps_the_rest_and_lists_what_is_missing(
    cli, tmp_path: Path
) -> None:
    package = _write(tmp_path, FLYTEKIT_MODULE)
    result = cli("port", str(package), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "rewrote 1 of 2 file(s)\n"
    ported = (package / "orders.py").read_text()
    assert ported == FLYTEKIT_MODULE.replace(
        "import flytekit as fl\nfrom flytekit import (\n    Resources,  # requests below\n"
        "    FlyteRemote,\n    task,\n)\n",
        "import compiler as fl\n# requests below\nfrom compiler import Resources, task\n"
        "from flytekit import FlyteRemote\n",
    ).replace(
        "from flytekit.extras.accelerators import A100\nfrom flytekit.models.common import Labels\n"
        "from flytekit.types.file import CSVFile\n",
        "from compiler.accelerators import A100\nfrom compiler import Labels\n"
        "from compiler import CSVFile\n",
    )
    shown = str(package / "orders.py")
    assert f"{shown}:4: warning: flytekit name 'FlyteRemote' (from flytekit)" in result.stderr
    assert f"{shown}:16: warning: flytekit name 'Config'" in result.stderr
    again = cli("port", str(package), cwd=tmp_path)
    assert again.stdout == "rewrote 0 of 2 file(s)\n"  # idempotent
    assert (package / "orders.py").read_text() == ported


def test_check_writes_nothing_and_fails_when_something_would_change(cli, tmp_path: Path) -> None:
    package = _write(tmp_path, FLYTEKIT_MODULE)
    before = tree(tmp_path)
    result = cli("port", str(package), "--check", "--diff", cwd=tmp_path)
    assert result.returncode == 1
    assert tree(tmp_path) == before
    assert f"--- a/{package / 'orders.py'}" in result.stdout
    assert "+from compiler.accelerators import A100" in result.stdout
    assert result.stdout.endswith("would rewrite 1 of 2 file(s)\n")
    assert cli("port", str(package), cwd=tmp_path).returncode == 0
    assert cli("port", str(package), "--check", cwd=tmp_path).returncode == 0


def test_a_file_that_does_not_parse_stops_before_anything_is_written(cli, tmp_path: Path) -> None:
    package = _write(tmp_path, FLYTEKIT_MODULE)
    (package / "zz_broken.py").write_text("from flytekit import task\ndef (:\n")
    before = tree(tmp_path)
    result = cli("port", str(package), cwd=tmp_path)
    assert result.returncode == 2
    assert "error CT817" in result.stderr and "zz_broken.py:2" in result.stderr
    assert tree(tmp_path) == before
    assert cli("port", str(tmp_path / "missing"), cwd=tmp_path).returncode == 2


@pytest.mark.parametrize("probe", ["probe_workflows", "probe_launch_plans"])
def test_a_flytekit_port_of_a_probe_ports_back_to_the_same_bundle(
    cli, tmp_path: Path, probe: str
) -> None:
    """Ours -> flytekit (the oracle's port) -> ours (``port``) compiles to identical bytes."""
    flytekit_root = tmp_path / "flytekit"
    ported = port_package(PROBES / probe, flytekit_root)
    assert "from flytekit" in "".join(p.read_text() for p in ported.rglob("*.py"))
    result = cli("port", str(ported), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "from flytekit" not in "".join(p.read_text() for p in ported.rglob("*.py"))
    image = ("--image", "r/app:1")
    original = cli(str(PROBES / probe), "--out", str(tmp_path / "a"), *image, cwd=PROBES)
    again = cli(str(ported), "--out", str(tmp_path / "b"), *image, cwd=flytekit_root)
    assert (original.returncode, again.returncode) == (0, 0), again.stderr
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    manifests = [json.loads(t.pop("manifest.json")) for t in (first, second)]
    assert first == second  # every .pb, the archive and every rendering
    for manifest in manifests:  # import lines moved: only the source lines may differ
        for entry in manifest["entities"]:
            entry["source"] = entry["source"].rsplit(":", 1)[0]
    assert manifests[0] == manifests[1]


def test_every_mapped_name_resolves_to_a_module_that_exports_it() -> None:
    import importlib

    from compiler.porting import FLYTEKIT_HOME

    for name, flytekit_module in FLYTEKIT_HOME.items():
        ours = compiler_module(name, flytekit_module)
        assert ours is not None, name
        assert hasattr(importlib.import_module(ours), name), (name, ours)


def test_import_flytekit_keeps_its_name_and_submodule_imports_are_reported() -> None:
    result = port_source(
        textwrap.dedent(
            """\
            import os, flytekit
            import flytekit.types.file
            from flytekit.models import common
            """
        )
    )
    assert result.text == (
        "import os, compiler as flytekit\nimport flytekit.types.file\n"
        "from compiler.models import common\n"
    )
    assert [(u.line, u.name) for u in result.unported] == [(2, "flytekit.types.file")]
