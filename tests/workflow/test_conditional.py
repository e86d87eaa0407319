"""Conditionals: local runs take the right case; badly written ones fail at compile time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from compiler.errors import ExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_conditionals import flows, tasks

_HEAD = """
from compiler import conditional, task, workflow

@task
def sq(n: int) -> int:
    return n * n

@task
def word(n: int) -> str:
    return str(n)

@task
def pair(n: int) -> list[int]:
    return [n, n]
"""


@pytest.mark.parametrize("n", [5, -3, 0])
def test_sign_takes_the_case_that_holds(n: int) -> None:
    expected = n * n if n > 0 else (-n if n < 0 else n // 2)
    assert flows.sign(n=n) == expected


@pytest.mark.parametrize(("n", "m"), [(1, 9), (3, 4), (2, 2), (5, 5), (4, 3)])
def test_every_comparison_in_order(n: int, m: int) -> None:
    if n == 1:
        expected = n * n
    elif n != m:
        expected = m * m
    elif n <= 2:
        expected = n // 2
    else:
        expected = m // 2
    assert flows.every_comparison(n=n, m=m) == expected


@pytest.mark.parametrize(("n", "m"), [(2, 3), (-1, 5), (-2, -2), (0, 4), (3, -1)])
def test_conjunctions(n: int, m: int) -> None:
    if n > 0 and m > 0:
        expected = n * n
    elif n < 0 or (m < 0 and n == m):
        expected = -m
    else:
        expected = n // 2
    assert flows.conjunctions(n=n, m=m) == expected


def test_a_conditional_output_feeds_a_later_node() -> None:
    assert flows.downstream(n=4) == tasks.ratio(a=tasks.halve(n=4), b=4)
    assert flows.downstream(n=3) == tasks.ratio(a=tasks.square(n=3), b=3)


def test_nested_conditionals() -> None:
    assert flows.nested(n=20) == -400
    assert flows.nested(n=2) == 16
    assert flows.nested(n=200) == 20000


def test_a_field_of_an_output_in_a_condition() -> None:
    assert flows.field_condition(n=4) == 16
    assert flows.field_condition(n=5) == -5
    assert flows.field_condition(n=2) == -2


def test_is_none_and_void_cases(capsys: pytest.CaptureFixture[str]) -> None:
    assert flows.optional_word(word="") is None
    flows.optional_word(word="w")
    assert capsys.readouterr().out.split() == ["nothing", "something"]


def test_promise_against_promise_and_reflected_constants() -> None:
    assert flows.two_promises(n=3) == "HI"  # 9 > 3
    assert flows.two_promises(n=1) == "NONE"  # 1 > 1 and 1 > 3.5 do not hold


def test_fail_case_raises_when_taken() -> None:
    assert flows.failing(n=3) == 9
    with pytest.raises(ExecutionError) as exc:
        flows.failing(n=-1)
    assert exc.value.code == "CT915"
    assert "n must not be negative" in str(exc.value)


def test_node_ids_are_numbered_within_each_branch_node() -> None:
    outer = flows.nested.nodes[1]
    assert [n.id for n in flows.nested.nodes] == ["n0", "n1"]
    inner = outer.cases[0].node
    assert inner.id == "n0"
    assert [c.node.id for c in inner.cases] == ["n0", "n1"]
    assert outer.cases[1].node.id == "n1"


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [
        (
            'x = conditional("c").if_(n > 1).then(sq(n=n))\n    return sq(n=x)',
            "CT913",
            19,
        ),
        ('conditional("c").if_(n > 1).then(sq(n=n))\n    return n', "CT913", 18),
        ('return conditional("c").if_(n).then(sq(n=n)).else_().then(sq(n=n))', "CT914", 18),
        ('return conditional("c").if_(n > 1).then(3).else_().then(sq(n=n))', "CT914", 18),
        (
            'return conditional("c").if_(n > 1).then(sq(n=sq(n=n))).else_().then(sq(n=n))',
            "CT914",
            18,
        ),
        ('return conditional("c").if_(n > 1).fail("no").else_().then(sq(n=n))', "CT914", 18),
        (
            'return conditional("c").if_(n > 1).then(sq(n=n)).else_().then(word(n=n))',
            "CT916",
            18,
        ),
        ("return sq(n=n) if n > 1 else n", "CT904", 18),
        (
            'p = pair(n=n)\n    return conditional("c").if_((p[0] > 1) & (p[1] < 2))'
            ".then(sq(n=n)).else_().then(sq(n=n))",
            "CT922",
            19,
        ),
        ("return sq(n=n) if (n > 1) and (n < 5) else n", "CT904", 18),
        ("return sq(n=n) if bool(n) else n", "CT904", 18),
    ],
)
def test_badly_written_conditionals_fail_the_compile(compile_source, body, code, line) -> None:
    source = _HEAD + f"\n@workflow\ndef wf(n: int) -> int:\n    {body}\n"
    result = compile_source(source)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"flows.py:{line}: error {code}:" in result.stderr
    assert "workflow 'wfpkg.flows.wf'" in result.stderr
    assert "hint:" in result.stderr


def test_a_conditional_outside_a_body(compile_source) -> None:
    result = compile_source(_HEAD + '\nconditional("c")\n')
    assert result.returncode == 3
    assert "error CT917:" in result.stderr


def test_a_finished_conditional_compiles(compile_source, tmp_path: Path) -> None:
    body = 'return conditional("c").if_(n > 1).then(sq(n=n)).else_().fail("small")'
    result = compile_source(_HEAD + f"\n@workflow\ndef wf(n: int) -> int:\n    {body}\n")
    assert result.returncode == 0, result.stderr
    assert any(p.name.endswith("_2.pb") for p in (tmp_path / "out").rglob("*"))


def test_cases_reading_nodes_tuples_and_sub_workflows() -> None:
    assert flows.case_reads_a_node(n=4) == tasks.halve(n=16)
    assert flows.case_reads_a_node(n=1) == tasks.negate(n=1)
    assert flows.tuple_cases(n=5) == (5, "5")
    assert flows.tuple_cases(n=5, word="x") == (0, "0")
    assert flows.sub_in_case(n=3) == flows.sign(n=3)
    assert flows.sub_in_case(n=20) == flows.nested(n=20)
    assert flows.uses_sub_with_conditional(n=-2) == tasks.ratio(a=2, b=-2)
    assert [w.name for w in flows.sub_in_case.sub_workflows()] == [
        flows.nested.name,
        flows.sign.name,
    ]


@pytest.mark.parametrize(
    ("x", "word", "flag", "expected"),
    [
        (2.0, "skip", False, 1),
        (0.0, "go", False, 4),
        (0.0, "skip", True, 9),
        (-1.0, "skip", False, 9),
        (0.0, "skip", False, 16),
    ],
)
def test_constants_of_every_type(x: float, word: str, flag: bool, expected: int) -> None:
    assert flows.constants_of_types(x=x, word=word, flag=flag) == expected


def test_a_conditional_orders_after_a_node(capsys: pytest.CaptureFixture[str]) -> None:
    assert flows.ordered(n=3) == 9
    assert capsys.readouterr().out == "start\n"
    assert [up.id for up in flows.ordered.nodes[1].upstream] == ["n0"]
