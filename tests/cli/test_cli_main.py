"""The console script end to end: examples, broken packages, exit codes, untouched output."""

from __future__ import annotations

import collections
import json
import re
import shutil
import signal
import subprocess
import tarfile
import time
from pathlib import Path

import pytest
from cli_helpers import CASES, EXAMPLES, IMAGES, run_with_stderr_on_a_terminal, tree

BROKEN = CASES / "broken"
MINI = CASES / "mini"


def test_compiles_examples(cli, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    result = cli("examples", "--out", str(out), "--render", *IMAGES)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    summary = re.fullmatch(
        r"compiled (\d+) tasks(?:, (\d+) workflows)?(?:, (\d+) launch plans)? from (\d+) "
        r"modules in \d+\.\d\d s -> "
        + re.escape(str(out))
        + r"/ \((\d+) \.pb, bundle\.tgz, manifest\.json, yaml/\)\n",
        result.stdout,
    )
    assert summary, result.stdout
    tasks, workflows, plans, _, files = (int(g or 0) for g in summary.groups())
    assert tasks + workflows + plans == files
    pb_files = sorted(p.name for p in out.glob("*.pb"))
    assert len(pb_files) == files
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["file"] for e in manifest["entities"]] == pb_files
    kinds = collections.Counter(name.rsplit("_", 1)[1] for name in pb_files)
    assert kinds == +collections.Counter({"1.pb": tasks, "2.pb": workflows, "3.pb": plans})
    assert all(re.fullmatch(r"00_.+_1\.pb", n) for n in pb_files if n.endswith("_1.pb"))
    assert sorted(p.name for p in (out / "yaml").iterdir()) == [
        n.replace(".pb", ".yaml") for n in pb_files
    ]
    with tarfile.open(out / "bundle.tgz") as tar:
        assert tar.getnames() == pb_files
    assert sorted(p.name for p in out.iterdir()) == [
        *pb_files,
        "bundle.tgz",
        "manifest.json",
        "yaml",
    ]


def test_identical_bytes_across_seeds_cwds_and_output_paths(cli, tmp_path: Path) -> None:
    first, second = tmp_path / "one" / "b", tmp_path / "two" / "nested" / "b2"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    a = cli("examples", "--out", str(first), *IMAGES, env={"PYTHONHASHSEED": "1"})
    b = cli(
        str(EXAMPLES / "platform"),
        str(EXAMPLES),
        "--out",
        str(second),
        *IMAGES,
        cwd=elsewhere,
        env={"PYTHONHASHSEED": "987"},
    )
    c = cli("examples", "--out", str(tmp_path / "three"), *IMAGES, "--jobs", "3")
    assert (a.returncode, b.returncode, c.returncode) == (0, 0, 0), a.stderr + b.stderr
    assert tree(first) == tree(second) == tree(tmp_path / "three")


def test_parallel_workers_report_the_same_problems(cli, tmp_path: Path) -> None:
    one_image = ["--image", "registry.example.com/team/app:2.0"]  # the gpu image is missing
    serial = cli("examples", "--out", str(tmp_path / "o"), *one_image, "--jobs", "1")
    parallel = cli("examples", "--out", str(tmp_path / "o"), *one_image, "--jobs", "2")
    assert (serial.returncode, parallel.returncode) == (3, 3)
    assert "error CT302" in serial.stderr
    assert parallel.stderr == serial.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_dry_run_json_lists_without_writing(cli, tmp_path: Path) -> None:
    result = cli("minishop", "--dry-run", "--json", "--out", str(tmp_path / "o"), *IMAGES, cwd=MINI)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document.pop("format_version") == 1
    assert document.pop("entities") == document["tasks"]  # minishop has tasks only
    assert document == {
        "tasks": [
            {
                "name": "minishop.orders.count",
                "kind": "task",
                "type": "python-task",
                "module": "minishop.orders",
                "source": "minishop/orders.py:7",
                "file": "00_minishop.orders.count_1.pb",
            },
            {
                "name": "minishop.orders.greet",
                "kind": "task",
                "type": "python-task",
                "module": "minishop.orders",
                "source": "minishop/orders.py:13",
                "file": "00_minishop.orders.greet_1.pb",
            },
            {
                "name": "resize_images",
                "kind": "task",
                "type": "raw-container",
                "module": "minishop.reports",
                "source": "minishop/reports.py:6",
                "file": "00_resize_images_1.pb",
            },
        ],
        "modules": ["minishop", "minishop.orders", "minishop.reports"],
    }
    assert not (tmp_path / "o").exists()
    listed = cli("list", "minishop", *IMAGES, cwd=MINI)
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[:3] == [
        "00_minishop.orders.count_1.pb  minishop/orders.py:7",
        "00_minishop.orders.greet_1.pb  minishop/orders.py:13",
        "00_resize_images_1.pb  minishop/reports.py:6",
    ]


