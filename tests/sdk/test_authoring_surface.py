"""The rest of flytekit's authoring surface: ports, errors and behaviour of each name."""

from __future__ import annotations

import gzip
import importlib.util
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import compiler
from compiler import (
    Documentation,
    Environment,
    FlyteContext,
    FlyteContextManager,
    FlyteDirectory,
    FlyteFile,
    ImageSpec,
    OutputLocation,
    PythonCustomizedContainerTask,
    PythonInstanceTask,
    ShellTask,
    ShimTaskExecutor,
    SourceCode,
    SQLite3Config,
    SQLite3Task,
    get_reference_entity,
    kwtypes,
    new_context,
    task,
)
from compiler.errors import DefinitionError, ExecutionError, SerializationError
from compiler.porting import port_source
from compiler.sdk import FlyteRecoverableException
from compiler.serialize import serialize_task
from compiler.settings import SerializationSettings

DATA = Path(__file__).parent / "data"
SETTINGS = SerializationSettings.for_image("registry.example.com/app:1")


def test_a_flytekit_module_ports_by_its_imports(tmp_path: Path) -> None:
    result = port_source((DATA / "flytekit_tooling.py").read_text(), "flytekit_tooling.py")
    assert result.unported == []
    imports = [line for line in result.text.splitlines() if line.startswith(("from ", "import "))]
    assert not [line for line in imports if line.split()[1].startswith("flytekit")], imports
    target = tmp_path / "ported_tooling.py"
    target.write_text(result.text)
    spec = importlib.util.spec_from_file_location("ported_tooling", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.shout(word="hi") == "HI"
    assert module.shout.metadata.retries == 1
    container = serialize_task(module.tracks, SETTINGS).template.container
    assert container.image == module.image.image_name()


# -- ShellTask ------------------------------------------------------------------------------


def test_shell_task_runs_locally_with_file_and_folder_outputs(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("x\ny\n")
    task_obj = ShellTask(
        name="t.copy",
        script="mkdir -p {outputs.folder} && cp {inputs.src} {outputs.folder}/ && "
        "gzip -c {inputs.src} > {outputs.packed}",
        inputs=kwtypes(src=FlyteFile),
        output_locs=[
            OutputLocation(var="folder", var_type=FlyteDirectory, location=str(tmp_path / "d")),
            OutputLocation(var="packed", var_type=FlyteFile, location="{inputs.src}.gz"),
        ],
    )
    folder, packed = task_obj(src=FlyteFile(str(source)))
    assert sorted(p.name for p in Path(folder).iterdir()) == ["in.txt"]
    with gzip.open(packed) as handle:
        assert handle.read() == b"x\ny\n"
    assert task_obj.result is not None and task_obj.result.returncode == 0


def test_shell_failure_is_recoverable_and_carries_stderr() -> None:
    failing = ShellTask(name="t.fail", script="echo oops >&2; exit 3")
    with pytest.raises(FlyteRecoverableException) as err:
        failing()
    assert "oops" in str(err.value) and "exit status 3" in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, "CT181"),
        ({"script": "echo", "script_file": "x.sh"}, "CT181"),
        ({"script_file": "no/such/file.sh"}, "CT181"),
        ({"script": "echo", "output_locs": ["out.txt"]}, "CT182"),
        (
            {"script": "echo", "output_locs": [OutputLocation("n", int, "n.txt")]},
            "CT182",
        ),
    ],
)
def test_shell_definition_errors(kwargs: dict[str, Any], code: str) -> None:
    with pytest.raises(DefinitionError) as err:
        ShellTask(name="t.bad", **kwargs)
    assert err.value.code == code
    assert err.value.location is not None and err.value.location.file == __file__


def test_unknown_script_field_is_ct183() -> None:
    typo = ShellTask(name="t.typo", script="echo {inputs.wrod}", inputs=kwtypes(word=str))
    with pytest.raises(DefinitionError) as err:
        typo(word="a")
    assert err.value.code == "CT183"


def test_shell_task_defined_in_a_function_cannot_compile() -> None:
    def make() -> ShellTask:
        return ShellTask(name="t.local", script="true")

    with pytest.raises(SerializationError) as err:
        serialize_task(make(), SETTINGS)
    assert err.value.code == "CT185"


