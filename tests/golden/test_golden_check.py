"""Golden check: added/removed/renamed/changed entities, semantic categories, breaking rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from golden_helpers import DEFAULTS, INT, LOAD, STR, BundleEntry, task_spec

from compiler.golden import (
    Category,
    Change,
    EntityStatus,
    FieldChange,
    GoldenReport,
    Impact,
    check_bundle,
    read_bundle,
    write_golden_dir,
)

B, C, N = Impact.BREAKING, Impact.COMPATIBLE, Impact.INFO
MakeBundle = Callable[[str, list[BundleEntry]], Path]


def compare_entries(
    make_bundle: MakeBundle, old: list[BundleEntry], new: list[BundleEntry]
) -> GoldenReport:
    golden_dir = make_bundle("old", old).parent / "golden"
    write_golden_dir(read_bundle(make_bundle("old", old)), golden_dir)
    return check_bundle(make_bundle("new", new), golden_dir)


def changes_of(
    make_bundle: MakeBundle,
    old_spec: Any,
    new_spec: Any,
    old_facts: Any = DEFAULTS,
    new_facts: Any = DEFAULTS,
) -> list[tuple[Category, Impact, str]]:
    report = compare_entries(
        make_bundle, [(LOAD, old_spec, old_facts)], [(LOAD, new_spec, new_facts)]
    )
    assert [e.status for e in report.entities] == [EntityStatus.CHANGED]
    return [(c.category, c.impact, c.summary) for c in report.entities[0].changes]


def test_equal_bundle_has_no_changes(make_bundle: MakeBundle) -> None:
    entries = [(LOAD, task_spec(), DEFAULTS)]
    report = compare_entries(make_bundle, entries, entries)
    assert report.has_changes is False
    assert report.entities == ()
    assert report.unchanged == (LOAD,)


def test_added_removed_and_changed_entities(make_bundle: MakeBundle) -> None:
    old = [
        (LOAD, task_spec(), DEFAULTS),
        ("00_shop.orders.purge_1", task_spec("shop.orders.purge", inputs={"days": INT}), None),
    ]
    new = [
        (LOAD, task_spec(image="registry.example.com/team/app:2.1"), DEFAULTS),
        ("00_shop.stock.count_1", task_spec("shop.stock.count", outputs={"o0": STR}), None),
    ]
    report = compare_entries(make_bundle, old, new)
    summary = [(e.stem, e.name, e.status, e.breaking) for e in report.entities]
    assert summary == [
        (LOAD, "shop.orders.load", EntityStatus.CHANGED, False),
        ("00_shop.orders.purge_1", "shop.orders.purge", EntityStatus.REMOVED, True),
        ("00_shop.stock.count_1", "shop.stock.count", EntityStatus.ADDED, False),
    ]
    changed, removed, added = report.entities
    assert changed.fields == (
        FieldChange(
            "template.container.image",
            "registry.example.com/team/app:2.0",
            "registry.example.com/team/app:2.1",
        ),
    )
    assert changed.changes == (
        Change(
            Category.IMAGE,
            C,
            "container.image: registry.example.com/team/app:2.0"
            " -> registry.example.com/team/app:2.1",
            ("template.container.image",),
        ),
    )
    assert removed.changes == (Change(Category.ENTITY, B, "task removed", rule="removed"),)
    assert added.changes == (Change(Category.ENTITY, C, "task added"),)
    assert [e.name for e in report.breaking] == ["shop.orders.purge"]
    assert changed.unified_diff.startswith(f"--- golden/{LOAD}.yaml\n+++ bundle/{LOAD}.yaml\n")
    assert "-    image: registry.example.com/team/app:2.0\n" in changed.unified_diff
    assert "+    image: registry.example.com/team/app:2.1\n" in changed.unified_diff


def test_task_renamed_is_one_breaking_entity(make_bundle: MakeBundle) -> None:
    old = [(LOAD, task_spec(), DEFAULTS)]
    new = [("00_shop.orders.load_all_1", task_spec("shop.orders.load_all"), DEFAULTS)]
    report = compare_entries(make_bundle, old, new)
    (entity,) = report.entities
    assert (entity.status, entity.name, entity.renamed_from, entity.old_stem) == (
        EntityStatus.RENAMED,
        "shop.orders.load_all",
        "shop.orders.load",
        LOAD,
    )
    assert [(c.category, c.impact, c.summary) for c in entity.changes] == [
        (Category.ENTITY, B, "task renamed from 'shop.orders.load' to 'shop.orders.load_all'"),
        (Category.OTHER, C, "container.args[5]: load -> load_all"),
    ]


INPUTS = {"order_ids": {"collection_type": STR}, "limit": INT}


@pytest.mark.parametrize(
    ("new_inputs", "new_defaults", "expected"),
    [
        pytest.param(
            {"order_ids": {"collection_type": STR}},
            {},
            [(Category.INTERFACE, B, "input 'limit' removed")],
            id="input-removed",
        ),
        pytest.param(
            {"order_ids": {"collection_type": STR}, "max_rows": INT},
            {"max_rows": 100},
            [(Category.INTERFACE, B, "input 'limit' renamed to 'max_rows'")],
            id="input-renamed",
        ),
        pytest.param(
            {"order_ids": {"collection_type": STR}, "limit": {"simple": "FLOAT"}},
            {"limit": 100},
            [(Category.INTERFACE, B, "input 'limit' type changed: INTEGER -> FLOAT")],
            id="input-type-changed",
        ),
        pytest.param(
            {**INPUTS, "region": STR},
            {"limit": 100},
            [(Category.INTERFACE, B, "input 'region' added (STRING) without a default")],
            id="new-input-without-default",
        ),
        pytest.param(
            {**INPUTS, "region": STR},
            {"limit": 100, "region": "eu"},
            [(Category.INTERFACE, C, "input 'region' added (STRING) with default eu")],
            id="new-input-with-default",
        ),
        pytest.param(
            INPUTS,
            {},
            [(Category.INTERFACE, B, "input 'limit' no longer has a default")],
            id="default-removed",
        ),
        pytest.param(
            INPUTS,
            {"limit": 50},
            [(Category.INTERFACE, C, "default of input 'limit' changed: 100 -> 50")],
            id="default-changed",
        ),
        pytest.param(
            INPUTS,
            {"limit": 100, "order_ids": []},
            [(Category.INTERFACE, C, "input 'order_ids' now has default []")],
            id="default-added",
        ),
    ],
)
def test_input_rules(
    make_bundle: MakeBundle,
    new_inputs: dict[str, Any],
    new_defaults: dict[str, Any],
    expected: list[tuple[Category, Impact, str]],
) -> None:
    new_facts = {"source": "shop/orders.py:10", "defaults": new_defaults}
    got = changes_of(make_bundle, task_spec(), task_spec(inputs=new_inputs), new_facts=new_facts)
    assert got == expected


@pytest.mark.parametrize(
    ("new_outputs", "expected"),
    [
        pytest.param({}, [(Category.INTERFACE, B, "output 'o0' removed")], id="output-removed"),
        pytest.param(
            {"o0": {"collection_type": INT}},
            [(Category.INTERFACE, B, "output 'o0' type changed: INTEGER -> list[INTEGER]")],
            id="output-type-changed",
        ),
        pytest.param(
            {"o0": INT, "o1": STR},
            [(Category.INTERFACE, C, "output 'o1' added (STRING)")],
            id="output-added",
        ),
        pytest.param(
            {"count": INT},
            [(Category.INTERFACE, B, "output 'o0' renamed to 'count'")],
            id="output-renamed",
        ),
    ],
)
def test_output_rules(
    make_bundle: MakeBundle,
    new_outputs: dict[str, Any],
    expected: list[tuple[Category, Impact, str]],
) -> None:
    assert changes_of(make_bundle, task_spec(), task_spec(outputs=new_outputs)) == expected


RUNTIME = {"type": "FLYTE_SDK", "version": "0.1.0", "flavor": "python"}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param(
            {
                "metadata": {
                    "runtime": RUNTIME,
                    "retries": {"retries": 3},
                    "generates_deck": False,
                    "metadata": {},
                }
            },
            [(Category.CACHING_METADATA, C, "metadata.retries.retries added: 3")],
            id="retries",
        ),
        pytest.param(
            {
                "metadata": {
                    "runtime": RUNTIME,
                    "discoverable": True,
                    "discovery_version": "v2",
                    "generates_deck": False,
                    "metadata": {},
                    "retries": {},
                }
            },
            [
                (Category.CACHING_METADATA, C, "metadata.discoverable added: true"),
                (Category.CACHING_METADATA, C, "metadata.discovery_version added: v2"),
            ],
            id="cache",
        ),
        pytest.param(
            {"security_context": {"secrets": [{"group": "db", "key": "password"}]}},
            [
                (Category.SECRETS, C, "security_context.secrets[0].group added: db"),
                (Category.SECRETS, C, "security_context.secrets[0].key added: password"),
            ],
            id="secrets",
        ),
        pytest.param(
            {"extended_resources": {"gpu_accelerator": {"device": "nvidia-tesla-t4"}}},
            [
                (
                    Category.RESOURCES,
                    C,
                    "extended_resources.gpu_accelerator.device added: nvidia-tesla-t4",
                )
            ],
            id="accelerator",
        ),
        pytest.param(
            {"config": {"primary_container_name": "primary"}},
            [(Category.POD, C, "config.primary_container_name added: primary")],
            id="pod-config",
        ),
        pytest.param(
            {"custom": {"a": 1, "b": 2, "c": 3, "d": 4}},
            [(Category.OTHER, C, "other: 4 fields changed")],
            id="many-fields-summarised",
        ),
    ],
)
def test_template_categories(
    make_bundle: MakeBundle, template: dict[str, Any], expected: list[tuple[Category, Impact, str]]
) -> None:
    assert changes_of(make_bundle, task_spec(), task_spec(**template)) == expected


def test_resources_change_is_compatible(make_bundle: MakeBundle) -> None:
    new = task_spec()
    new.template.container.resources.requests.add(name=1, value="2")
    assert changes_of(make_bundle, task_spec(), new) == [
        (Category.RESOURCES, C, "container.resources.requests[0].name added: CPU"),
        (Category.RESOURCES, C, "container.resources.requests[0].value added: 2"),
    ]


def test_documentation_and_source_are_info(make_bundle: MakeBundle) -> None:
    new = task_spec()
    new.description.short_description = "Load all orders."
    new.template.interface.inputs.variables["limit"].description = "Maximum rows."
    moved = {"source": "shop/orders.py:12", "defaults": {"limit": 100}}
    assert changes_of(make_bundle, task_spec(), new, new_facts=moved) == [
        (Category.DOCUMENTATION, N, "input 'limit' description changed"),
        (
            Category.DOCUMENTATION,
            N,
            "description.short_description: Load orders. -> Load all orders.",
        ),
        (Category.OTHER, N, "compile_tasks.source: shop/orders.py:10 -> shop/orders.py:12"),
    ]


def test_breaking_changes_sort_first(make_bundle: MakeBundle) -> None:
    new = task_spec(image="other:1", inputs={"order_ids": {"collection_type": STR}})
    got = changes_of(make_bundle, task_spec(), new, new_facts={"defaults": {}})
    assert [impact for _, impact, _ in got] == [B, C, N]


def test_binary_only_change_is_reported(make_bundle: MakeBundle, tmp_path: Path) -> None:
    entries = [(LOAD, task_spec(), DEFAULTS)]
    golden_dir = tmp_path / "golden"
    write_golden_dir(read_bundle(make_bundle("old", entries)), golden_dir)
    bundle = make_bundle("new", entries)
    (bundle / f"{LOAD}.pb").write_bytes(b"\x0a\x00")
    (entity,) = check_bundle(bundle, golden_dir).entities
    assert [(c.category, c.impact, c.summary) for c in entity.changes] == [
        (Category.OTHER, C, "binary .pb changed")
    ]


def test_formatting_only_change_is_reported(make_bundle: MakeBundle, tmp_path: Path) -> None:
    entries = [(LOAD, task_spec(), DEFAULTS)]
    golden_dir = tmp_path / "golden"
    write_golden_dir(read_bundle(make_bundle("old", entries)), golden_dir)
    golden_file = golden_dir / f"{LOAD}.yaml"
    golden_file.write_text(golden_file.read_text() + "\n# edited by hand\n")
    (entity,) = check_bundle(make_bundle("new", entries), golden_dir).entities
    assert [c.summary for c in entity.changes] == ["rendering text differs (formatting only)"]