BROKEN_CASES = {
    "syntax_error": (
        "badsyntax/broken.py:5: error CT402: syntax error in module 'badsyntax.broken': "
        "invalid syntax. hint: fix the syntax; nothing can be compiled until every module imports"
    ),
    "import_error": (
        "badimport/tasks.py:2: error CT403: import failed in module 'badimport.tasks': "
        "ModuleNotFoundError: No module named 'no_such_dependency_xyz'. hint: install the "
        "missing package in this environment, or fix the import"
    ),
    "exception_at_import": (
        "badraise/config.py:5: error CT404: module 'badraise.tasks' raised KeyError: "
        "'BADRAISE_REGION_NOT_SET' at import. hint: importing a module must not fail; move "
        "side effects under `if __name__ == '__main__':`"
    ),
    "duplicate_names": (
        "dupes/b.py:4: error CT405: task 'resize': two tasks are named 'resize': dupes/a.py:3 "
        "and dupes/b.py:4. hint: task names must be unique; rename one of them (name= or the "
        "function name)"
    ),
    "empty_package": (
        "emptypkg: error CT406: no tasks found in emptypkg (2 module(s) imported). hint: define "
        "tasks with @task (or a task class) at module level in these files"
    ),
    "invalid_task": (
        "badtask/tasks.py:5: error CT111: task 'badtask.tasks.needs_cache', option "
        "'cache_serialize': cache_serialize=True needs cache=True. hint: enable caching "
        "(cache=True, cache_version=...) or drop cache_serialize"
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_broken_packages_exit_3_and_keep_the_previous_bundle(
    cli, tmp_path: Path, case: str
) -> None:
    out = tmp_path / "out"
    good = cli(str(MINI / "minishop"), "--out", str(out), *IMAGES)
    assert good.returncode == 0, good.stderr
    before = tree(out)
    folder = BROKEN / case
    package = next(p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__")
    result = cli(package, "--out", str(out), *IMAGES, cwd=folder)
    assert result.returncode == 3
    assert result.stderr == BROKEN_CASES[case] + "\n"
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # Workers that each import a share of the modules report exactly the same problems.
    parallel = cli(package, "--out", str(out), *IMAGES, "--jobs", "3", cwd=folder)
    assert (parallel.returncode, parallel.stderr) == (3, result.stderr)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_import_timeout(cli, tmp_path: Path) -> None:
    result = cli(
        "slowpkg",
        "--out",
        str(tmp_path / "o"),
        "--import-timeout",
        "0.3",
        *IMAGES,
        cwd=BROKEN / "timeout",
    )
    assert result.returncode == 3
    assert re.fullmatch(
        r"slowpkg/hangs\.py:[34]: error CT407: importing module 'slowpkg\.hangs' took longer "
        r"than 0\.3 s\. hint: .*\n",
        result.stderr,
    ), result.stderr
    assert not (tmp_path / "o").exists()


def test_all_problems_are_listed_sorted(cli, tmp_path: Path) -> None:
    result = cli(
        str(BROKEN / "syntax_error" / "badsyntax"),
        str(BROKEN / "import_error" / "badimport"),
        "--out",
        str(tmp_path / "o"),
        *IMAGES,
        cwd=BROKEN,
    )
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert [line.split(": error ")[0] for line in lines[:-1]] == [
        "import_error/badimport/tasks.py:2",
        "syntax_error/badsyntax/broken.py:5",
    ]
    assert lines[-1] == "2 problems found"


def test_usage_errors_exit_2(cli, tmp_path: Path) -> None:
    missing = cli(str(tmp_path / "nope"), "--out", str(tmp_path / "o"), *IMAGES)
    assert missing.returncode == 2
    assert missing.stderr == (
        f"{tmp_path}/nope: error CT401: path '{tmp_path}/nope' does not exist. "
        "hint: give a package folder or a .py file\n"
    )
    no_out = cli("examples", *IMAGES)
    assert no_out.returncode == 2
    assert no_out.stderr == (
        "error CT816: no --out DIR given. hint: add --out bundle/ (or set 'out' in "
        "compile-tasks.yaml)\n"
    )
    bad_flag = cli("examples", "--out", str(tmp_path / "o"), "--no-such-flag")
    assert bad_flag.returncode == 2
    assert "Error: No such option '--no-such-flag'." in bad_flag.stderr
    bad_env = cli("examples", "--out", str(tmp_path / "o"), "--env", "NOEQUALS")
    assert bad_env.returncode == 2
    assert "error CT814: --env 'NOEQUALS' is not KEY=VALUE" in bad_env.stderr


def test_out_is_a_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "bundle"
    target.write_text("not a folder")
    result = cli(str(MINI / "minishop"), "--out", str(target), *IMAGES)
    assert result.returncode == 2
    assert result.stderr == (
        f"{target}: error CT501: --out '{target}' is a file, not a folder. "
        "hint: give a folder path for the bundle\n"
    )
    assert target.read_text() == "not a folder"


def test_foreign_folder_needs_force(cli, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("precious")
    result = cli(str(MINI / "minishop"), "--out", str(home), *IMAGES)
    assert result.returncode == 2
    assert result.stderr == (
        f"{home}: error CT502: --out '{home}' is a non-empty folder that was not written by "
        "compile-tasks. hint: choose another folder, empty it, or pass --force to replace it\n"
    )
    assert tree(home) == {"notes.txt": b"precious"}
    forced = cli(str(MINI / "minishop"), "--out", str(home), "--force", *IMAGES)
    assert forced.returncode == 0, forced.stderr
    assert "notes.txt" not in tree(home)
    assert (home / "manifest.json").is_file()


def test_out_may_not_contain_the_sources(cli, tmp_path: Path) -> None:
    result = cli("minishop", "--out", ".", "--force", *IMAGES, cwd=MINI)
    assert result.returncode == 2
    assert "error CT504" in result.stderr
    assert (MINI / "minishop" / "orders.py").is_file()


def test_config_files_and_show_config(cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.compile-tasks]\nimage = "registry.example.com/p:1"\nproject = "from-pyproject"\n'
        'env = { A = "1", B = "2" }\n'
    )
    (tmp_path / "compile-tasks.yaml").write_text(
        "paths: [pkg]\nout: built\nimages: {gpu: registry.example.com/g:3}\n"
        "env: {B: yaml}\ndomain: development\n"
    )
    result = cli("show-config", "--project", "flag", "--env", "C=3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "config_files:\n"
        f"- {tmp_path}/pyproject.toml\n"
        f"- {tmp_path}/compile-tasks.yaml\n"
        "paths:\n"
        f"- {tmp_path}/pkg\n"
        f"out: {tmp_path}/built\n"
        "source_root: null\n"
        "import_timeout: null\n"
        "jobs: 0\n"
        "golden: null\n"
        "cache: true\n"
        "settings:\n"
        "  image: registry.example.com/p:1\n"
        "  images:\n"
        "    gpu: registry.example.com/g:3\n"
        "  env:\n"
        "    A: '1'\n"
        "    B: yaml\n"
        "    C: '3'\n"
        "  project: flag\n"
        "  domain: development\n"
        "  version: ''\n"
        "  allow_pickle: false\n"
    )
    (tmp_path / "compile-tasks.yaml").write_text("imgae: typo\n")
    bad = cli("show-config", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr == (
        "compile-tasks.yaml:1: error CT810: unknown configuration key 'imgae'. hint: did you "
        "mean 'image'? known keys: accept_breaking, allow_pickle, cache, domain, env, golden, "
        "image, images, import_timeout, jobs, local_cache, out, paths, project, source_root, "
        "version\n"
    )


def test_subcommands_and_help(cli) -> None:
    helped = cli("--help")
    assert helped.returncode == 0
    assert helped.stdout.startswith("Usage: compile-tasks PATH... --out DIR [OPTIONS]\n")
    for word in ("list", "show-config", "compile", "--out DIR", "--golden DIR"):
        assert word in helped.stdout
    version = cli("--version")
    assert (version.returncode, version.stdout) == (0, "compile-tasks, version 0.1.0\n")


def test_golden_check_without_out(cli, tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    args = [str(MINI / "minishop"), *IMAGES, "--golden", str(golden)]
    created = cli(*args, "--update-goldens")
    assert created.returncode == 0, created.stderr
    checked = cli(*args, "--check")
    assert checked.returncode == 0, checked.stderr + checked.stdout
    drifted = cli(*args, "--check", "--env", "NEW=1")
    assert drifted.returncode == 1, drifted.stderr + drifted.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golden"]


def test_ctrl_c_leaves_the_previous_bundle(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli(str(MINI / "minishop"), "--out", str(out), *IMAGES).returncode == 0
    before = tree(out)
    script = shutil.which("compile-tasks")
    assert script
    proc = subprocess.Popen(
        [script, "slowpkg", "--out", str(out), *IMAGES],
        cwd=BROKEN / "timeout",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # inside the endless import by now
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert stderr == "interrupted; the output folder was left as it was\n"
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    done, seen = run_with_stderr_on_a_terminal(
        [str(MINI / "minishop"), "--out", str(tmp_path / "o"), *IMAGES]
    )
    assert done.returncode == 0
    assert b"\r\x1b[Kimporting 3/3" in seen
    assert b"\r\x1b[Kcompiling 3/3" in seen
    assert seen.endswith(b"\r\x1b[K")  # the progress line is cleared before the summary
    assert done.stdout.startswith(b"compiled 3 tasks from 3 modules")