# -- task-template tasks ---------------------------------------------------------------------


class Repeat(ShimTaskExecutor):
    def execute_from_model(self, tt: Any, **kwargs: Any) -> Any:
        return kwargs["word"] * int(tt.custom["times"])


class RepeatTask(PythonCustomizedContainerTask):
    def get_custom(self, settings: Any) -> dict[str, Any]:
        return {"times": 3}


repeat = RepeatTask(
    name="t.repeat",
    task_config=None,
    container_image="ghcr.io/acme/repeat:1",
    executor_type=Repeat,
    interface=compiler.Interface(kwtypes(word=str), kwtypes(o0=str)),
)


def test_template_task_args_and_local_run() -> None:
    template = serialize_task(repeat, SETTINGS).template
    args = list(template.container.args)
    assert "--checkpoint-path" not in args
    assert args[args.index("--") + 1 :] == [
        "{{.taskTemplatePath}}",
        f"{__name__}.Repeat",
    ]
    assert repeat(word="ab") == "ababab"


def test_template_resolver_rebuilds_the_task(tmp_path: Path) -> None:
    from compiler.sdk import default_task_template_resolver

    path = tmp_path / "tt.pb"
    path.write_bytes(serialize_task(repeat, SETTINGS).template.SerializeToString())
    rebuilt = default_task_template_resolver.load_task([str(path), f"{__name__}.Repeat"])
    assert rebuilt.python_interface.inputs == {"word": str}
    assert rebuilt.execute(word="z") == "zzz"
    with pytest.raises(ExecutionError) as err:
        default_task_template_resolver.load_task([str(path), "no.such.Executor"])
    assert err.value.code == "CT751"


def test_bad_executor_is_ct184() -> None:
    with pytest.raises(DefinitionError) as err:
        RepeatTask(name="t.x", task_config=None, container_image="a:1", executor_type=object)
    assert err.value.code == "CT184"


def test_sqlite_without_config_is_ct186() -> None:
    with pytest.raises(DefinitionError) as err:
        SQLite3Task(name="t.q", query_template="select 1")
    assert err.value.code == "CT186"


