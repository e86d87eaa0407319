"""Validation of @task options, TaskMetadata and Cache: exact codes, task names, def lines."""

import inspect
from datetime import timedelta

import pytest

from compiler import Cache, Resources, TaskMetadata, task
from compiler.errors import DefinitionError


def def_line(func_source_marker: str) -> int:
    """Line number of the first line in this file containing the marker."""
    lines = inspect.getsource(inspect.getmodule(def_line)).splitlines()
    return next(i for i, text in enumerate(lines, 1) if func_source_marker in text)


def raises(code, fn, *args, **kwargs) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.render()
    return info.value


@pytest.mark.parametrize(
    ("kwargs", "code", "param"),
    [
        ({"cache": True}, "CT110", "cache_version"),
        ({"cache_serialize": True}, "CT111", "cache_serialize"),
        ({"cache_ignore_input_vars": ("a",)}, "CT112", "cache_ignore_input_vars"),
        ({"timeout": "10m"}, "CT113", "timeout"),
        ({"timeout": 1.5}, "CT113", "timeout"),
        ({"timeout": True}, "CT113", "timeout"),
        ({"retries": -1}, "CT114", "retries"),
        ({"retries": "3"}, "CT114", "retries"),
        ({"interruptible": "no"}, "CT119", "interruptible"),
        ({"pod_template_name": 3}, "CT119", "pod_template_name"),
        ({"deprecated": 3}, "CT119", "deprecated"),
        ({"cache": True, "cache_version": 3}, "CT119", "cache_version"),
        ({"cache_serialize": "yes"}, "CT119", "cache_serialize"),
        ({"generates_deck": 1}, "CT119", "generates_deck"),
    ],
)
def test_task_metadata_validation(kwargs, code, param):
    err = raises(code, TaskMetadata, **kwargs)
    assert err.param == param
    assert err.hint


def test_task_metadata_normalises_timeout_and_ignored_inputs():
    md = TaskMetadata(cache=True, cache_version="1", cache_ignore_input_vars="x", timeout=90)
    assert md.timeout == timedelta(seconds=90)
    assert md.cache_ignore_input_vars == ("x",)
    assert TaskMetadata(timeout=None).timeout is None


def test_cache_object():
    c = Cache(version="v3", serialize=True, ignored_inputs="trace_id")
    assert c.ignored_inputs == ("trace_id",)
    raises("CT110", Cache)
    raises("CT110", Cache, serialize=True)
    assert raises("CT119", Cache, version=3).param == "version"
    assert raises("CT119", Cache, version="1", serialize="yes").param == "serialize"


@pytest.mark.parametrize(
    ("options", "code", "param"),
    [
        ({"cache": True}, "CT110", "cache_version"),
        ({"cache_serialize": True}, "CT111", "cache_serialize"),
        ({"cache_ignore_input_vars": ["a"]}, "CT112", "cache_ignore_input_vars"),
        ({"cache": Cache(version="1"), "cache_version": "2"}, "CT115", "cache"),
        ({"cache": Cache(version="1"), "cache_serialize": True}, "CT115", "cache"),
        ({"cache": Cache(version="1"), "cache_ignore_input_vars": ["a"]}, "CT115", "cache"),
        ({"cache": "yes"}, "CT116", "cache"),
        ({"timeout": "1h"}, "CT113", "timeout"),
        ({"retries": -2}, "CT114", "retries"),
        ({"interruptible": "no"}, "CT119", "interruptible"),
        ({"cache": Cache(version="1"), "deprecated": 3}, "CT119", "deprecated"),
        (
            {"cache": True, "cache_version": "1", "cache_ignore_input_vars": ["nope"]},
            "CT104",
            "nope",
        ),
        ({"cache": Cache(version="1", ignored_inputs=("a", "zz"))}, "CT104", "zz"),
        ({"requests": Resources(cpu="1"), "resources": Resources(cpu="1")}, "CT122", "resources"),
        ({"requests": Resources(cpu=("1", "2"))}, "CT123", "requests"),
        ({"limits": {"cpu": "1"}}, "CT124", "limits"),
        ({"environment": {"A": 1}}, "CT117", "environment"),
        ({"labels": {"a": 1}}, "CT117", "labels"),
        ({"secret_requests": ["db"]}, "CT133", "secret_requests"),
        ({"pod_template": {"containers": []}}, "CT142", "pod_template"),
        ({"accelerator": "nvidia-tesla-t4"}, "CT150", "accelerator"),
        ({"shared_memory": "lots"}, "CT151", "shared_memory"),
        ({"shared_memory": 8}, "CT151", "shared_memory"),
        ({"container_image": object()}, "CT152", "container_image"),
        ({"task_resolver": object()}, "CT160", "task_resolver"),
    ],
)
def test_decorator_errors_carry_code_task_param_and_def_line(options, code, param):
    def declare():
        @task(**options)
        def scored(a: int) -> int:  # DEF-LINE-MARKER
            return a

    err = raises(code, declare)
    assert err.param == param
    assert err.task == "test_task_options.scored"
    assert err.location.file == __file__
    assert err.location.line == def_line("DEF-LINE-MARKER")
    assert err.hint
    rendered = err.render()
    assert rendered.startswith(f"{__file__}:{err.location.line}: error {code}: task ")


def test_cache_object_and_keywords_resolve_the_same():
    @task(cache=Cache(version="v3", serialize=True, ignored_inputs=("a",)))
    def one(a: int) -> int:
        return a

    @task(cache=True, cache_version="v3", cache_serialize=True, cache_ignore_input_vars=("a",))
    def two(a: int) -> int:
        return a

    assert one.metadata == two.metadata
    assert one.metadata.cache and one.metadata.cache_version == "v3"


def test_enable_and_disable_deck():
    @task(enable_deck=True)
    def a() -> None: ...

    @task(disable_deck=False)
    def b() -> None: ...

    @task(disable_deck=True)
    def c() -> None: ...

    assert (a.enable_deck, b.enable_deck, c.enable_deck) == (True, True, False)


def test_unknown_option_is_a_type_error():
    with pytest.raises(TypeError):
        task(colour="red")


def test_bare_and_empty_parentheses_are_the_same():
    @task
    def bare(a: int) -> int:
        return a

    @task()
    def parens(a: int) -> int:
        return a

    assert type(bare) is type(parens)
    assert bare.metadata == parens.metadata
    assert bare.__name__ == "bare" and bare.__wrapped__.__name__ == "bare"
    assert bare.__doc__ is None
