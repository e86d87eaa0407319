"""``compile-tasks images`` through the console script."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

PROBE = Path(__file__).resolve().parents[1] / "oracle" / "probes" / "probe_authoring"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("compile-tasks")
    assert exe, "compile-tasks must be on PATH"
    return subprocess.run([exe, "images", *args], capture_output=True, text=True, timeout=120)


def test_json_lists_every_image_with_its_tasks_bases_first() -> None:
    done = _run("--json", str(PROBE))
    assert done.returncode == 0, done.stderr
    images = json.loads(done.stdout)
    names = [i["image"] for i in images]
    assert len(names) == len(set(names)) == 9
    unused = [i for i in images if not i["tasks"]]
    assert [i["spec"]["packages"] for i in unused] == [["requests"]]  # declared, never used
    assert "ghcr.io/acme/tools:estY72zGg8F9Yn0mddx4QQ" in names
    shared = next(i for i in images if i["name"] == "shared")
    assert shared["tasks"] == [
        "probe_authoring.shared.clean",
        "probe_authoring.shared.enrich",
        "probe_authoring.shared.train",
    ]
    assert shared["spec"]["packages"] == ["attrs"]
    assert _run("--json", str(PROBE)).stdout == done.stdout  # deterministic


def test_text_output_and_bad_path() -> None:
    done = _run(str(PROBE))
    assert done.returncode == 0 and "<- authoring.from_file" in done.stdout
    bad = _run(str(PROBE / "missing"))
    assert bad.returncode == 2 and "CT401" in bad.stderr


def test_missing_requirements_file_fails_compile_and_listing(tmp_path: Path) -> None:
    package = tmp_path / "pkgx"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "t.py").write_text(
        "from compiler import ImageSpec, task\n\n"
        'img = ImageSpec(name="app", requirements="pkgx/requirements.txt")\n\n\n'
        "@task(container_image=img)\n"
        "def f(x: int) -> int:\n"
        "    return x\n"
    )
    exe = shutil.which("compile-tasks")
    assert exe
    compiled = subprocess.run(
        [exe, "pkgx", "--out", "out", "--image", "a/b:1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compiled.returncode == 3
    assert "pkgx/t.py:3: error CT320: task 'pkgx.t.f', option 'requirements'" in compiled.stderr
    assert not (tmp_path / "out").exists()
    listed = subprocess.run(
        [exe, "images", "pkgx"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 3 and "CT320" in listed.stderr
    (package / "requirements.txt").write_text("attrs\n")
    listed = subprocess.run(
        [exe, "images", "pkgx"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0 and listed.stdout.startswith("app:")
