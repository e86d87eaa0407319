"""ContainerTask: raw-container hooks (WIRE-FORMAT 8) and validation."""

from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict

from compiler import ContainerTask, PodTemplate, Resources, Secret, TaskMetadata, kwtypes
from compiler.errors import DefinitionError, SerializationError
from compiler.settings import ImageConfig, SerializationSettings

SETTINGS = SerializationSettings(
    image_config=ImageConfig(
        default_image="registry.example.com/team/app:2.0",
        images={"tools": "registry.example.com/tools/resizer:3.1"},
    ),
)


def d(msg):
    return None if msg is None else MessageToDict(msg, preserving_proto_field_name=True)


resize = ContainerTask(
    name="resize_images",
    image="{{.image.tools}}",
    command=["resize", "--width", "{{.inputs.width}}", "/var/inputs/src", "/var/outputs/out.png"],
    inputs=kwtypes(src=str, width=int),
    outputs=kwtypes(out=str),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    metadata_format=ContainerTask.MetadataFormat.YAML,
    environment={"OMP_THREADS": "2"},
    limits=Resources(cpu="2"),
    metadata=TaskMetadata(retries=2),
    secret_requests=[Secret(group="s3", key="token")],
)  # RESIZE-LINE


def test_wire_format_section_8_example():
    assert resize.name == "resize_images"
    assert resize.task_type == "raw-container"
    assert resize.docs is None
    assert d(resize.get_container(SETTINGS)) == {
        "image": "registry.example.com/tools/resizer:3.1",
        "command": [
            "resize",
            "--width",
            "{{.inputs.width}}",
            "/var/inputs/src",
            "/var/outputs/out.png",
        ],
        "env": [{"key": "OMP_THREADS", "value": "2"}],
        "resources": {"limits": [{"name": "CPU", "value": "2"}]},
        "data_config": {
            "enabled": True,
            "format": "YAML",
            "input_path": "/var/inputs",
            "output_path": "/var/outputs",
        },
    }
    assert resize.get_k8s_pod(SETTINGS) is None
    assert resize.get_config(SETTINGS) is None
    assert resize.get_extended_resources(SETTINGS) is None
    assert d(resize.security_ctx) == {"secrets": [{"group": "s3", "key": "token"}]}
    assert d(resize.metadata_proto())["retries"] == {"retries": 2}
    assert resize.python_interface.inputs == {"src": str, "width": int}
    assert resize.python_interface.input_descriptions == {"src": "src", "width": "width"}


def test_location_and_module_are_the_constructor_call():
    lines = Path(__file__).read_text().splitlines()
    start = next(i for i, t in enumerate(lines, 1) if t.startswith("resize = ContainerTask("))
    assert resize.location.file == __file__
    assert resize.location.line == start
    assert resize.instantiated_in == "test_container_task"


def test_minimal_container_and_arguments_and_io_strategy():
    t = ContainerTask(
        name="echo",
        image="busybox:1.36",
        command=["echo"],
        arguments=["hello"],
        io_strategy=(
            ContainerTask.IOStrategy.DOWNLOAD_STREAM,
            ContainerTask.IOStrategy.UPLOAD_EAGER,
        ),
        metadata_format=ContainerTask.MetadataFormat.PROTO,
        pod_template_name="big",
    )
    assert d(t.get_container(SerializationSettings())) == {
        "image": "busybox:1.36",
        "command": ["echo"],
        "args": ["hello"],
        "resources": {},
        "data_config": {
            "enabled": True,
            "format": "PROTO",
            "io_strategy": {"download_mode": "DOWNLOAD_STREAM", "upload_mode": "UPLOAD_EAGER"},
        },
    }
    assert t.python_interface.inputs == {} and t.python_interface.outputs == {}
    assert d(t.metadata_proto())["pod_template_name"] == "big"


