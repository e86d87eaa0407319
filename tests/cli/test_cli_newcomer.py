"""A newcomer's first hour, through the real console script: the rough edges of the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import IMAGES, REPO, Runner, run_with_stderr_on_a_terminal

from compiler._version import __version__

MINI = REPO / "tests" / "cases" / "mini"
IMAGE_LINES = "image: [registry.example.com/team/app:2.0, gpu=registry.example.com/team/gpu:1.0]\n"


def _project(tmp_path: Path, config: str = "") -> Path:
    shutil.copytree(MINI / "minishop", tmp_path / "minishop")
    if config:
        (tmp_path / "compile-tasks.yaml").write_text(config)
    return tmp_path


def test_bare_command_compiles_the_configured_paths_into_the_configured_out(
    cli: Runner, tmp_path: Path
) -> None:
    project = _project(tmp_path, "paths: [minishop]\nout: build/bundle\n" + IMAGE_LINES)
    done = cli(cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("compiled 3 tasks from 3 modules")
    assert (project / "build" / "bundle" / "manifest.json").is_file()


def test_bare_command_without_configuration_shows_the_help(cli: Runner, tmp_path: Path) -> None:
    done = cli(cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: compile-tasks PATH... --out DIR [OPTIONS]")


def test_bare_command_with_paths_but_no_out_says_what_is_missing(
    cli: Runner, tmp_path: Path
) -> None:
    project = _project(tmp_path, "paths: [minishop]\n")
    done = cli(cwd=project)
    assert done.returncode == 2
    assert done.stderr == (
        "error CT816: no --out DIR given. hint: add --out bundle/ (or set 'out' in "
        "compile-tasks.yaml)\n"
    )


@pytest.mark.parametrize(("typed", "meant"), [("lsit", "list"), ("rnu", "run"), ("prot", "port")])
def test_a_mistyped_subcommand_gets_did_you_mean(
    cli: Runner, tmp_path: Path, typed: str, meant: str
) -> None:
    done = cli(typed, "x", cwd=tmp_path)
    assert done.returncode == 2
    assert f"Error: no such command or path '{typed}'. Did you mean '{meant}'?" in done.stderr


def test_an_existing_folder_named_like_a_command_is_still_a_path(
    cli: Runner, tmp_path: Path
) -> None:
    shutil.copytree(MINI / "minishop", tmp_path / "lst")
    done = cli("lst", "--dry-run", *IMAGES, cwd=tmp_path)
    assert "Did you mean" not in done.stderr


def test_version_and_id_version(cli: Runner, tmp_path: Path) -> None:
    assert cli("--version").stdout == f"compile-tasks, version {__version__}\n"
    project = _project(tmp_path)
    for flag in ("--id-version", "--version"):  # the second is the documented alias
        shown = cli("show-config", "minishop", flag, "7.1", cwd=project)
        assert shown.returncode == 0, shown.stderr
        assert "  version: '7.1'\n" in shown.stdout
    trailing = cli("minishop", "--out", "o", "--version", cwd=project)
    assert trailing.returncode == 2
    assert "run 'compile-tasks --version' alone for the tool's version" in trailing.stderr


def test_dash_i_is_the_image_everywhere(cli: Runner, tmp_path: Path) -> None:
    project = _project(tmp_path)
    shown = cli("show-config", "minishop", "-i", "r/app:3", cwd=project)
    assert "  image: r/app:3\n" in shown.stdout
    run = cli("run", str(project), "count", "-i", "names=[]", cwd=project)
    assert run.returncode == 2
    assert "No such option '-i'" in run.stderr


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            ["minishop", "--out", "o", "--json"],
            ["error CT830: --json has no effect without --dry-run. hint: add --dry-run, or run "
             "'compile-tasks list --json PATH...'"],
        ),
        (
            ["minishop", "--dry-run", "--golden", "g", "--check", "-v"],
            ["error CT830: --check has no effect with --dry-run. hint: --dry-run writes and "
             "compares nothing; drop --check",
             "error CT830: --golden has no effect with --dry-run. hint: --dry-run writes and "
             "compares nothing; drop --golden",
             "error CT830: --verbose has no effect with --dry-run. hint: --dry-run writes and "
             "compares nothing; drop --verbose"],
        ),
        (
            ["minishop", "--out", "o", "--dry-run", "--rebuild", "--render"],
            ["error CT830: --rebuild has no effect with --dry-run. hint: --dry-run writes and "
             "compares nothing; drop --rebuild",
             "error CT830: --render has no effect with --dry-run. hint: --dry-run writes and "
             "compares nothing; drop --render"],
        ),
        (
            ["minishop", "--show-config", "--force", "--json"],
            ["error CT830: --force has no effect with --show-config. hint: it only prints the "
             "configuration; drop --force",
             "error CT830: --json has no effect with --show-config. hint: it only prints the "
             "configuration; drop --json"],
        ),
        (
            ["list", "minishop", "--verbose", "--quiet"],
            ["error CT830: --quiet and --verbose exclude each other. hint: give one of them",
             "error CT830: --verbose has no effect with list. hint: list writes and compares "
             "nothing; drop --verbose"],
        ),
        (
            ["minishop", "--out", "o", "--no-cache", "--cache-dir", "c"],
            ["error CT830: --cache-dir has no effect with --no-cache. hint: no compile cache is "
             "read or written; drop one of them"],
        ),
        (
            ["list", "minishop", "--json", "--quiet"],
            ["error CT830: --quiet has no effect with --json. hint: the JSON listing is printed "
             "anyway; drop --quiet"],
        ),
        (
            ["port", "minishop", "-q", "-v"],
            ["error CT830: --quiet and --verbose exclude each other. hint: give one of them"],
        ),
        (
            ["show-config", "--quiet"],
            ["error CT830: --quiet has no effect with show-config. hint: it only prints the "
             "configuration; drop --quiet"],
        ),
    ],
)  # fmt: skip
def test_flags_without_effect_are_errors(
    cli: Runner, tmp_path: Path, args: list[str], lines: list[str]
) -> None:
    project = _project(tmp_path)
    extra = [] if args[0] == "port" else IMAGES
    done = cli(*args, *extra, cwd=project)
    assert done.returncode == 2
    shown = done.stderr.splitlines()
    assert sorted(line for line in shown if "error" in line) == sorted(lines)
    assert not (project / "o").exists()


def test_a_dry_run_checks_its_out_as_the_compile_would(cli: Runner, tmp_path: Path) -> None:
    project = _project(tmp_path)
    foreign = project / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n")
    refused = cli("minishop", "--out", "foreign", "--dry-run", *IMAGES, cwd=project)
    assert refused.returncode == 2
    assert "error CT502:" in refused.stderr
    assert "pass --force" in refused.stderr
    forced = cli("minishop", "--out", "foreign", "--dry-run", "--force", *IMAGES, cwd=project)
    assert forced.returncode == 0, forced.stderr
    assert "(nothing written)" in forced.stdout
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
    here = cli("minishop", "--out", ".", "--dry-run", "--force", *IMAGES, cwd=project)
    assert here.returncode == 2
    assert "error CT504:" in here.stderr  # as the compile refuses to replace the working folder


def test_every_configuration_problem_is_reported_at_once(cli: Runner, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.compile-tasks]\njobs = "two"\n')
    (tmp_path / "compile-tasks.yaml").write_text("pths: [x]\nimport_timeout: -1\n")
    done = cli("x", "--out", "o", "-e", "NOVALUE", cwd=tmp_path)
    assert done.returncode == 2
    found = sorted(
        (line.split(": error ")[0], line.split("error ")[1][:5])
        for line in done.stderr.splitlines()
        if "error" in line
    )
    assert found == [  # each located at its line
        ("compile-tasks.yaml:1", "CT810"),
        ("compile-tasks.yaml:2", "CT811"),
        ("error CT814: --env 'NOVALUE' is not KEY=VALUE. hint: write --env NAME=value", "CT814"),
        ("pyproject.toml:2", "CT811"),
    ]
    assert done.stderr.endswith("4 problems found\n")


def test_golden_key_in_the_configuration(cli: Runner, tmp_path: Path) -> None:
    project = _project(tmp_path, "paths: [minishop]\nout: out\ngolden: goldens\n" + IMAGE_LINES)
    created = cli("--update-goldens", cwd=project)
    assert created.returncode == 0, created.stderr
    assert sorted(p.name for p in (project / "goldens").iterdir())
    checked = cli("--check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert f"goldens: 3 entities match {project / 'goldens'}" in checked.stdout
    (project / "minishop" / "orders.py").write_text(
        (project / "minishop" / "orders.py").read_text().replace("retries=2", "retries=3")
    )
    drift = cli("--check", cwd=project)
    assert drift.returncode == 1


def test_progress_on_a_terminal_with_several_workers(tmp_path: Path) -> None:
    project = _project(tmp_path)
    done, seen = run_with_stderr_on_a_terminal(
        ["minishop", "--out", "o", "--jobs", "2", *IMAGES], project
    )
    code = done.returncode
    assert code == 0
    assert b"\r\x1b[Kimporting " in seen and b"\r\x1b[Kcompiling " in seen
    assert seen.endswith(b"\r\x1b[K")


def test_no_progress_when_stderr_is_not_a_terminal(cli: Runner, tmp_path: Path) -> None:
    project = _project(tmp_path)
    done = cli("minishop", "--out", "o", "--jobs", "2", *IMAGES, cwd=project)
    assert done.returncode == 0
    assert done.stderr == ""


def _flytekit_stub(folder: Path) -> Path:
    """A stand-in flytekit whose ``task`` returns the function (as a real one would: not ours)."""
    stub = folder / "stubs" / "flytekit"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("def task(fn=None, **kw):\n    return fn\n")
    return stub.parent


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_module_importing_flytekit_is_named_with_every_jobs(
    cli: Runner, tmp_path: Path, jobs: str
) -> None:
    project = _project(tmp_path)
    legacy = project / "minishop" / "legacy.py"
    legacy.write_text(
        '"""Not ported yet."""\n\nfrom flytekit import task\n\n\n'
        "@task\ndef old(x: int) -> int:\n    return x\n"
    )
    env = {"PYTHONPATH": str(_flytekit_stub(tmp_path))}
    done = cli("minishop", "--out", "o", "--jobs", jobs, *IMAGES, cwd=project, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "minishop/legacy.py:3: warning: module 'minishop.legacy' imports flytekit (flytekit); "
        "its flytekit tasks and workflows are not compiled. hint: run 'compile-tasks port "
        "minishop/legacy.py' to use compile-tasks' imports\n"
    )
    quiet = cli("minishop", "--out", "o", "-q", "--jobs", jobs, *IMAGES, cwd=project, env=env)
    assert quiet.stderr == done.stderr  # a warning asks for action: shown with --quiet too
    ported = cli("port", "minishop", cwd=project)
    assert ported.returncode == 0, ported.stderr
    again = cli("minishop", "--out", "o", "--jobs", jobs, *IMAGES, cwd=project, env=env)
    assert again.stderr == ""
    assert again.stdout.startswith("compiled 4 tasks")


def test_port_verbose_names_each_rewritten_file(cli: Runner, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from flytekit import task\n")
    (tmp_path / "b.py").write_text("x = 1\n")
    done = cli("port", ".", "--verbose", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "rewrote a.py\nrewrote 1 of 2 file(s)\n"


def test_without_flytekit_the_warning_explains_the_import_error(
    cli: Runner, tmp_path: Path
) -> None:
    import importlib.util

    if importlib.util.find_spec("flytekit") is not None:
        pytest.skip("flytekit is installed in this environment")
    project = _project(tmp_path)
    (project / "minishop" / "legacy.py").write_text("import flytekit as fl\n")
    done = cli("minishop", "--out", "o", *IMAGES, cwd=project)
    assert done.returncode == 3
    first, second = done.stderr.splitlines()
    assert first.startswith("minishop/legacy.py:1: warning: module 'minishop.legacy' imports")
    assert second.startswith("minishop/legacy.py:1: error CT403: import failed")
