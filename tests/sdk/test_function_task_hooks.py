"""The hooks of @task functions: exact protos for the examples of WIRE-FORMAT 4-7."""

from datetime import timedelta

import pytest
from google.protobuf.json_format import MessageToDict

from compiler import Cache, PodTemplate, Resources, Secret, SerializationSettings, task
from compiler._version import __version__
from compiler.accelerators import A100, T4
from compiler.errors import SerializationError
from compiler.settings import ImageConfig

IMAGE = "registry.example.com/team/app:2.0"
SETTINGS = SerializationSettings(
    image_config=ImageConfig(default_image=IMAGE, images={"gpu": "registry.example.com/gpu:1"}),
    env={"LOG_FORMAT": "json", "REGION": "eu"},
)
RUNTIME = {"flavor": "python", "type": "FLYTE_SDK", "version": __version__}
BASE_METADATA = {"generates_deck": False, "metadata": {}, "retries": {}, "runtime": RUNTIME}


def d(msg):
    return None if msg is None else MessageToDict(msg, preserving_proto_field_name=True)


def args_for(name: str) -> list[str]:
    return [
        "compile-tasks-execute",
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
        "test_function_task_hooks",
        "task-name",
        name,
    ]


@task
def plain(a: int) -> int:
    return a


def test_plain_task_hooks():
    assert plain.name == "test_function_task_hooks.plain"
    assert plain.task_type == "python-task"
    assert plain.task_type_version == 0
    assert d(plain.get_container(SerializationSettings.for_image(IMAGE))) == {
        "image": IMAGE,
        "args": args_for("plain"),
        "resources": {},
    }
    assert plain.get_k8s_pod(SETTINGS) is None
    assert plain.get_sql(SETTINGS) is None
    assert plain.get_custom(SETTINGS) is None
    assert plain.get_config(SETTINGS) is None
    assert plain.get_extended_resources(SETTINGS) is None
    assert plain.security_ctx is None
    assert d(plain.metadata_proto()) == BASE_METADATA


@task(
    environment={"REGION": "us", "DB_POOL": "8"},
    requests=Resources(cpu="2", mem="4Gi", ephemeral_storage="20Gi"),
    container_image="{{.image.default.fqn}}:cuda-{{.image.default.version}}",
)
def env_and_requests() -> None: ...


def test_env_requests_and_image_template():
    assert d(env_and_requests.get_container(SETTINGS)) == {
        "image": "registry.example.com/team/app:cuda-2.0",
        "args": args_for("env_and_requests"),
        "env": [
            {"key": "LOG_FORMAT", "value": "json"},
            {"key": "REGION", "value": "us"},
            {"key": "DB_POOL", "value": "8"},
        ],
        "resources": {
            "requests": [
                {"name": "EPHEMERAL_STORAGE", "value": "20Gi"},
                {"name": "CPU", "value": "2"},
                {"name": "MEMORY", "value": "4Gi"},
            ]
        },
    }


@task(resources=Resources(cpu=("1", "4"), mem=("8Gi", "12Gi"), gpu="1"))
def paired() -> None: ...


@task(requests=Resources(cpu=2, mem=1024), limits=Resources(cpu=0.5, gpu=1))
def numeric() -> None: ...


def test_resources_pairs_and_numbers():
    assert d(paired.get_container(SETTINGS))["resources"] == {
        "requests": [
            {"name": "CPU", "value": "1"},
            {"name": "GPU", "value": "1"},
            {"name": "MEMORY", "value": "8Gi"},
        ],
        "limits": [{"name": "CPU", "value": "4"}, {"name": "MEMORY", "value": "12Gi"}],
    }
    assert d(numeric.get_container(SETTINGS))["resources"] == {
        "requests": [{"name": "CPU", "value": "2"}, {"name": "MEMORY", "value": "1024"}],
        "limits": [{"name": "CPU", "value": "500m"}, {"name": "GPU", "value": "1"}],
    }


@task(
    retries=4,
    timeout=timedelta(hours=2),
    interruptible=True,
    deprecated="Use load_orders_v2.",
    cache=Cache(version="v3", serialize=True, ignored_inputs="trace_id"),
    enable_deck=True,
    pod_template_name="large-nodes",
    labels={"team": "checkout"},
    annotations={"owner.example.com/oncall": "pager-7"},
)
def everything(trace_id: str) -> None: ...


def test_metadata_options():
    assert d(everything.metadata_proto()) == {
        "discoverable": True,
        "discovery_version": "v3",
        "cache_serializable": True,
        "cache_ignore_input_vars": ["trace_id"],
        "retries": {"retries": 4},
        "timeout": "7200s",
        "interruptible": True,
        "deprecated_error_message": "Use load_orders_v2.",
        "generates_deck": True,
        "pod_template_name": "large-nodes",
        "metadata": {
            "labels": {"team": "checkout"},
            "annotations": {"owner.example.com/oncall": "pager-7"},
        },
        "runtime": RUNTIME,
    }
    # pod_template_name keeps a normal container
    assert everything.get_container(SETTINGS) is not None
    assert everything.get_k8s_pod(SETTINGS) is None


@task(timeout=900, interruptible=False)
def timed() -> None: ...


def test_int_timeout_and_interruptible_false():
    assert d(timed.metadata_proto()) == {
        **BASE_METADATA,
        "timeout": "900s",
        "interruptible": False,
    }


@task(
    secret_requests=[
        Secret(group="db", key="username"),
        Secret(group="db", key="password", mount_requirement=Secret.MountType.ENV_VAR),
        Secret(
            group="tls",
            group_version="2",
            key="client.pem",
            mount_requirement=Secret.MountType.FILE,
        ),
        Secret(group="payments", key="api-token", env_var="PAYMENTS_TOKEN"),
    ],
    accelerator=A100.partition_3g_20gb,
    shared_memory="8Gi",
)
def secured() -> None: ...


