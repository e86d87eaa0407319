"""``Workflow(name=...)`` and ``create_node``: local runs, discovery, and their errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from compiler import Workflow, task
from compiler.errors import CompileErrors

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_imperative import flows, tasks


@task
def twice(n: int) -> int:
    return n * 2


def test_an_imperative_workflow_runs_its_nodes_locally() -> None:
    values = tasks.load(path="abcd")
    assert flows.summing(path="abcd") == (sum(values), [sum(values), sum(values)])
    head = tasks.split_word(word="hello").head
    assert flows.outer(word="hello") == (head, tasks.total(values=tasks.load(path=head)))
    assert flows.empty() is None


def test_create_node_outputs_and_ordering(capsys: pytest.CaptureFixture[str]) -> None:
    assert flows.with_nodes(path="abcdef") == sum(tasks.load(path="abcdef", limit=3))
    assert capsys.readouterr().out == "announce\n"
    node = flows.with_nodes.nodes[0]
    assert node.outputs["o0"] is node.o0
    assert [up.id for up in node.upstream] == ["n1"]


def test_an_imperative_workflow_is_a_sub_workflow() -> None:
    assert flows.calls_imperative(path="ab") == tasks.total(values=tasks.load(path="ab"))
    assert [w.name for w in flows.calls_imperative.sub_workflows()] == [flows.summing.name]


def test_refused_calls_add_no_node() -> None:
    wf = Workflow(name="local.refused")
    n = wf.add_workflow_input("n", int)
    with pytest.raises(CompileErrors) as exc:
        wf.add_entity(twice, m=n)
    assert [e.code for e in exc.value.errors] == ["CT901", "CT902"]
    assert wf.nodes == []
    assert wf.add_entity(twice, n=n).id == "n0"


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ('wf.add_workflow_input("n", int)', "CT919"),
        ('wf.add_entity(sq, n="x")', "CT903"),
        ("wf.add_entity(print, n=n)", "CT911"),
        ("wf.add_workflow_output('out', [n, n])", "CT919"),
        ("wf.add_workflow_output('out', n, python_type=str)", "CT903"),
        ("wf.add_workflow_output('o', n)\nwf.add_workflow_output('o', n)", "CT919"),
        ("create_node(sq, n=1)", "CT917"),
    ],
)
def test_bad_imperative_calls_fail_the_compile(compile_source, lines, code) -> None:
    source = (
        "from compiler import Workflow, create_node, task\n\n"
        "@task\ndef sq(n: int) -> int:\n    return n * n\n\n"
        'wf = Workflow(name="wfpkg.flows.wf")\nn = wf.add_workflow_input("n", int)\n' + lines + "\n"
    )
    result = compile_source(source)
    assert result.returncode == 3, result.stdout + result.stderr
    last_line = source.count("\n")
    assert f"flows.py:{last_line}: error {code}:" in result.stderr, result.stderr


def test_an_imperative_workflow_compiles_through_the_cli(compile_source, tmp_path: Path) -> None:
    source = (
        "from compiler import Workflow, task\n\n"
        "@task\ndef sq(n: int) -> int:\n    return n * n\n\n"
        'wf = Workflow(name="wfpkg.flows.wf")\nn = wf.add_workflow_input("n", int)\n'
        'wf.add_workflow_output("out", wf.add_entity(sq, n=n).o0)\n'
    )
    result = compile_source(source)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "01_wfpkg.flows.wf_2.pb").is_file()


def test_dict_and_list_outputs_of_an_imperative_workflow() -> None:
    assert flows.fan_in(left="ab", right="cde") == ({"left": 2, "right": 3}, 5)
    assert flows.fan_in.interruptible is True


def test_add_on_failure_handler_sets_the_efn_node() -> None:
    from compiler.errors import CompileTasksError
    from compiler.serialize import serialize_workflow
    from compiler.settings import SerializationSettings

    @task
    def step(n: int) -> int:
        return n

    @task
    def on_fail(n: int) -> None:
        return None

    @task
    def needs_more(n: int, other: str) -> None:
        return None

    wf = Workflow(name="imperative.with_handler")
    n = wf.add_workflow_input("n", int)
    wf.add_workflow_output("o0", wf.add_entity(step, n=n).outputs["o0"])
    node = wf.add_on_failure_handler(on_fail)
    assert node.id == "efn" and wf.failure_node is node
    spec = serialize_workflow(wf, SerializationSettings.for_image("registry.example/app:1"))
    assert spec.template.failure_node.id == "efn"
    assert spec.template.failure_node.inputs[0].binding.promise.var == "n"
    with pytest.raises(CompileTasksError, match="CT918"):
        Workflow(name="imperative.bad").add_on_failure_handler(needs_more)