def test_sqlite_compressed_archive(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    folder = tmp_path / "db"
    folder.mkdir()
    with sqlite3.connect(folder / "one.db") as con:
        con.execute("create table t (v integer)")
        con.execute("insert into t values (7)")
    archive = shutil.make_archive(str(tmp_path / "db"), "gztar", folder)
    query = SQLite3Task(
        name="t.arch",
        query_template="select v from t",
        task_config=SQLite3Config(uri=archive, compressed=True),
        container_image="a:1",
    )
    result = query()
    assert pq.read_table(Path(result.remote_path or result.local_path) / "00000").to_pylist() == [
        {"v": 7}
    ]
    (folder / "two.db").write_bytes(b"")
    archive = shutil.make_archive(str(tmp_path / "two"), "gztar", folder)
    two = SQLite3Task(
        name="t.two",
        query_template="select 1",
        task_config=SQLite3Config(uri=archive, compressed=True),
        container_image="a:1",
    )
    with pytest.raises(ExecutionError) as err:
        two()
    assert err.value.code == "CT752"


# -- instance tasks, shared options, docs, context, references --------------------------------


class Double(PythonInstanceTask):
    def __init__(self, name: str) -> None:
        super().__init__(
            name=name,
            task_config=None,
            interface=compiler.Interface(kwtypes(x=int), kwtypes(o0=int)),
        )

    def execute(self, **kwargs: Any) -> Any:
        return kwargs["x"] * 2


double = Double(name="t.double")


def test_instance_task_runs_and_is_found_by_attribute() -> None:
    assert double(x=4) == 8
    args = list(serialize_task(double, SETTINGS).template.container.args)
    assert args[args.index("--") + 1 :] == ["task-module", __name__, "task-name", "double"]


def test_environment_merges_nested_options() -> None:
    base = Environment(retries=1, environment={"A": "1"})
    gpu = base.extend(environment={"B": "2"})
    base.update(retries=3)

    @gpu.task(cache=True, cache_version="1")
    def f(x: int) -> int:
        return x

    @base
    def g(x: int) -> int:
        return x

    assert f.environment == {"A": "1", "B": "2"} and f.metadata.retries == 1
    assert g.metadata.retries == 3
    with pytest.raises(DefinitionError) as err:
        base.task(42)  # type: ignore[arg-type]
    assert err.value.code == "CT187"


def test_environment_declares_dynamic_tasks_with_its_options() -> None:
    from compiler import dynamic

    env = Environment(retries=2, environment={"A": "1"})

    @env.dynamic
    def fan(n: int) -> int:
        return n

    @env.dynamic(retries=4)
    def fan_more(n: int) -> int:
        return n

    @dynamic(retries=2, environment={"A": "1"})
    def plain(n: int) -> int:
        return n

    assert type(fan) is type(plain)
    assert fan.metadata.retries == 2 and fan_more.metadata.retries == 4
    assert fan.environment == plain.environment == {"A": "1"}
    assert fan(n=3) == 3  # runs locally as the decorator's own dynamic task
    spec, same = serialize_task(fan, SETTINGS), serialize_task(plain, SETTINGS)
    assert spec.template.metadata == same.template.metadata
    assert spec.template.container.env == same.template.container.env  # _F_SS_C included
    with pytest.raises(DefinitionError) as err:
        env.dynamic(42)  # type: ignore[arg-type]
    assert err.value.code == "CT187"
    assert "@env.dynamic" in str(err.value)


def test_source_code_link_is_written() -> None:
    @task(docs=Documentation(short_description="s", source_code=SourceCode(link="https://x/y")))
    def documented(x: int) -> int:
        return x

    description = serialize_task(documented, SETTINGS).description
    assert description.source_code.link == "https://x/y"
    assert description.short_description == "s"


def test_flyte_context_reaches_the_running_task(tmp_path: Path) -> None:
    seen: list[Any] = []

    @task
    def peek() -> str:
        ctx = FlyteContextManager.current_context()
        seen.append(ctx)
        path = ctx.file_access.get_random_local_path("a.txt")
        return path

    with new_context() as ctx:
        assert isinstance(ctx, FlyteContext)
        assert FlyteContext.current_context().user_space_params is ctx.user_space_params
        path = peek()
    assert path.endswith("a.txt")
    assert seen[0].execution_state.mode is FlyteContext.current_context().execution_state.Mode(3)
    assert FlyteContextManager.current_context().execution_state.mode is None


def test_get_reference_entity_kinds_and_errors() -> None:
    ref = get_reference_entity(2, "p", "d", "wf", "v1", kwtypes(a=int), {})
    assert ref.reference.id.resource_type == 2 and ref.python_interface.inputs == {"a": int}
    with pytest.raises(DefinitionError) as err:
        get_reference_entity(9, "p", "d", "x", "v", {}, {})
    assert err.value.code == "CT920"


def test_imagespec_from_env_pins_packages() -> None:
    spec = ImageSpec.from_env(pinned_packages=["protobuf"], name="pinned")
    assert spec.python_version and spec.packages and spec.packages[0].startswith("protobuf==")
    with pytest.raises(DefinitionError):
        ImageSpec.from_env(python_version="3.9")


raw = compiler.get_raw_shell_task("t.raw")


def test_raw_shell_task_runs_a_script_file_with_env_and_args(tmp_path: Path) -> None:
    script = tmp_path / "job.sh"
    script.write_text('echo "$GREETING $1" > greeting.txt\n')
    folder = raw(env={"GREETING": "hello"}, script_args="world", script_file=str(script))
    assert (Path(folder) / "greeting.txt").read_text() == "hello world\n"
    args = list(serialize_task(raw, SETTINGS).template.container.args)
    assert args[-4:] == ["task-module", __name__, "task-name", "raw"]


def test_raw_shell_task_failure_raises() -> None:
    import subprocess

    with pytest.raises(subprocess.CalledProcessError):
        raw(env={}, script_args="", script_file="/no/such/script.sh")
