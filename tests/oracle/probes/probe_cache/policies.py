"""Tasks whose cache version comes from policies: the function source, the image, a salt."""

import hashlib
import inspect

from compiler import Cache, CachePolicy, PodTemplate, VersionParameters, task


class SourcePolicy:
    """The task's source text (a change to the function is a new version)."""

    def get_version(self, salt: str, params: VersionParameters) -> str:
        source = inspect.getsource(params.func)
        return hashlib.sha256((salt + source).encode()).hexdigest()


class ImagePolicy(CachePolicy):
    """The image and pod template the task runs with."""

    def get_version(self, salt: str, params: VersionParameters) -> str:
        return f"{params.container_image}|{params.pod_template_name}|{salt}"


class NamePolicy:
    def get_version(self, salt: str, params: VersionParameters) -> str:
        return params.func.__qualname__


@task(cache=Cache(policies=SourcePolicy()))
def by_source(day: str) -> int:
    return len(day)


@task(cache=Cache(policies=[SourcePolicy(), ImagePolicy()], salt="pepper", serialize=True))
def by_source_and_image(day: str, verbose: bool = False) -> str:
    return day.upper()


@task(
    cache=Cache(policies=[ImagePolicy(), NamePolicy()], ignored_inputs="verbose"),
    container_image="registry.example.com/team/other:1.0",
    pod_template_name="wide",
)
def by_image(day: str, verbose: bool = False) -> str:
    return day


@task(cache=Cache(policies=[NamePolicy()], ignored_inputs=("a", "b")))
def by_name(a: int, b: int, c: int) -> int:
    return a + b + c


@task(cache=Cache(version="v7", policies=[SourcePolicy()]))
def version_wins(x: int) -> int:
    return x


@task(
    cache=Cache(policies=ImagePolicy(), salt="s1"),
    pod_template=PodTemplate(labels={"team": "data"}),
)
def with_pod_template(x: int) -> int:
    return x
