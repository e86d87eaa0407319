"""The port to flytekit changes exactly what docs/oracle.md says, at exact positions."""

from __future__ import annotations

import pytest

import compiler
from tests.oracle.porting import FLYTEKIT_HOME, canonical_quantity, port_source


@pytest.mark.parametrize(
    ("value", "text"),
    [(2, "2"), (1024, "1024"), (2.0, "2"), (0.5, "500m"), (1.25, "1250m"), (0, "0")],
)
def test_canonical_quantity(value, text) -> None:
    assert canonical_quantity(value) == text


@pytest.mark.parametrize("value", [True, "2", 0.0001, float("nan")])
def test_canonical_quantity_refuses(value) -> None:
    with pytest.raises((TypeError, ValueError)):
        canonical_quantity(value)


def test_port_rewrites_imports_numbers_and_io_strategy_only() -> None:
    source = (
        '"""Doc: from compiler import task stays in text."""\n'
        "from compiler import Resources, task as t\n"
        "from compiler.accelerators import A100\n"
        "from flyteidl.core.tasks_pb2 import Sql\n"
        "from examples.models import Order\n"
        "R = Resources(cpu=(1, 2.5), mem=1024, gpu='1')\n"
        "C = ContainerTask(name='x', io_strategy=(A, B), image='i')\n"
        "N = other(cpu=2)\n"
    )
    assert port_source(source) == (
        '"""Doc: from compiler import task stays in text."""\n'
        "from flytekit import Resources, task as t\n"
        "from flytekit.extras.accelerators import A100\n"
        "from flytekit.models.task import Sql\n"
        "from examples.models import Order\n"
        "R = Resources(cpu=('1', '2500m'), mem='1024', gpu='1')\n"
        "C = ContainerTask(name='x', io_strategy=None, image='i')\n"
        "N = other(cpu=2)\n"
    )


def test_unknown_name_is_reported() -> None:
    with pytest.raises(KeyError, match="no flytekit home for 'Mystery'"):
        port_source("from compiler import Mystery\n")


def test_every_public_authoring_name_has_a_flytekit_home() -> None:
    ours = set(compiler.__all__) - {"__version__", "SerializationSettings"}
    internal = {"PythonAutoContainerTask", "PythonTask", "Task", "TaskResolverMixin"}
    # Ours only: local runs take gate values from it (flytekit prompts on stdin instead).
    ours_only = {"signal_values"}
    assert sorted(ours - internal - ours_only - set(FLYTEKIT_HOME)) == []
