"""Probe overrides: resources, images, accelerators, caching, names, retries, timeouts."""

from __future__ import annotations

from datetime import timedelta

from compiler import Cache, Resources, workflow
from compiler.accelerators import A100, T4
from probe_overrides.tasks import cached, train


@workflow
def resources(n: int) -> int:
    a = train(n=n).with_overrides(requests=Resources(cpu="2", mem="4Gi"))
    b = train(n=a).with_overrides(limits=Resources(cpu="4", gpu="1"))
    c = train(n=b).with_overrides(
        requests=Resources(cpu="1", mem="500Mi"), limits=Resources(mem="1Gi")
    )
    return train(n=c).with_overrides(resources=Resources(cpu=("1", "2"), mem="3Gi"))


@workflow
def images(n: int) -> int:
    a = train(n=n).with_overrides(container_image="registry.example.com/team/other:9")
    b = train(n=a).with_overrides(accelerator=T4)
    return train(n=b).with_overrides(accelerator=A100.partition_1g_5gb)


@workflow
def caching(n: int) -> int:
    a = cached(n=n).with_overrides(cache=False)
    b = cached(n=a).with_overrides(cache=True, cache_version="v9", cache_serialize=True)
    c = train(n=b).with_overrides(cache=True, cache_version="v2")
    return cached(n=c).with_overrides(cache=Cache(version="v5", serialize=True))


@workflow
def metadata(n: int) -> int:
    a = train(n=n).with_overrides(name="first", retries=0, interruptible=True)
    b = train(n=a).with_overrides(timeout=timedelta(minutes=3), node_name="second-step")
    return cached(n=b).with_overrides(timeout=45, retries=4, interruptible=False)


@workflow
def sub_overrides(n: int) -> int:
    a = metadata(n=n).with_overrides(name="meta", retries=2, timeout=30, interruptible=True)
    return caching(n=a).with_overrides(node_name="Cached Run", cache=True, cache_version="s1")
