"""compiler.proto.container / env / security / extended / metadata builders."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from google.protobuf.json_format import MessageToDict
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import _version
from compiler.idl import DEFAULT_RESOLVER, ENTRYPOINT
from compiler.proto.container import build_container, build_task_container, python_task_args
from compiler.proto.env import merge_env, pod_env
from compiler.proto.extended import AcceleratorSpec, build_extended_resources
from compiler.proto.metadata import MetadataSpec, build_task_metadata
from compiler.proto.resources import ResourceName, build_resources
from compiler.proto.security import build_security_context

RUNTIME = {"flavor": "python", "type": "FLYTE_SDK", "version": _version.__version__}


def as_dict(msg):
    return MessageToDict(msg, preserving_proto_field_name=True)


def test_python_task_args():
    args = python_task_args(DEFAULT_RESOLVER, ["task-module", "shop.orders", "task-name", "f"])
    assert args == [
        *ENTRYPOINT,
        "--inputs",
        "{{.input}}",
        "--output-prefix",
        "{{.outputPrefix}}",
        "--raw-output-data-prefix",
        "{{.rawOutputDataPrefix}}",
        "--checkpoint-path",
        "{{.checkpointOutputPrefix}}",
        "--prev-checkpoint",
        "{{.prevCheckpointPrefix}}",
        "--resolver",
        "compiler.sdk.resolver.default_task_resolver",
        "--",
        "task-module",
        "shop.orders",
        "task-name",
        "f",
    ]
    assert len(args) == 17 + len(ENTRYPOINT)


def test_env_merge_keeps_first_position():
    merged = merge_env({"LOG_FORMAT": "json", "REGION": "eu"}, {"REGION": "us", "DB_POOL": "8"})
    assert list(merged.items()) == [("LOG_FORMAT", "json"), ("REGION", "us"), ("DB_POOL", "8")]
    assert pod_env({"A": "1"}) == [{"name": "A", "value": "1"}]


def test_container_resources_always_set_env_only_when_present():
    empty = build_container(image="img:1", resources=build_resources({}, {}), env={})
    assert as_dict(empty) == {"image": "img:1", "resources": {}}
    full = build_container(
        image="img:1",
        args=["a"],
        resources=build_resources({ResourceName.CPU: "1"}, {}),
        env={"K": "V"},
    )
    assert as_dict(full) == {
        "image": "img:1",
        "args": ["a"],
        "resources": {"requests": [{"name": "CPU", "value": "1"}]},
        "env": [{"key": "K", "value": "V"}],
    }


def test_security_context_in_order():
    secrets = [
        SimpleNamespace(
            group="db", key="username", group_version=None, mount_requirement=0, env_var=None
        ),
        SimpleNamespace(
            group="tls", key="client.pem", group_version="2", mount_requirement=2, env_var=None
        ),
        SimpleNamespace(
            group="payments",
            key="api-token",
            group_version=None,
            mount_requirement=0,
            env_var="PAYMENTS_TOKEN",
        ),
    ]
    assert as_dict(build_security_context(secrets)) == {
        "secrets": [
            {"group": "db", "key": "username"},
            {
                "group": "tls",
                "group_version": "2",
                "key": "client.pem",
                "mount_requirement": "FILE",
            },
            {"group": "payments", "key": "api-token", "env_var": "PAYMENTS_TOKEN"},
        ]
    }
    assert build_security_context([]) is None


def test_extended_resources():
    assert build_extended_resources(None, None) is None
    assert build_extended_resources(None, False) is None
    ext = build_extended_resources(AcceleratorSpec("nvidia-tesla-a100", "3g.20gb"), "8Gi")
    assert as_dict(ext) == {
        "gpu_accelerator": {"device": "nvidia-tesla-a100", "partition_size": "3g.20gb"},
        "shared_memory": {
            "mount_name": "flyte-shared-memory",
            "mount_path": "/dev/shm",
            "size_limit": "8Gi",
        },
    }
    assert as_dict(build_extended_resources(None, True)) == {
        "shared_memory": {"mount_name": "flyte-shared-memory", "mount_path": "/dev/shm"}
    }
    unpart = build_extended_resources(AcceleratorSpec("nvidia-a100-80gb", unpartitioned=True), None)
    assert as_dict(unpart) == {
        "gpu_accelerator": {"device": "nvidia-a100-80gb", "unpartitioned": True}
    }


def test_metadata_baseline():
    assert as_dict(build_task_metadata(MetadataSpec())) == {
        "generates_deck": False,
        "metadata": {},
        "retries": {},
        "runtime": RUNTIME,
    }


def test_metadata_every_option():
    spec = MetadataSpec(
        cache=True,
        cache_version="v3",
        cache_serialize=True,
        cache_ignore_input_vars=("trace_id", "verbose"),
        retries=4,
        timeout=timedelta(seconds=900),
        interruptible=False,
        deprecated="Use load_orders_v2.",
        generates_deck=True,
        pod_template_name="large-nodes",
        labels={"team": "checkout"},
        annotations={"owner.example.com/oncall": "pager-7"},
    )
    assert as_dict(build_task_metadata(spec)) == {
        "discoverable": True,
        "discovery_version": "v3",
        "cache_serializable": True,
        "cache_ignore_input_vars": ["trace_id", "verbose"],
        "retries": {"retries": 4},
        "timeout": "900s",
        "interruptible": False,
        "deprecated_error_message": "Use load_orders_v2.",
        "generates_deck": True,
        "pod_template_name": "large-nodes",
        "metadata": {
            "labels": {"team": "checkout"},
            "annotations": {"owner.example.com/oncall": "pager-7"},
        },
        "runtime": RUNTIME,
    }


def test_zero_timeout_is_absent():
    md = build_task_metadata(MetadataSpec(timeout=timedelta(0)))
    assert not md.HasField("timeout")


def test_metadata_is_a_new_message_each_time():
    spec = MetadataSpec(retries=1, labels={"a": "b"})
    first = build_task_metadata(spec)
    expected = first.SerializeToString(deterministic=True)
    first.metadata.labels["c"] = "d"
    first.retries.retries = 7
    assert build_task_metadata(spec).SerializeToString(deterministic=True) == expected


def test_metadata_memo_keeps_equal_numbers_of_other_types_apart():
    assert build_task_metadata(MetadataSpec(retries=1, interruptible=True)).interruptible
    with pytest.raises(TypeError):  # protobuf refuses a float, memo or not
        build_task_metadata(MetadataSpec(retries=1.0, interruptible=True))
    with pytest.raises(TypeError):
        build_task_metadata(MetadataSpec(retries=1, interruptible=1.0))


_NAMES = st.sampled_from(list(ResourceName))
_QUANTITIES = st.sampled_from(["1", "500m", "2Gi", "128Mi", "4"])
_TEXT = st.text(min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    image=_TEXT,
    requests=st.dictionaries(_NAMES, _QUANTITIES, max_size=4),
    limits=st.dictionaries(_NAMES, _QUANTITIES, max_size=4),
    env=st.dictionaries(_TEXT, st.text(max_size=8), max_size=4),
    args=st.lists(_TEXT, max_size=6),
)
def test_build_task_container_equals_the_plain_builder(image, requests, limits, env, args):
    """The memoised builder gives the message ``build_container`` gives, whatever was built
    before (the memo is keyed by content; the args are never shared)."""
    plain = build_container(
        image=image, args=args, resources=build_resources(requests, limits), env=env
    )
    for _ in range(2):  # the second call is served from the memo
        fast = build_task_container(image, requests, limits, env, args)
        assert fast == plain
        assert fast.SerializeToString(deterministic=True) == plain.SerializeToString(
            deterministic=True
        )
        fast.args.append("changed")  # a caller's change reaches no other message
