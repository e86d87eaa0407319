"""``compile-tasks run`` helps a newcomer: per-task help, early input checks, did-you-mean,
raw container tasks, a ``src/`` layout; all through the real console script."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import Runner

TASKS = '''"""Tasks of a src/ layout project."""

from compiler import ContainerTask, FlyteFile, kwtypes, task


@task
def load_orders(order_ids: list[str], path: FlyteFile, limit: int = 100) -> int:
    """Load orders into the staging table.

    :param order_ids: Orders to load.
    :param path: The export to read.
    :param limit: Largest number of orders to load.
    """
    return min(len(order_ids), limit) + len(open(path).read())


add_one = ContainerTask(
    name="add_one",
    image="busybox:1.36",
    command=["sh", "-c", "echo $(({{.inputs.x}} + 1)) > /var/outputs/y; cat /var/inputs/x"],
    inputs=kwtypes(x=int),
    outputs=kwtypes(y=int),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
)

copy_file = ContainerTask(
    name="copy_file",
    image="busybox:1.36",
    command=["cp", "{{.inputs.src}}", "/var/outputs/out"],
    inputs=kwtypes(src=FlyteFile),
    outputs=kwtypes(out=FlyteFile),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
)
'''

#: A stand-in container runtime: ``info`` answers, ``run`` runs the command on this machine
#: with the mounted folders' container paths replaced by the host folders.
FAKE_RUNTIME = """import subprocess, sys
args = sys.argv[1:]
if args[0] == "info":
    sys.exit(0)
args = args[2:]  # run --rm
mounts = {}
while args[0] in ("-v",) or args[0].startswith("--env="):
    if args[0] == "-v":
        host, inside = args[1].split(":")[:2]
        mounts[inside] = host
        args = args[2:]
    else:
        args = args[1:]
command = args[1:]
for inside, host in mounts.items():
    command = [word.replace(inside, host) for word in command]
