"""compiler.proto.pod: pod spec normalisation and the primary-container rules (WIRE-FORMAT 7)."""

import pytest
from google.protobuf.json_format import MessageToDict

from compiler.errors import DefinitionError
from compiler.proto.pod import PrimaryContainer, build_k8s_pod, build_pod_spec, to_pod_spec_dict
from compiler.proto.resources import ResourceName
from compiler.settings import ImageConfig

IMAGES = ImageConfig(
    default_image="registry.example.com/team/app:2.0",
    images={"sidecar": "registry.example.com/sidecars/log-shipper:1.2"},
)


class _Model:
    """A stand-in for a kubernetes.client model (attribute_map / openapi_types)."""

    openapi_types: dict = {}
    attribute_map: dict = {}

    def __init__(self, **kwargs):
        for attr in self.openapi_types:
            setattr(self, attr, kwargs.get(attr))


class V1Container(_Model):
    openapi_types = {
        "name": "str",
        "image": "str",
        "env": "list",
        "volume_mounts": "list",
        "resources": "V1ResourceRequirements",
        "args": "list",
    }
    attribute_map = {
        "name": "name",
        "image": "image",
        "env": "env",
        "volume_mounts": "volumeMounts",
        "resources": "resources",
        "args": "args",
    }


class V1EnvVar(_Model):
    openapi_types = {"name": "str", "value": "str"}
    attribute_map = {"name": "name", "value": "value"}


class V1VolumeMount(_Model):
    openapi_types = {"mount_path": "str", "name": "str", "read_only": "bool"}
    attribute_map = {"mount_path": "mountPath", "name": "name", "read_only": "readOnly"}


class V1ResourceRequirements(_Model):
    openapi_types = {"limits": "dict", "requests": "dict"}
    attribute_map = {"limits": "limits", "requests": "requests"}


class V1Toleration(_Model):
    openapi_types = {"effect": "str", "key": "str", "operator": "str", "value": "str"}
    attribute_map = {"effect": "effect", "key": "key", "operator": "operator", "value": "value"}


class V1EmptyDirVolumeSource(_Model):
    openapi_types = {"medium": "str", "size_limit": "str"}
    attribute_map = {"medium": "medium", "size_limit": "sizeLimit"}


class V1Volume(_Model):
    openapi_types = {"name": "str", "empty_dir": "V1EmptyDirVolumeSource"}
    attribute_map = {"name": "name", "empty_dir": "emptyDir"}


class V1PodSpec(_Model):
    openapi_types = {
        "containers": "list",
        "node_selector": "dict",
        "tolerations": "list",
        "volumes": "list",
        "host_network": "bool",
    }
    attribute_map = {
        "containers": "containers",
        "node_selector": "nodeSelector",
        "tolerations": "tolerations",
        "volumes": "volumes",
        "host_network": "hostNetwork",
    }


def example_spec():
    return V1PodSpec(
        containers=[
            V1Container(
                name="app",
                env=[V1EnvVar(name="CACHE_DIR", value="/cache")],
                volume_mounts=[V1VolumeMount(mount_path="/cache", name="cache")],
            ),
            V1Container(
                name="log-shipper",
                image="{{.image.sidecar}}",
                args=["--flush=5s"],
                resources=V1ResourceRequirements(requests={"cpu": "20m", "memory": "32Mi"}),
            ),
        ],
        node_selector={"pool.example.com/tier": "batch"},
        tolerations=[V1Toleration(effect="NoSchedule", key="batch-only", operator="Exists")],
        volumes=[V1Volume(name="cache", empty_dir=V1EmptyDirVolumeSource(medium="Memory"))],
    )


ARGS = ["compile-tasks-execute", "--", "task-module", "m", "task-name", "f"]


def test_duck_typed_v1podspec_becomes_camel_case_dict_without_nones():
    assert to_pod_spec_dict(example_spec()) == {
        "containers": [
            {
                "name": "app",
                "env": [{"name": "CACHE_DIR", "value": "/cache"}],
                "volumeMounts": [{"mountPath": "/cache", "name": "cache"}],
            },
            {
                "name": "log-shipper",
                "image": "{{.image.sidecar}}",
                "args": ["--flush=5s"],
                "resources": {"requests": {"cpu": "20m", "memory": "32Mi"}},
            },
        ],
        "nodeSelector": {"pool.example.com/tier": "batch"},
        "tolerations": [{"effect": "NoSchedule", "key": "batch-only", "operator": "Exists"}],
        "volumes": [{"name": "cache", "emptyDir": {"medium": "Memory"}}],
    }


