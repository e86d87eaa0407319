"""compiler.proto.images: image templates and the default image (WIRE-FORMAT 4.3)."""

import pytest

from compiler.errors import SerializationError
from compiler.proto.images import ImageRef, resolve_image, task_image
from compiler.settings import ImageConfig

IMAGES = ImageConfig(
    default_image="registry.example.com/team/app:2.0",
    images={
        "GPU": "registry.example.com/team/gpu:cuda-12",
        "pinned": "registry.example.com/team/app@sha256:abc123",
        "localhost": "localhost:5000/app:1.1",
        "untagged": "registry.example.com/team/bare",
    },
)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("busybox:1.36", "busybox:1.36"),
        (
            "{{.image.default.fqn}}:cuda-{{.image.default.version}}",
            "registry.example.com/team/app:cuda-2.0",
        ),
        ("{{.image.default}}", "registry.example.com/team/app:2.0"),
        ("{{ .image.gpu.fqn }}:{{ .image.gpu.version }}", "registry.example.com/team/gpu:cuda-12"),
        ("{{.IMAGE.GPU.FQN}}", "registry.example.com/team/gpu"),
        ("{{.images.gpu}}", "registry.example.com/team/gpu:cuda-12"),
        (
            "{{.image.pinned.fqn}}:{{.image.pinned.version}}",
            "registry.example.com/team/app@sha256:abc123",
        ),
        ("{{.image.pinned}}", "registry.example.com/team/app@sha256:abc123"),
        ("{{.image.localhost.fqn}}:{{.image.localhost.version}}", "localhost:5000/app:1.1"),
        ("{{.image.untagged}}", "registry.example.com/team/bare"),
    ],
)
def test_resolve_image(spec, expected):
    assert resolve_image(spec, IMAGES) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "{{.image.nope.fqn}}",
        "{{.image.default.tag}}",
        "{{.image.untagged.fqn}}:{{.image.untagged.version}}",
    ],
)
def test_template_errors_are_ct302(spec):
    with pytest.raises(SerializationError) as info:
        resolve_image(spec, IMAGES)
    assert info.value.code == "CT302"


def test_unknown_image_error_names_the_image_and_the_flag():
    with pytest.raises(SerializationError) as info:
        resolve_image("{{.image.Trainer.fqn}}:1", IMAGES)
    assert "'Trainer'" in info.value.message
    assert "--image trainer=URI" in info.value.hint


def test_image_ref_parse():
    assert ImageRef.parse("a/b:1") == ImageRef("a/b", ":", "1")
    assert ImageRef.parse("a/b@sha256:ff") == ImageRef("a/b", "@", "sha256:ff")
    assert ImageRef.parse("host:5000/b") == ImageRef("host:5000/b", "", "")


def test_task_image_default_and_own():
    assert task_image(None, IMAGES) == "registry.example.com/team/app:2.0"
    assert task_image("{{.image.gpu}}", IMAGES) == "registry.example.com/team/gpu:cuda-12"
    assert task_image("busybox:1", ImageConfig()) == "busybox:1"


def test_task_without_any_image_is_ct301_with_hint():
    with pytest.raises(SerializationError) as info:
        task_image(None, ImageConfig())
    assert info.value.code == "CT301"
    assert "--image" in info.value.hint
