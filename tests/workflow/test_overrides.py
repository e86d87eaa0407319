"""``with_overrides(...)``: every option flytekit accepts lands on the node; bad values fail."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from compiler.accelerators import T4

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_overrides import flows, tasks


def test_overridden_nodes_still_run_locally() -> None:
    n = 2
    assert flows.resources(n=n) == n + 4
    assert flows.images(n=n) == n + 3
    assert flows.caching(n=n) == tasks.cached(n=tasks.train(n=n * 9))
    assert flows.metadata(n=n) == (n + 2) * 3


def test_overrides_are_kept_on_the_node() -> None:
    a, b, _, d = flows.caching.nodes
    assert (a.cacheable, a.cache_version, a.cache_serializable) == (False, None, None)
    assert (b.cacheable, b.cache_version, b.cache_serializable) == (True, "v9", True)
    assert (d.cacheable, d.cache_version, d.cache_serializable) == (True, "v5", True)
    assert flows.images.nodes[1].accelerator is T4
    assert flows.metadata.nodes[1].id == "second-step"


_HEAD = """
from compiler import Resources, task, workflow

@task
def sq(n: int) -> int:
    return n * n

@workflow
def sub(n: int) -> int:
    return sq(n=n)
"""


@pytest.mark.parametrize(
    "override",
    [
        'sq(n=n).with_overrides(requests="2")',
        'sq(n=n).with_overrides(accelerator="T4")',
        "sq(n=n).with_overrides(resources=Resources(cpu=1), requests=Resources(cpu=1))",
        "sq(n=n).with_overrides(cache_version=3)",
        'sq(n=n).with_overrides(cache="yes")',
        "sq(n=n).with_overrides(container_image=7)",
        'sub(n=n).with_overrides(container_image="img:2")',
        "sq(n=n).with_overrides(shared_memory=True)",
    ],
)
def test_bad_overrides_fail_the_compile(compile_source, override) -> None:
    source = _HEAD + f"\n@workflow\ndef wf(n: int) -> int:\n    return {override}\n"
    result = compile_source(source)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "flows.py:14: error CT910:" in result.stderr, result.stderr
    assert "workflow 'wfpkg.flows.wf', node 'n0'" in result.stderr


def test_sub_workflow_nodes_take_metadata_overrides() -> None:
    n = 2
    assert flows.sub_overrides(n=n) == flows.caching(n=flows.metadata(n=n))
    first, second = flows.sub_overrides.nodes
    assert (first.name, first.retries, first.interruptible) == ("meta", 2, True)
    assert (second.id, second.cacheable, second.cache_version) == ("cached-run", True, "s1")
