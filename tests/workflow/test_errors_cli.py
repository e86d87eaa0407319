"""Every compile-time workflow error through the real console script.

Each case is a workflow body wrong in one way. The compile must exit 3 with the documented code
on the line of the offending call (``flows.py:LINE``), name the workflow (and the node where
there is one), give a hint, print no traceback and write nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HEAD = """\
from dataclasses import dataclass

from compiler import WorkflowFailurePolicy, conditional, task, workflow


@dataclass
class Pair:
    left: int
    right: str


@task
def num(n: int) -> int:
    return n


@task
def text(n: int) -> str:
    return str(n)


@task
def nums(n: int) -> list[int]:
    return [n]


@task
def pair(n: int) -> Pair:
    return Pair(n, str(n))


@workflow
def other(n: int) -> int:
    return num(n=n)


KEPT = []
"""

#: case -> (workflow body lines after ``def wf(n: int) -> int:``, code, phrase, node or None).
CASES: dict[str, tuple[str, str, str, str | None]] = {
    "unknown_input": ("return num(m=n)", "CT901", "unknown input", "n0"),
    "positional": ("return num(n)", "CT901", "positional argument", "n0"),
    "missing_input": ("return num()", "CT902", "missing input", "n0"),
    "str_into_int": ("return num(n=text(n=n))", "CT903", "input 'n'", "n1"),
    "list_into_int": ("return num(n=nums(n=n))", "CT903", "input 'n'", "n1"),
    "constant_of_wrong_type": ('return num(n="seven")', "CT903", "input 'n'", "n0"),
    "promise_in_if": (
        "x = num(n=n)\n    if x:\n        pass\n    return x",
        "CT904",
        "conditional",
        None,
    ),
    "promise_in_bool": ("return bool(num(n=n))", "CT904", "conditional", None),
    "promise_arithmetic": ("return num(n=n) + 1", "CT904", "", None),
    "unknown_attribute": ("return num(n=pair(n=n).middle)", "CT905", "middle", None),
    "wrong_output_count": ("return num(n=n), text(n=n)", "CT906", "1 output(s)", None),
    "unpack_one": ("a, b = num(n=n)\n    return a", "CT907", "", None),
    "plain_call_fails": ("return print(n=n)", "CT923", "the body raised TypeError", None),
    "node_name_twice": (
        'num(n=n).with_overrides(node_name="x")\n    return num(n=n).with_overrides(node_name="x")',
        "CT909",
        "'x'",
        "x",
    ),
    "bad_override": ("return num(n=n).with_overrides(retries=-1)", "CT910", "retries", "n0"),
    "conditional_without_else": (
        'return conditional("c").if_(n > 1).then(num(n=n))',
        "CT913",
        "else_",
        None,
    ),
}


def _lines(code: str) -> tuple[str, int]:
    """The module's source, and the line of the body's first statement."""
    source = HEAD + "\n\n@workflow\ndef wf(n: int) -> int:\n    " + code + "\n"
    return source, source[: source.index(code)].count("\n") + 1


@pytest.mark.parametrize("case", sorted(CASES))
def test_workflow_error_through_the_console_script(
    compile_source, tmp_path: Path, case: str
) -> None:
    body, code, phrase, node = CASES[case]
    source, first = _lines(body)
    result = compile_source(source)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"error {code}:" in result.stderr, result.stderr
    assert phrase in result.stderr, result.stderr
    assert "workflow 'wfpkg.flows.wf'" in result.stderr, result.stderr
    if node is not None:
        assert f"node '{node}'" in result.stderr, result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    where = re.search(r"wfpkg/flows\.py:(\d+): error " + code, result.stderr)
    # outputs are bound after the body has run: their errors point at the ``def`` line
    lowest = first - 1 if code == "CT906" else first
    assert where and lowest <= int(where.group(1)) <= first + body.count("\n"), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_promise_of_another_workflow_is_refused(compile_source) -> None:
    source = HEAD + (
        "\n\n@workflow\ndef first(n: int) -> int:\n    KEPT.append(num(n=n))\n    return KEPT[0]\n"
        "\n\n@workflow\ndef second(n: int) -> int:\n    return num(n=KEPT[0])\n"
    )
    result = compile_source(source)
    assert result.returncode == 3
    assert "error CT908:" in result.stderr, result.stderr
    assert "workflow 'wfpkg.flows.second'" in result.stderr


def test_a_bad_workflow_option_is_refused(compile_source) -> None:
    result = compile_source(
        HEAD + '\n\n@workflow(failure_policy="fast")\ndef wf(n: int) -> int:\n    return num(n=n)\n'
    )
    assert result.returncode == 3
    assert "error CT912:" in result.stderr and "WorkflowFailurePolicy" in result.stderr


def test_every_problem_of_a_body_is_reported_together(compile_source) -> None:
    source, first = _lines("a = num(m=n)\n    b = num()\n    return num(n=text(n=n))")
    result = compile_source(source)
    assert result.returncode == 3
    codes = re.findall(r"flows\.py:(\d+): error (CT\d+)", result.stderr)
    assert [(int(line) - first, code) for line, code in codes] == [
        (0, "CT901"),  # m is unknown
        (0, "CT902"),  # and n is then missing
        (1, "CT902"),
        (2, "CT903"),
    ]
    assert "4 problems found" in result.stderr
