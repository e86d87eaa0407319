"""``Cache(policies=...)``: the version flytekit computes (sha256 of the policies' versions)."""

import hashlib
import inspect

import pytest

from compiler import Cache, CachePolicy, VersionParameters, task, workflow
from compiler.errors import CompileTasksError, DefinitionError


class Fixed:
    def __init__(self, text: str) -> None:
        self.text = text

    def get_version(self, salt: str, params: VersionParameters) -> str:
        return self.text + salt


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, VersionParameters]] = []

    def get_version(self, salt: str, params: VersionParameters) -> str:
        self.seen.append((salt, params))
        return "r"


class Broken:
    def get_version(self, salt: str, params: VersionParameters) -> str:
        raise KeyError("no source")


class NotAString:
    def get_version(self, salt: str, params: VersionParameters) -> int:
        return 3


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_version_is_the_digest_of_the_joined_policy_versions():
    @task(cache=Cache(policies=[Fixed("a"), Fixed("b")], salt="s"))
    def t(x: int) -> int:
        return x

    assert t.metadata.cache is True
    assert t.metadata.cache_version == sha("asbs")


def test_a_single_policy_and_a_list_of_one_are_the_same():
    assert Cache(policies=Fixed("a")).get_version(VersionParameters(func=len)) == sha("a")
    assert Cache(policies=[Fixed("a")]).get_version(VersionParameters(func=len)) == sha("a")


def test_an_explicit_version_wins_and_the_policies_are_not_called():
    rec = Recorder()

    @task(cache=Cache(version="v2", policies=[rec]))
    def t(x: int) -> int:
        return x

    assert t.metadata.cache_version == "v2"
    assert rec.seen == []


def test_policies_see_the_function_image_and_pod_template_name():
    rec = Recorder()

    def body(x: int) -> int:
        return x

    t = task(
        cache=Cache(policies=rec, salt="pepper", serialize=True, ignored_inputs="x"),
        container_image="repo/img:1",
        pod_template_name="wide",
    )(body)
    ((salt, params),) = rec.seen
    assert salt == "pepper"
    assert params.func is body
    assert params.container_image == "repo/img:1"
    assert params.pod_template is None
    assert params.pod_template_name == "wide"
    assert t.metadata.cache_serialize is True
    assert t.metadata.cache_ignore_input_vars == ("x",)


def test_a_source_policy_is_deterministic_and_follows_the_code():
    class Source:
        def get_version(self, salt: str, params: VersionParameters) -> str:
            return inspect.getsource(params.func)

    def one(x: int) -> int:
        return x

    def two(x: int) -> int:
        return x + 1

    policy = Cache(policies=Source())
    v1 = policy.get_version(VersionParameters(func=one))
    assert v1 == policy.get_version(VersionParameters(func=one))
    assert v1 != policy.get_version(VersionParameters(func=two))


def test_cache_policy_is_a_runtime_protocol():
    assert isinstance(Fixed("a"), CachePolicy)
    assert not isinstance(object(), CachePolicy)


@pytest.mark.parametrize("policies", [object(), [Fixed("a"), "source"], "source"])
def test_an_object_without_get_version_is_ct108(policies):
    with pytest.raises(DefinitionError) as info:
        Cache(policies=policies)
    assert info.value.code == "CT108"
    assert "get_version" in info.value.render()


def test_no_version_and_no_policies_is_ct110():
    with pytest.raises(DefinitionError) as info:
        Cache(policies=[])
    assert info.value.code == "CT110"


@pytest.mark.parametrize(("policy", "said"), [(Broken(), "KeyError"), (NotAString(), "int 3")])
def test_a_failing_policy_is_ct109_naming_the_task_and_policy(policy, said):
    with pytest.raises(DefinitionError) as info:

        @task(cache=Cache(policies=[Fixed("a"), policy]))
        def failing(x: int) -> int:
            return x

    err = info.value
    assert err.code == "CT109"
    text = err.render()
    assert type(policy).__name__ in text and said in text and "failing" in text
    if isinstance(policy, Broken):
        assert isinstance(err.__cause__, KeyError)


def test_a_node_override_needs_a_version():
    @task
    def t(x: int) -> int:
        return x

    with pytest.raises(CompileTasksError) as info:

        @workflow
        def wf(x: int) -> int:
            return t(x=x).with_overrides(cache=Cache(policies=Fixed("a")))

    assert info.value.code == "CT910"
    assert "needs a version" in info.value.render()


def test_a_cache_with_policies_is_hashable_and_compares_by_value():
    policy = Fixed("a")
    assert Cache(policies=[policy]) == Cache(policies=(policy,))
    assert hash(Cache(policies=[policy], salt="s")) == hash(Cache(policies=[policy], salt="s"))
    assert Cache(policies=policy).policies is policy
