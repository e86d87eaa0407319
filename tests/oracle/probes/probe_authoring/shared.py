"""Environment (shared task options), source links, secrets with a mount type."""

from compiler import (
    Description,
    Documentation,
    Environment,
    ImageSpec,
    Secret,
    SourceCode,
    task,
    workflow,
)

env = Environment(
    container_image=ImageSpec(name="shared", registry="ghcr.io/acme", packages=["attrs"]),
    retries=2,
    environment={"TEAM": "data"},
)
gpu_env = env.extend(environment={"CUDA": "1"}, interruptible=True)


@env.task
def clean(x: int) -> int:
    return x


@env.task(cache=True, cache_version="2")
def enrich(x: int) -> int:
    return x + 1


@gpu_env
def train(x: int) -> int:
    return x * 2


@task(
    docs=Documentation(
        short_description="Score one value.",
        long_description=Description(value="Scores with the current model."),
        source_code=SourceCode(link="https://github.com/acme/models/blob/main/score.py"),
    ),
    secret_requests=[Secret(group="model", key="token", mount_requirement=Secret.MountType.FILE)],
)
def score(x: int) -> int:
    return x


@workflow(docs=Documentation(source_code=SourceCode(link="https://github.com/acme/flows")))
def pipeline(x: int) -> int:
    """Clean, enrich and train."""
    a = clean(x=x)
    b = enrich(x=a)
    return train(x=b)


@task(docs=Documentation(short_description="Only given."))
def brief(x: int) -> int:
    return x


@task(docs=Documentation(long_description=Description()))
def empty_body(x: int) -> int:
    """Documented summary."""
    return x