def test_container_task_with_pod_template():
    t = ContainerTask(
        name="pod_echo",
        image="busybox:1.36",
        command=["echo", "{{.inputs.x}}"],
        inputs=kwtypes(x=str),
        requests=Resources(mem="1Gi"),
        environment={"A": "1"},
        input_data_dir="/in",
        pod_template=PodTemplate(
            pod_spec={"containers": [{"name": "primary", "args": ["dropped"]}]},
            labels={"l": "v"},
        ),
    )
    assert t.get_container(SETTINGS) is None
    assert t.get_config(SETTINGS) == {"primary_container_name": "primary"}
    assert d(t.get_k8s_pod(SETTINGS)) == {
        "metadata": {"labels": {"l": "v"}},
        "pod_spec": {
            "containers": [
                {
                    "name": "primary",
                    "image": "busybox:1.36",
                    "command": ["echo", "{{.inputs.x}}"],
                    "env": [{"name": "A", "value": "1"}],
                    "resources": {"limits": {}, "requests": {"memory": "1Gi"}},
                },
            ]
        },
        "data_config": {"enabled": True, "input_path": "/in"},
    }


@pytest.mark.parametrize(
    ("kwargs", "code", "param"),
    [
        ({"metadata_format": "YAML"}, "CT161", "metadata_format"),
        ({"io_strategy": "stream"}, "CT161", "io_strategy"),
        (
            {
                "io_strategy": (
                    ContainerTask.IOStrategy.DOWNLOAD_EAGER,
                    ContainerTask.IOStrategy.DO_NOT_DOWNLOAD,
                )
            },
            "CT161",
            "io_strategy",
        ),
        ({"image": ""}, "CT162", "image"),
        ({"requests": Resources(cpu="1"), "resources": Resources(mem="1Gi")}, "CT122", "resources"),
        ({"pod_template": {"containers": []}}, "CT142", "pod_template"),
        ({"environment": {"A": 1}}, "CT117", "environment"),
        ({"metadata": TaskMetadata(pod_template_name="big")}, "CT118", "pod_template_name"),
        ({"command": ["run", 3]}, "CT164", "command"),
        ({"command": "run"}, "CT164", "command"),
        ({"arguments": [3]}, "CT164", "arguments"),
        ({"input_data_dir": 3}, "CT164", "input_data_dir"),
        ({"output_data_dir": b"/out"}, "CT164", "output_data_dir"),
    ],
)
def test_validation(kwargs, code, param):
    options = {"name": "bad", "image": "busybox:1", "command": ["true"], **kwargs}
    with pytest.raises(DefinitionError) as info:
        ContainerTask(**options)  # BAD-LINE
    err = info.value
    assert (err.code, err.param, err.task) == (code, param, "bad")
    assert err.location.file == __file__
    lines = Path(__file__).read_text().splitlines()
    assert "BAD-LINE" in lines[err.location.line - 1]


def test_name_must_be_a_string():
    with pytest.raises(DefinitionError) as info:
        ContainerTask(name=3, image="busybox:1", command=["true"])
    assert (info.value.code, info.value.param) == ("CT164", "name")


def test_pod_template_name_argument_reaches_metadata():
    t = ContainerTask(name="p", image="busybox:1", command=["true"], pod_template_name="big")
    assert t.metadata_proto().pod_template_name == "big"


def test_image_template_error_names_task():
    t = ContainerTask(name="x", image="{{.image.nope}}", command=["true"])
    with pytest.raises(SerializationError) as info:
        t.get_container(SETTINGS)
    assert (info.value.code, info.value.task) == ("CT302", "x")


def test_shared_metadata_is_not_mutated():
    shared = TaskMetadata(retries=1)
    a = ContainerTask(
        name="a", image="busybox:1", command=["true"], metadata=shared, pod_template_name="big"
    )
    b = ContainerTask(name="b", image="busybox:1", command=["true"], metadata=shared)
    assert a.metadata.pod_template_name == "big"
    assert b.metadata.pod_template_name is None
    assert shared.pod_template_name is None
