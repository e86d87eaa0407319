"""ImageSpec in container_image=, ContainerTask(image=) and pod templates (the tag is the hash)."""

from compiler import (
    ContainerTask,
    CopyFileDetection,
    ImageSpec,
    PodTemplate,
    Resources,
    kwtypes,
    task,
)

base = ImageSpec(name="Base", registry="ghcr.io/acme", python_version="3.11", packages=["numpy"])

app = ImageSpec(
    name="app",
    registry="ghcr.io/acme",
    base_image=base,
    packages=["pandas==2.2.2", "pyarrow"],
    apt_packages=["git", "curl"],
    env={"LOG_LEVEL": "info"},
    commands=["echo built"],
    pip_extra_index_url=["https://pypi.example.com/simple"],
    pip_secret_mounts=[(".netrc", "/root/.netrc")],
    builder="noop",
)

tagged = ImageSpec(
    name="tagged",
    registry="localhost:30000",
    tag_format="{spec_hash}-dev",
    platform="linux/arm64",
    cuda="12.1",
    cudnn="8",
    entrypoint=["/bin/sh"],
    builder_options={"stack": "pip"},
)

from_files = ImageSpec(
    name="from-files",
    registry="quay.io/acme",
    requirements="probe_authoring/requirements.txt",
    copy=["probe_authoring/data"],
    registry_config="/etc/registry.json",
    source_copy_mode=CopyFileDetection.NO_COPY,
)

with_runtime = ImageSpec(name="rt", base_image="python:3.11-slim", runtime_packages=["polars"])

no_registry = ImageSpec(packages=["requests"], pip_index="https://pypi.example.com/simple")


@task(container_image=app)
def on_app(x: int) -> int:
    return x


@task(container_image=tagged, environment={"A": "1"})
def on_tagged(x: int) -> int:
    return x


@task(container_image=from_files)
def on_files(x: int) -> int:
    return x


@task(container_image=with_runtime, environment={"B": "2"})
def on_runtime(x: int) -> int:
    return x


@task(container_image=no_registry.with_packages(["httpx"]).with_apt_packages("jq"))
def on_derived(x: int) -> int:
    return x


@task(
    container_image=app,
    pod_template=PodTemplate(primary_container_name="main", labels={"team": "data"}),
    requests=Resources(cpu="1"),
)
def in_pod(x: int) -> int:
    return x


echo = ContainerTask(
    name="authoring_echo",
    image=tagged,
    command=["echo", "{{.inputs.word}}"],
    inputs=kwtypes(word=str),
)
