# ruff: noqa: UP007, UP045  (typing.Union/Optional spellings: their argument order is under test)
"""Tasks for ``test_shared_state``: imported by the test and by the fresh interpreters it starts.

Several share types, descriptions, metadata and interfaces with another, and two pairs differ
only where a careless memo key would not look (descriptions; the order of a union).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple, Optional, Union

from compiler import Resources, task
from tests.serialize.fakes import FakeTask
from tests.serialize.fakes import interface as fake_interface

IMAGES = ["registry.example.com/team/app:2.0", "tools=registry.example.com/team/tools:1"]


class Tier(enum.Enum):
    GOLD = "gold"
    SILVER = "silver"


@dataclass
class Address:
    street: str
    zip_code: str = ""


class Split(NamedTuple):
    train: int
    test: int


@task
def plain(names: list[str], limit: int = 0) -> int:
    """Count names.

    :param names: The names.
    :param limit: Upper bound.
    """
    return len(names[:limit])


@task(retries=2, requests=Resources(cpu="1", mem="1Gi"), cache=True, cache_version="v1")
def with_options(address: Address, tier: Tier = Tier.GOLD) -> Address:
    """Same short text as another task.

    :param address: Where.
    """
    return address


@task(container_image="{{.image.tools}}", retries=2, labels={"team": "a"})
def unions(a: Optional[int], b: Union[int, str], c: Union[str, int]) -> Split:
    """Same short text as another task."""
    return Split(1, 2)


@task
def undocumented(a: dict[str, float], b: Optional[Address] = None) -> tuple[int, str]:
    return 1, "x"


@task(retries=2, requests=Resources(cpu="1", mem="1Gi"), cache=True, cache_version="v1")
def with_options_again(address: Address, tier: Tier = Tier.GOLD) -> Address:
    return address


SDK_TASKS = [plain, with_options, unions, undocumented, with_options_again]
FAKE_TASKS = [
    FakeTask(name="fake.a", python_interface=fake_interface({"x": int}, {"o0": list[int]})),
    FakeTask(
        name="fake.b",
        python_interface=fake_interface({"x": int}, {"o0": list[int]}, {"x": "", "o0": "rows"}),
    ),
    FakeTask(name="fake.c", python_interface=fake_interface({"y": Union[str, int]})),
    FakeTask(name="fake.d", python_interface=fake_interface({"y": Union[int, str]})),
]
TASKS = [*SDK_TASKS, *FAKE_TASKS]
