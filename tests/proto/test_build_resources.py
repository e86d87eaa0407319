"""compiler.proto.resources: canonical quantities and the two wire shapes."""

import math

import pytest
from google.protobuf.json_format import MessageToDict

from compiler.errors import DefinitionError
from compiler.proto.resources import (
    WIRE_ORDER,
    ResourceName,
    build_resources,
    canonical_quantity,
    pod_resources,
)

CPU, MEM, GPU, EPH = (
    ResourceName.CPU,
    ResourceName.MEMORY,
    ResourceName.GPU,
    ResourceName.EPHEMERAL_STORAGE,
)


def as_dict(msg):
    return MessageToDict(msg, preserving_proto_field_name=True)


@pytest.mark.parametrize(
    ("value", "name", "expected"),
    [
        ("2", CPU, "2"),
        ("500m", CPU, "500m"),
        ("4Gi", MEM, "4Gi"),
        ("1.5Gi", MEM, "1.5Gi"),
        ("1e3", MEM, "1e3"),
        ("0", CPU, "0"),
        (2, CPU, "2"),
        (1024, MEM, "1024"),
        (1, GPU, "1"),
        (2.0, CPU, "2"),
        (0.5, CPU, "500m"),
        (1.25, CPU, "1250m"),
        (0.001, CPU, "1m"),
        (None, CPU, None),
        ("", MEM, None),
        (0, GPU, None),
        (0.0, CPU, None),
    ],
)
def test_canonical_quantity(value, name, expected):
    assert canonical_quantity(value, name) == expected


@pytest.mark.parametrize("value", ["2 cores", "abc", "4GB", "-1", "1.2.3", "Gi"])
def test_bad_quantity_string_is_ct120_naming_the_value(value):
    with pytest.raises(DefinitionError) as info:
        canonical_quantity(value, CPU)
    assert info.value.code == "CT120"
    assert repr(value) in info.value.message
    assert info.value.param == "cpu"


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (True, CPU),
        (False, GPU),
        (-1, CPU),
        (-0.5, CPU),
        (math.nan, CPU),
        (math.inf, CPU),
        (1.5, MEM),
        (0.0001, CPU),
        ([1], CPU),
    ],
)
def test_bad_numbers_are_ct121(value, name):
    with pytest.raises(DefinitionError) as info:
        canonical_quantity(value, name)
    assert info.value.code == "CT121"


def test_wire_order_is_fixed():
    assert WIRE_ORDER == (EPH, CPU, GPU, MEM)


def test_build_resources_orders_entries_and_keeps_sides_apart():
    res = build_resources({MEM: "4Gi", CPU: "2", EPH: "20Gi"}, {MEM: "12Gi", GPU: "1"})
    assert as_dict(res) == {
        "requests": [
            {"name": "EPHEMERAL_STORAGE", "value": "20Gi"},
            {"name": "CPU", "value": "2"},
            {"name": "MEMORY", "value": "4Gi"},
        ],
        "limits": [{"name": "GPU", "value": "1"}, {"name": "MEMORY", "value": "12Gi"}],
    }


def test_build_resources_empty():
    assert as_dict(build_resources({}, {})) == {}


def test_pod_resources_has_both_keys_and_kubernetes_names():
    assert pod_resources({CPU: "1", MEM: "2Gi", EPH: "1Gi", GPU: "1"}, {}) == {
        "limits": {},
        "requests": {"ephemeral-storage": "1Gi", "cpu": "1", "gpu": "1", "memory": "2Gi"},
    }