def test_wire_format_section_7_example():
    primary = PrimaryContainer(
        image="registry.example.com/team/app:2.0",
        command=[],
        args=ARGS,
        env={"MODE": "full"},
        requests={ResourceName.CPU: "1", ResourceName.MEMORY: "2Gi"},
        limits={},
    )
    spec = build_pod_spec(to_pod_spec_dict(example_spec()), "app", primary, IMAGES)
    pod = build_k8s_pod(spec, {}, {})
    assert MessageToDict(pod, preserving_proto_field_name=True) == {
        "metadata": {},
        "pod_spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "registry.example.com/team/app:2.0",
                    "command": [],
                    "args": ARGS,
                    "env": [
                        {"name": "MODE", "value": "full"},
                        {"name": "CACHE_DIR", "value": "/cache"},
                    ],
                    "resources": {"limits": {}, "requests": {"cpu": "1", "memory": "2Gi"}},
                    "volumeMounts": [{"mountPath": "/cache", "name": "cache"}],
                },
                {
                    "name": "log-shipper",
                    "image": "registry.example.com/sidecars/log-shipper:1.2",
                    "args": ["--flush=5s"],
                    "resources": {"requests": {"cpu": "20m", "memory": "32Mi"}},
                },
            ],
            "nodeSelector": {"pool.example.com/tier": "batch"},
            "tolerations": [{"effect": "NoSchedule", "key": "batch-only", "operator": "Exists"}],
            "volumes": [{"emptyDir": {"medium": "Memory"}, "name": "cache"}],
        },
    }


def test_missing_primary_is_appended_last_with_explicit_empty_lists():
    primary = PrimaryContainer(image="img:1", command=[], args=ARGS, env={}, requests={}, limits={})
    spec = build_pod_spec(
        {"containers": [{"name": "side", "image": "s:1"}]}, "primary", primary, IMAGES
    )
    assert spec["containers"] == [
        {"name": "side", "image": "s:1"},
        {"name": "primary", "image": "img:1", "command": [], "args": ARGS, "env": []},
    ]


def test_primary_keeps_own_resources_without_task_resources_and_own_image_is_templated():
    own = {
        "name": "primary",
        "image": "{{.image.default.fqn}}:gpu",
        "resources": {"limits": {"cpu": "3"}},
    }
    primary = PrimaryContainer(
        image="img:1", command=["run"], args=None, env={}, requests={}, limits={}
    )
    spec = build_pod_spec({"containers": [{**own, "args": ["x"]}]}, "primary", primary, IMAGES)
    assert spec["containers"] == [
        {
            "name": "primary",
            "image": "registry.example.com/team/app:gpu",
            "command": ["run"],
            "env": [],
            "resources": {"limits": {"cpu": "3"}},
        },
    ]


def test_input_spec_is_not_mutated():
    source = {"containers": [{"name": "primary"}]}
    primary = PrimaryContainer(image="i:1", command=[], args=[], env={}, requests={}, limits={})
    build_pod_spec(source, "primary", primary, IMAGES)
    assert source == {"containers": [{"name": "primary"}]}


def test_numbers_become_doubles_and_metadata_and_data_config():
    pod = build_k8s_pod(
        {"containers": [], "terminationGracePeriodSeconds": 30}, {"team": "a"}, {"x": "y"}
    )
    assert MessageToDict(pod, preserving_proto_field_name=True) == {
        "metadata": {"labels": {"team": "a"}, "annotations": {"x": "y"}},
        "pod_spec": {"containers": [], "terminationGracePeriodSeconds": 30.0},
    }


@pytest.mark.parametrize(
    "spec",
    [
        None,
        "containers",
        {"nodeSelector": {}},
        {"containers": {"name": "a"}},
        {"containers": [{"image": "x"}]},
        {"containers": ["primary"]},
        {"containers": [{"name": 3}]},
        {"containers": [], "x": object()},
    ],
)
def test_implausible_specs_are_ct140(spec):
    with pytest.raises(DefinitionError) as info:
        to_pod_spec_dict(spec)
    assert info.value.code == "CT140"
    assert "hint" not in info.value.message
    assert info.value.hint


@pytest.mark.parametrize(
    ("spec", "where"),
    [
        ({"containers": [{"name": "primary"}], "volumes": "x"}, "pod_spec.volumes must be a list"),
        (
            {"containers": [{"name": "primary", "resources": "lots"}]},
            "pod_spec.containers[0].resources must be a mapping",
        ),
        (
            {"containers": [{"name": "p", "env": [{"name": "A", "value": 3}]}]},
            "pod_spec.containers[0].env[0].value must be a string",
        ),
        (
            {"containers": [{"name": "p", "resources": {"limits": "1"}}]},
            "pod_spec.containers[0].resources.limits must be a mapping",
        ),
        ({"containers": [{"name": "p"}], "initContainers": [{}]}, "pod_spec.initContainers[0]"),
        ({"containers": [{"name": "p"}], "nodeSelector": ["a"]}, "nodeSelector must be a mapping"),
    ],
)
def test_wrongly_typed_pod_spec_fields_are_refused(spec: dict, where: str) -> None:
    with pytest.raises(DefinitionError) as info:
        to_pod_spec_dict(spec)
    assert info.value.code == "CT140"
    assert where in info.value.message
