"""IDL strings are spelled once, in compiler/idl.py.

Every spelling of an entity kind (manifest label, prose, file-name suffixes) is derived from
``EntityKind``, and every task type string is a ``TaskType``; no other module of the compiler
writes one of them as a literal (docstrings aside), so they cannot drift apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import compiler
from compiler.idl import EntityKind, TaskType

COMPILER = Path(compiler.__file__).resolve().parent


def test_every_spelling_of_a_kind():
    spellings = {
        kind: (kind.label, kind.noun, kind.plural, kind.stem_suffix, kind.pb_suffix)
        for kind in EntityKind
    }
    assert spellings == {
        EntityKind.TASK: ("task", "task", "tasks", "_1", "_1.pb"),
        EntityKind.WORKFLOW: ("workflow", "workflow", "workflows", "_2", "_2.pb"),
        EntityKind.LAUNCH_PLAN: ("launch_plan", "launch plan", "launch plans", "_3", "_3.pb"),
    }


@pytest.mark.parametrize(
    ("stem", "kind"),
    [
        ("00_shop.orders.load_1", EntityKind.TASK),
        ("01_shop.flow_2", EntityKind.WORKFLOW),
        ("02_shop.flow_3", EntityKind.LAUNCH_PLAN),
        ("00_shop.orders.load_11", None),
        ("00_shop_4", None),
        ("load", None),
        ("load_", None),
    ],
)
def test_kind_of_a_file_stem(stem: str, kind: EntityKind | None):
    assert EntityKind.of_stem(stem) is kind


def _docstring_nodes(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_module_spells_an_idl_string_itself():
    # "task" and "workflow" are also the names of decorators, flags and JSON keys: only the
    # spellings that are nothing but a kind or a task type are looked for.
    plan = EntityKind.LAUNCH_PLAN
    spelled_once = {t.value for t in TaskType} | {plan.label, plan.noun, plan.plural}
    spelled_once |= {kind.pb_suffix for kind in EntityKind}
    found = []
    for path in sorted(COMPILER.rglob("*.py")):
        if path.name == "idl.py" and path.parent == COMPILER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in spelled_once
                and id(node) not in docstrings
            ):
                found.append(
                    f"{path.relative_to(COMPILER).as_posix()}:{node.lineno} {node.value!r}"
                )
    assert found == []
