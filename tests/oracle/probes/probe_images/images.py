"""Image templates (WIRE-FORMAT 4.3)."""

from compiler import ContainerTask, PodTemplate, task


@task
def default_image(x: int) -> int:
    return x


@task(container_image="{{.image.default.fqn}}:{{.image.default.version}}")
def digest_split(x: int) -> int:
    return x


@task(container_image="{{.image.tools.fqn}}:{{.image.tools.version}}")
def port_registry(x: int) -> int:
    return x


@task(container_image="{{.image.tools}}")
def whole_uri(x: int) -> int:
    return x


@task(container_image="{{ .images.tools.fqn }}:next")
def spaces_and_images(x: int) -> int:
    return x


@task(container_image="docker.io/library/python:3.11")
def verbatim(x: int) -> int:
    return x


@task(
    pod_template=PodTemplate(
        pod_spec={
            "containers": [
                {"name": "primary", "image": "{{.image.tools.fqn}}:pod"},
                {"name": "helper", "image": "{{.image.default.fqn}}:helper"},
            ]
        }
    )
)
def pod_images(x: int) -> int:
    return x


templated_container = ContainerTask(
    name="templated_container",
    image="{{.image.tools.fqn}}:{{.image.tools.version}}",
    command=["run"],
)
