"""``@dynamic``: compiled like a task with its settings env, built into a job, run locally."""

from __future__ import annotations

import base64
import gzip
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler import Resources, dynamic, task
from compiler.errors import DefinitionError
from compiler.serialize import compile_dynamic_job, serialize_task
from compiler.settings import ImageConfig, SerializationSettings
from compiler.workflow import (
    SERIALIZED_CONTEXT_ENV,
    DynamicTask,
    settings_from_transport,
    settings_transport,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_dynamic import flows, tasks

SETTINGS = SerializationSettings(
    image_config=ImageConfig.from_specs(
        ["registry.example/app:1", "gpu=registry.example/gpu@sha256:ab"]
    ),
    env={"LOG": "json", "MODE": "compile"},
)


def _env(spec) -> list[tuple[str, str]]:
    return [(kv.key, kv.value) for kv in spec.template.container.env]


def test_dynamic_is_a_python_task_carrying_its_settings() -> None:
    spec = serialize_task(flows.fan_options, SETTINGS)
    assert spec.template.type == "python-task"
    keys = [key for key, _ in _env(spec)]
    # The compile's env, the transported settings, then the task's own; a clash keeps its place.
    assert keys == ["LOG", "MODE", SERIALIZED_CONTEXT_ENV]
    assert dict(_env(spec))["MODE"] == "fan"
    carried = settings_from_transport(dict(_env(spec))[SERIALIZED_CONTEXT_ENV])
    assert carried.image_config == SETTINGS.image_config
    assert dict(carried.env) == {"LOG": "json", "MODE": "compile"}
    assert spec.template.metadata.retries.retries == 3
    assert spec.template.metadata.discoverable


def test_the_transported_settings_are_flytekits_json() -> None:
    value = settings_transport(SETTINGS)
    assert base64.b64decode(value)[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # mtime 0
    document = json.loads(gzip.decompress(base64.b64decode(value)))
    assert list(document) == [
        "image_config", "project", "domain", "version", "env", "default_resources",
        "git_repo", "python_interpreter", "flytekit_virtualenv_root",
        "fast_serialization_settings", "source_root",
    ]  # fmt: skip
    assert document["image_config"]["images"][1] == {
        "name": "gpu", "fqn": "registry.example/gpu", "tag": None, "digest": "sha256:ab",
    }  # fmt: skip
    assert document["source_root"] is None
    assert settings_transport(SETTINGS) == value  # deterministic


_names = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)


def _uri(repo: str, tag: str, digest: str | None) -> str:
    return f"registry.example/{repo}" + (f"@sha256:{digest}" if digest else f":{tag}")


_uris = st.builds(
    _uri, _names, _names, st.one_of(st.none(), st.from_regex(r"[0-9a-f]{8}", fullmatch=True))
)


@given(
    default=st.one_of(st.none(), _uris),
    named=st.dictionaries(_names.filter(lambda n: n != "default"), _uris, max_size=3),
    env=st.dictionaries(_names, st.text(max_size=8), max_size=3),
    project=st.sampled_from(["", "shop"]),
)
def test_transport_round_trip(default, named, env, project) -> None:
    settings = SerializationSettings(
        image_config=ImageConfig(default_image=default, images=named), env=env, project=project
    )
    back = settings_from_transport(settings_transport(settings), domain="d", version="v")
    assert back.image_config == settings.image_config
    assert dict(back.env) == env
    assert (back.project, back.domain, back.version) == (project, "d", "v")


def test_build_job_numbers_nodes_and_binds_outputs() -> None:
    job = flows.fan_out.build_job({"n": 3})
    assert [node.id for node in job.nodes] == ["n0", "n1", "n2", "n3"]
    assert [node.entity.name for node in job.nodes][-1] == "probe_dynamic.tasks.total"
    assert job.output_bindings["o0"].promise.node_id == "n3"


def test_compile_dynamic_job_prefixes_ids_and_fills_ids() -> None:
    settings = SerializationSettings(
        image_config=SETTINGS.image_config, project="p", domain="d", version="v1"
    )
    job = compile_dynamic_job(flows.calls_workflows, {"n": 2}, settings)
    assert [node.id for node in job.nodes] == ["dn0", "dn1", "dn2"]
    assert [sub.id.name for sub in job.subworkflows] == [
        "probe_dynamic.tasks.outer", "probe_dynamic.tasks.square_twice",
    ]  # fmt: skip
    inner = job.subworkflows[1]
    assert [node.id for node in inner.nodes] == ["dn0", "dn1"]
    assert inner.nodes[1].inputs[0].binding.promise.node_id == "dn0"
    assert [t.id.name for t in job.tasks] == [
        "probe_dynamic.tasks.square",
        "probe_dynamic.tasks.total",
    ]
    assert all(t.id.version == "v1" for t in job.tasks)


def test_a_body_without_nodes_gives_outputs() -> None:
    outputs = compile_dynamic_job(flows.no_nodes, {"n": 2, "word": "w"}, SETTINGS)
    assert outputs.literals["o0"].scalar.primitive.integer == 4
    words = [
        lit.scalar.primitive.string_value for lit in outputs.literals["o1"].collection.literals
    ]
    assert words == ["w", "w"]


def test_local_calls_run_the_body_as_a_workflow() -> None:
    assert flows.fan_out(n=4) == 14
    assert flows.overrides(n=3) == [0, 1, 4]  # with_overrides works on local nodes too
    assert flows.nested(n=1) == 1
    assert flows.runs_dynamic(n=3) == 55  # nested(n=fan_out(n=3)) = fan_out(n=6)
    assert flows.calls_workflows(n=1) == (16, 16)


def test_node_dependency_hints_are_compiled_with_the_task() -> None:
    assert flows.with_hints.companion_entities() == [tasks.square_twice]


def test_every_task_option_is_taken() -> None:
    @dynamic(requests=Resources(cpu="1"), enable_deck=True, cache=True, cache_version="2")
    def fan_in_test(n: int) -> int:
        return n

    assert isinstance(fan_in_test, DynamicTask)
    assert fan_in_test.metadata.generates_deck
    assert fan_in_test(n=3) == 3


def test_unknown_option_is_ct970() -> None:
    with pytest.raises(DefinitionError, match=r"CT940.*@dynamic has no option 'retry'") as info:
        dynamic(retry=2)
    assert info.value.location is not None
    assert info.value.location.file == __file__


def test_plugin_config_is_ct970() -> None:
    with pytest.raises(DefinitionError, match=r"CT940.*task_config"):
        dynamic(task_config=object())


def test_async_body_is_ct971() -> None:
    with pytest.raises(DefinitionError, match="CT941") as info:

        @dynamic
        async def fan_async(n: int) -> int:
            return n

    assert info.value.location.file == __file__


def test_a_task_still_rejects_unknown_options() -> None:
    with pytest.raises(TypeError):
        task(retry=2)  # type: ignore[call-arg]


def _referenced_ids(job) -> set[str]:
    found = set()

    def walk(data) -> None:
        kind = data.WhichOneof("value")
        if kind == "promise" and data.promise.node_id:
            found.add(data.promise.node_id)
        elif kind == "collection":
            for item in data.collection.bindings:
                walk(item)

    for node in job.nodes:
        found.update(node.upstream_node_ids)
        for binding in node.inputs:
            walk(binding.binding)
    for binding in job.outputs:
        walk(binding.binding)
    return found


@given(n=st.integers(min_value=1, max_value=12))
def test_every_id_is_prefixed_and_every_reference_resolves(n: int) -> None:
    job = compile_dynamic_job(flows.fan_out, {"n": n}, SETTINGS)
    ids = [node.id for node in job.nodes]
    assert ids == [f"dn{i}" for i in range(n + 1)]
    assert job.min_successes == n + 1
    assert _referenced_ids(job) <= set(ids)
    assert job.SerializeToString(deterministic=True) == compile_dynamic_job(
        flows.fan_out, {"n": n}, SETTINGS
    ).SerializeToString(deterministic=True)


def test_a_reference_task_in_a_body_is_ct751() -> None:
    from compiler import reference_task
    from compiler.errors import ExecutionError

    @reference_task("shop", "production", "shop.billing.charge", "v3")
    def charge(account: str) -> int: ...

    @dynamic
    def charges(n: int) -> list[int]:
        return [charge(account=str(i)) for i in range(n)]

    with pytest.raises(ExecutionError, match="CT754"):
        compile_dynamic_job(charges, {"n": 2}, SETTINGS)