def test_secrets_and_extended_resources():
    assert d(secured.security_ctx) == {
        "secrets": [
            {"group": "db", "key": "username"},
            {"group": "db", "key": "password", "mount_requirement": "ENV_VAR"},
            {
                "group": "tls",
                "group_version": "2",
                "key": "client.pem",
                "mount_requirement": "FILE",
            },
            {"group": "payments", "key": "api-token", "env_var": "PAYMENTS_TOKEN"},
        ]
    }
    assert d(secured.get_extended_resources(SETTINGS)) == {
        "gpu_accelerator": {"device": "nvidia-tesla-a100", "partition_size": "3g.20gb"},
        "shared_memory": {
            "mount_name": "flyte-shared-memory",
            "mount_path": "/dev/shm",
            "size_limit": "8Gi",
        },
    }
    assert "env" not in d(secured.get_container(SerializationSettings.for_image(IMAGE)))


@pytest.mark.parametrize(
    ("accelerator", "shared_memory", "expected"),
    [
        (T4, None, {"gpu_accelerator": {"device": "nvidia-tesla-t4"}}),
        (A100, None, {"gpu_accelerator": {"device": "nvidia-tesla-a100"}}),
        (
            A100.unpartitioned,
            None,
            {"gpu_accelerator": {"device": "nvidia-tesla-a100", "unpartitioned": True}},
        ),
        (
            None,
            True,
            {"shared_memory": {"mount_name": "flyte-shared-memory", "mount_path": "/dev/shm"}},
        ),
    ],
)
def test_accelerator_variants(accelerator, shared_memory, expected):
    @task(accelerator=accelerator, shared_memory=shared_memory)
    def f() -> None: ...

    assert d(f.get_extended_resources(SETTINGS)) == expected


POD = PodTemplate(
    pod_spec={
        "containers": [
            {
                "name": "app",
                "env": [{"name": "CACHE_DIR", "value": "/cache"}],
                "volumeMounts": [{"mountPath": "/cache", "name": "cache"}],
            },
            {"name": "log-shipper", "image": "{{.image.gpu}}", "args": ["--flush=5s"]},
        ],
        "nodeSelector": {"pool.example.com/tier": "batch"},
        "terminationGracePeriodSeconds": 30,
    },
    primary_container_name="app",
    labels={"lbl": "1"},
    annotations={"ann": "2"},
)


@task(
    pod_template=POD,
    requests=Resources(cpu="1", mem="2Gi"),
    environment={"MODE": "full"},
    accelerator=T4,
    secret_requests=[Secret(group="db")],
)
def in_pod() -> None: ...


def test_pod_template_task():
    assert in_pod.get_container(SETTINGS) is None
    assert in_pod.get_config(SETTINGS) == {"primary_container_name": "app"}
    assert d(in_pod.get_k8s_pod(SETTINGS)) == {
        "metadata": {"labels": {"lbl": "1"}, "annotations": {"ann": "2"}},
        "pod_spec": {
            "containers": [
                {
                    "name": "app",
                    "image": IMAGE,
                    "command": [],
                    "args": args_for("in_pod"),
                    "env": [
                        {"name": "LOG_FORMAT", "value": "json"},
                        {"name": "REGION", "value": "eu"},
                        {"name": "MODE", "value": "full"},
                        {"name": "CACHE_DIR", "value": "/cache"},
                    ],
                    "resources": {"limits": {}, "requests": {"cpu": "1", "memory": "2Gi"}},
                    "volumeMounts": [{"mountPath": "/cache", "name": "cache"}],
                },
                {
                    "name": "log-shipper",
                    "image": "registry.example.com/gpu:1",
                    "args": ["--flush=5s"],
                },
            ],
            "nodeSelector": {"pool.example.com/tier": "batch"},
            "terminationGracePeriodSeconds": 30.0,
        },
    }
    assert d(in_pod.get_extended_resources(SETTINGS)) == {
        "gpu_accelerator": {"device": "nvidia-tesla-t4"}
    }
    assert d(in_pod.security_ctx) == {"secrets": [{"group": "db"}]}
    assert d(in_pod.metadata_proto()) == BASE_METADATA


def test_default_pod_template_appends_primary():
    @task(pod_template=PodTemplate())
    def f() -> None: ...

    pod = d(f.get_k8s_pod(SerializationSettings.for_image(IMAGE)))
    assert pod == {
        "metadata": {},
        "pod_spec": {
            "containers": [
                {"name": "primary", "image": IMAGE, "command": [], "env": [], "args": args_for("f")}
            ]
        },
    }


def test_missing_image_is_ct301_with_task_and_location():
    with pytest.raises(SerializationError) as info:
        plain.get_container(SerializationSettings())
    err = info.value
    assert (err.code, err.task) == ("CT301", "test_function_task_hooks.plain")
    assert err.location == plain.location
    assert "--image" in err.hint


def test_unknown_image_name_is_ct302():
    @task(container_image="{{.image.trainer.fqn}}:1")
    def f() -> None: ...

    with pytest.raises(SerializationError) as info:
        f.get_container(SETTINGS)
    assert (info.value.code, info.value.task) == ("CT302", "test_function_task_hooks.f")


def test_location_is_the_def_line():
    import inspect

    lines, start = inspect.getsourcelines(env_and_requests.task_function)
    def_offset = next(i for i, text in enumerate(lines) if text.startswith("def "))
    assert env_and_requests.location.line == start + def_offset
    assert env_and_requests.location.file == __file__
    assert env_and_requests.instantiated_in == "test_function_task_hooks"
