"""Stable file names and the names that cannot be file names."""

from __future__ import annotations

import pytest

from compiler.bundle import entity_file_stem, pb_file_name, yaml_file_name
from compiler.errors import BundleError
from compiler.idl import EntityKind


def test_names() -> None:
    assert pb_file_name("shop.orders.load", EntityKind.TASK) == "00_shop.orders.load_1.pb"
    assert yaml_file_name("wf", EntityKind.WORKFLOW, 1) == "01_wf_2.yaml"
    assert entity_file_stem("lp", EntityKind.LAUNCH_PLAN, 2) == "02_lp_3"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "is empty"),
        ("a/b", "contains a path separator"),
        ("a\\b", "contains a path separator"),
        ("a\x00b", "contains a NUL character"),
        (".hidden", "starts with '.'"),
        ("x" * 250, "makes a file name longer than 255 bytes"),
    ],
)
def test_rejected_names(name: str, problem: str) -> None:
    with pytest.raises(BundleError) as info:
        entity_file_stem(name, EntityKind.TASK)
    assert info.value.code == "CT503"
    assert info.value.message == (
        f"entity name {name!r} {problem}, so it cannot be a bundle file name"
    )


def test_longest_accepted_name() -> None:
    name = "x" * (255 - len("00__1.yaml"))
    assert entity_file_stem(name, EntityKind.TASK) == f"00_{name}_1"
