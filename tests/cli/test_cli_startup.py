"""Start-up stays cheap: a compile does not import what only other commands need."""

from __future__ import annotations

import subprocess
import sys

LAZY = (
    "jinja2",
    "yaml",
    "compiler.golden",
    "compiler.runtime",
    "compiler.cli.run_task",
    "compiler.cli.git_ref",
)


def test_the_cli_imports_golden_and_runtime_only_when_used() -> None:
    code = (
        f"import sys, compiler.cli.main\nprint(','.join(m for m in {LAZY!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


def test_a_compile_lists_the_package_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The helper, the flytekit scan and the compile share one listing of the paths."""
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    code = (
        "import sys\n"
        "from compiler.discovery import plan\n"
        "calls = []\n"
        "original = plan.gather_sources\n"
        "def counting(*args):\n"
        "    calls.append(args)\n"
        "    return original(*args)\n"
        "plan.gather_sources = counting\n"
        "from compiler.cli.main import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print(len(calls))\n"
    )
    args = [str(repo / "examples"), "--out", str(tmp_path / "out"), "-q"]
    args += ["--image", "registry.example.com/team/app:2.0", "--image", "gpu=r.example.com/g:1"]
    for jobs in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", code, *args, "--jobs", jobs, "--no-cache", "--force"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "1", (jobs, done.stdout)
