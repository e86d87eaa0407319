"""Resources, Secret, PodTemplate and accelerator objects: construction and validation."""

from pathlib import Path

import pytest

from compiler import PodTemplate, Resources, Secret
from compiler import accelerators as acc
from compiler.errors import DefinitionError
from compiler.proto.extended import AcceleratorSpec
from compiler.proto.resources import ResourceName
from compiler.sdk.resources import resolve_resources


def line_of(marker: str) -> int:
    lines = Path(__file__).read_text().splitlines()
    return next(i for i, text in enumerate(lines, 1) if marker in text and "line_of" not in text)


def test_resources_bad_string_names_value_and_location():
    with pytest.raises(DefinitionError) as info:
        Resources(cpu="2 cores")  # CPU-MARKER
    err = info.value
    assert err.code == "CT120"
    assert "'2 cores'" in err.message
    assert err.location.file == __file__
    assert err.location.line == line_of("CPU-MARKER")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"cpu": True}, "CT121"),
        ({"mem": -1}, "CT121"),
        ({"cpu": float("nan")}, "CT121"),
        ({"mem": 0.5}, "CT121"),
        ({"gpu": ("1", "2", "3")}, "CT123"),
        ({"ephemeral_storage": "10 gigs"}, "CT120"),
    ],
)
def test_resources_validation(kwargs, code):
    with pytest.raises(DefinitionError) as info:
        Resources(**kwargs)
    assert info.value.code == code


def test_resolve_resources_sides():
    cpu, mem, gpu = ResourceName.CPU, ResourceName.MEMORY, ResourceName.GPU
    assert resolve_resources(Resources(cpu=1, mem="0"), Resources(gpu=1), None) == (
        {cpu: "1", mem: "0"},
        {gpu: "1"},
    )
    # a scalar inside resources= is a request only; pairs split; zero/empty skipped
    assert resolve_resources(None, None, Resources(cpu=("1", None), mem="2Gi", gpu=0)) == (
        {cpu: "1", mem: "2Gi"},
        {},
    )
    assert resolve_resources(None, None, None) == ({}, {})


def test_secret():
    s = Secret(group="db", key="k", mount_requirement=1)
    assert s.mount_requirement is Secret.MountType.ENV_VAR
    for kwargs, code in [
        ({}, "CT130"),
        ({"group": ""}, "CT130"),
        ({"group": "g", "env_var": "lower"}, "CT131"),
        ({"group": "g", "env_var": "1ABC"}, "CT131"),
        ({"group": "g", "mount_requirement": 7}, "CT132"),
        ({"group": "g", "mount_requirement": "FILE"}, "CT132"),
    ]:
        with pytest.raises(DefinitionError) as info:
            Secret(**kwargs)
        assert info.value.code == code, kwargs
        assert info.value.location.file == __file__
    assert Secret(group="g", env_var="_OK_1").env_var == "_OK_1"


def test_pod_template():
    pt = PodTemplate()
    assert pt.pod_spec_dict == {"containers": []}
    assert pt.primary_container_name == "primary"
    assert (pt.labels, pt.annotations) == ({}, {})
    with pytest.raises(DefinitionError) as info:
        PodTemplate(pod_spec={"containers": [{"image": "x"}]})  # POD-MARKER
    assert info.value.code == "CT140"
    assert info.value.location.line == line_of("POD-MARKER")
    with pytest.raises(DefinitionError) as info:
        PodTemplate(primary_container_name="")
    assert info.value.code == "CT141"
    with pytest.raises(DefinitionError) as info:
        PodTemplate(labels={"a": 1})
    assert (info.value.code, info.value.param) == ("CT141", "labels")


PLAIN = {
    "A10G": "nvidia-a10g",
    "L4": "nvidia-l4",
    "L4_VWS": "nvidia-l4-vws",
    "L40S": "nvidia-l40s",
    "K80": "nvidia-tesla-k80",
    "M60": "nvidia-tesla-m60",
    "P4": "nvidia-tesla-p4",
    "P100": "nvidia-tesla-p100",
    "T4": "nvidia-tesla-t4",
    "V100": "nvidia-tesla-v100",
    "H100": "nvidia-h100",
    "H200": "nvidia-h200",
    "RTX_PRO_6000": "nvidia-rtx-pro-6000",
    "A100": "nvidia-tesla-a100",
    "A100_80GB": "nvidia-a100-80gb",
    "V5E": "tpu-v5-lite-podslice",
    "V5P": "tpu-v5p-slice",
    "V6E": "tpu-v6e-slice",
}


@pytest.mark.parametrize(("name", "device"), PLAIN.items())
def test_accelerator_constants(name, device):
    assert getattr(acc, name).to_spec() == AcceleratorSpec(device)


@pytest.mark.parametrize(
    ("const", "attr", "size"),
    [
        ("A100", "partition_1g_5gb", "1g.5gb"),
        ("A100", "partition_2g_10gb", "2g.10gb"),
        ("A100", "partition_3g_20gb", "3g.20gb"),
        ("A100", "partition_4g_20gb", "4g.20gb"),
        ("A100", "partition_7g_40gb", "7g.40gb"),
        ("A100_80GB", "partition_1g_10gb", "1g.10gb"),
        ("A100_80GB", "partition_2g_20gb", "2g.20gb"),
        ("A100_80GB", "partition_3g_40gb", "3g.40gb"),
        ("A100_80GB", "partition_4g_40gb", "4g.40gb"),
        ("A100_80GB", "partition_7g_80gb", "7g.80gb"),
        ("V5E", "slice_1x1", "1x1"),
        ("V5E", "slice_2x4", "2x4"),
        ("V5E", "slice_16x16", "16x16"),
        ("V5P", "slice_2x2x1", "2x2x1"),
        ("V5P", "slice_16x16x24", "16x16x24"),
        ("V6E", "slice_8x16", "8x16"),
    ],
)
def test_partitions(const, attr, size):
    base = getattr(acc, const)
    assert getattr(base, attr).to_spec() == AcceleratorSpec(base.device, size)
    assert attr in dir(base)


def test_unpartitioned_custom_and_unknown():
    assert acc.A100_80GB.unpartitioned.to_spec() == AcceleratorSpec(
        "nvidia-a100-80gb", unpartitioned=True
    )
    assert acc.GPUAccelerator("custom").to_spec() == AcceleratorSpec("custom")
    assert acc.GPUAccelerator("x") == acc.GPUAccelerator("x")
    with pytest.raises(AttributeError):
        acc.A100.partition_9g_99gb  # noqa: B018
    with pytest.raises(AttributeError):
        acc.A100.partition_1g_5gb.partition_1g_5gb  # noqa: B018