sys.exit(subprocess.run(command).returncode)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A src/ layout project, compiled from its root into ``bundle/``."""
    import shutil

    root = tmp_path_factory.mktemp("project")
    (root / "src" / "shop").mkdir(parents=True)
    (root / "src" / "shop" / "__init__.py").write_text("")
    (root / "src" / "shop" / "tasks.py").write_text(TASKS)
    (root / "export.csv").write_text("abc")
    script = shutil.which("compile-tasks")
    assert script
    done = subprocess.run(
        [script, "src/shop", "--out", "bundle", "--render", "-i", "registry.example.com/app:1"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return root


def test_task_help_lists_inputs_with_types_defaults_and_descriptions(
    cli: Runner, project: Path
) -> None:
    done = cli("run", "bundle", "load_orders", "--help", cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Usage: compile-tasks run bundle shop.tasks.load_orders [--input NAME=VALUE]...\n"
        "\n"
        "  Load orders into the staging table.\n"
        "\n"
        "  Task type: python-task\n"
        "\n"
        "Inputs (--input NAME=VALUE: JSON, or plain text for strings and paths):\n"
        "  limit: int  (default: 100)\n"
        "      Largest number of orders to load.\n"
        "  order_ids: list[str]  (required)\n"
        "      Orders to load.\n"
        "  path: file  (required)\n"
        "      The export to read.\n"
        "\n"
        "Outputs:\n"
        "  o0: int\n"
    )


def test_bundle_help_lists_the_tasks(cli: Runner, project: Path) -> None:
    done = cli("run", "bundle", "--help", cwd=project)
    assert done.returncode == 0
    assert done.stdout.endswith(
        "Tasks in bundle:\n  add_one  (raw-container)\n  copy_file  (raw-container)\n"
        "  shop.tasks.load_orders  (python-task)\n"
    )


def test_a_src_layout_runs_from_the_project_root(cli: Runner, project: Path) -> None:
    done = cli(
        "run", "bundle", "load_orders", "--input", 'order_ids=["a","b"]',
        "--input", "path=export.csv", cwd=project,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"o0": 5}


def test_input_problems_are_reported_together_before_the_task_starts(
    cli: Runner, project: Path
) -> None:
    done = cli(
        "run", "bundle", "load_orders", "--input", "order_id=[]", "--input", "path=nope.csv",
        cwd=project,
    )  # fmt: skip
    assert done.returncode == 2
    task = "error {code}: task 'shop.tasks.load_orders', input '{name}': "
    assert done.stderr.splitlines() == [
        task.format(code="CT724", name="order_id")
        + "unknown input. hint: did you mean 'order_ids'? the inputs are: limit, order_ids, path",
        task.format(code="CT725", name="order_ids")
        + "missing input (list[str]). hint: add --input order_ids=VALUE (list[str]); "
        "'compile-tasks run bundle shop.tasks.load_orders --help' lists the inputs",
        task.format(code="CT726", name="path")
        + "input file 'nope.csv' does not exist. hint: give the path of an existing file or "
        "folder, or a URI (s3://...)",
    ]
    assert not (project / "outputs").exists()


def test_an_unknown_task_gets_did_you_mean(cli: Runner, project: Path) -> None:
    done = cli("run", "bundle", "load_ordrs", cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith(
        "error CT722: task 'load_ordrs' is not in the bundle. hint: did you mean "
        "'shop.tasks.load_orders'?"
    )


def test_a_task_module_not_found_from_here_is_reported_before_the_start(
    cli: Runner, project: Path, tmp_path: Path
) -> None:
    done = cli(
        "run", str(project / "bundle"), "load_orders", "--input", "order_ids=[]",
        "--input", f"path={project / 'export.csv'}", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert "error CT728: task 'shop.tasks.load_orders': module 'shop.tasks' cannot be found" in (
        done.stderr
    )


def test_a_container_task_without_a_runtime_says_why(cli: Runner, project: Path) -> None:
    done = cli(
        "run", "bundle", "add_one", "--input", "x=41", cwd=project,
        env={"COMPILE_TASKS_CONTAINER_RUNTIME": "no-such-runtime"},
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (
        "error CT723: task 'add_one': this raw container task needs a container runtime: "
        "no-such-runtime is not installed. hint: install and start docker or podman (or set "
        "COMPILE_TASKS_CONTAINER_RUNTIME to one), or run the task on a Flyte cluster\n"
    )


def test_a_container_task_runs_in_the_container_runtime(
    cli: Runner, project: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "fake-runtime"
    fake.write_text(f"#!{sys.executable}\n{FAKE_RUNTIME}")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    done = cli(
        "run", "bundle", "add_one", "--input", "x=41", "--workdir", str(tmp_path / "w"),
        cwd=project, env={"COMPILE_TASKS_CONTAINER_RUNTIME": str(fake)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"y": 42}
    assert (tmp_path / "w" / "inputs" / "x").read_text() == "41"
    assert json.loads((tmp_path / "w" / "inputs" / "inputs.json").read_text()) == {
        "literals": {"x": {"scalar": {"primitive": {"integer": "41"}}}}
    }


def test_a_container_task_file_output_is_kept(cli: Runner, project: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake-runtime"
    fake.write_text(f"#!{sys.executable}\n{FAKE_RUNTIME}")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    done = cli(
        "run", "bundle", "copy_file", "--input", "src=export.csv",
        cwd=project, env={"COMPILE_TASKS_CONTAINER_RUNTIME": str(fake), "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = Path(json.loads(done.stdout)["out"])
    assert out.read_text() == "abc"
    assert done.stderr == f"files are kept in {out.parent.parent}\n"
    assert out.parent.parent.parent == tmp_path


def test_a_container_task_with_the_real_docker(cli: Runner, project: Path) -> None:
    """With docker (or podman) and a running engine, the task runs; here it is skipped."""
    from compiler.cli.run_container import find_runtime
    from compiler.errors import RunTargetError

    try:
        find_runtime("add_one", {})
    except RunTargetError as err:
        pytest.skip(f"no container runtime with a running engine: {err.message}")
    done = cli("run", "bundle", "add_one", "--input", "x=1", cwd=project)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"y": 2}
