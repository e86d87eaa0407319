"""``compiler.testing``: task_mock and patch, as flytekit.testing offers them."""

from __future__ import annotations

import pytest

from compiler import get_reference_entity, kwtypes, task, workflow
from compiler.errors import DefinitionError
from compiler.testing import patch, task_mock


@task
def add_one(x: int) -> int:
    return x + 1


@workflow
def flow(x: int) -> int:
    return add_one(x=x)


def test_task_mock_inside_a_workflow_and_restored() -> None:
    with task_mock(add_one) as mock:
        mock.return_value = 42
        assert flow(x=1) == 42
        mock.assert_called_once_with(x=1)
    assert flow(x=1) == 2


def test_patch_a_workflow() -> None:
    @patch(flow)
    def check(mock):
        mock.return_value = 7
        return flow(x=3)

    assert check() == 7
    assert flow(x=3) == 4


def test_reference_entity_mocked() -> None:
    ref = get_reference_entity(1, "p", "d", "remote.score", "v1", kwtypes(x=int), kwtypes(o0=int))
    with task_mock(ref) as mock:
        mock.return_value = 5
        assert ref(x=1) == 5
    assert ref.mock is None


def test_not_an_entity_is_ct188() -> None:
    with pytest.raises(DefinitionError) as err:
        patch(len)
    assert err.value.code == "CT188"
