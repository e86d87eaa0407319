"""``current_context()`` in the container (entrypoint subprocess) and in local calls."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ctx_helpers import error, lit, outputs, run_entrypoint
from flyteidl.core import execution_pb2

from compiler import current_context
from compiler.context import SecretNotFoundError, execution_scope
from compiler.context.params import container_parameters, local_parameters

SYSTEM = execution_pb2.ExecutionError.ErrorKind.SYSTEM
USER = execution_pb2.ExecutionError.ErrorKind.USER
GK = {"group": lit("db", str), "key": lit("password", str)}


def test_secret_from_injected_env_var(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "read_secret", GK, env={"_FSEC_DB_PASSWORD": " hunter2\n"})
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": str}) == {"o0": "hunter2"}


def test_secret_from_mounted_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    (secrets / "db").mkdir(parents=True)
    (secrets / "db" / "password").write_text("from-file\n")
    env = {"FLYTE_SECRETS_DEFAULT_DIR": str(secrets)}
    proc, out = run_entrypoint(tmp_path, "read_secret", GK, env=env)
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": str}) == {"o0": "from-file"}


def test_secret_prefixes_are_overridable(tmp_path: Path) -> None:
    secrets = tmp_path / "s"
    (secrets / "db").mkdir(parents=True)
    (secrets / "db" / "pre-password").write_text("prefixed file")
    env = {
        "FLYTE_SECRETS_DEFAULT_DIR": str(secrets),
        "FLYTE_SECRETS_FILE_PREFIX": "pre-",
        "FLYTE_SECRETS_ENV_PREFIX": "MYSEC_",
    }
    proc, out = run_entrypoint(tmp_path, "secret_names", GK, env=env)
    assert proc.returncode == 0, proc.stderr
    names = outputs(out, {"o0": list[str]})["o0"]
    assert names == ["MYSEC_DB_PASSWORD", str(secrets / "db" / "pre-password")]
    proc, out = run_entrypoint(tmp_path, "read_secret", GK, env=env, out=tmp_path / "o2")
    assert outputs(out, {"o0": str}) == {"o0": "prefixed file"}


def test_missing_secret_names_group_key_variable_and_file(tmp_path: Path) -> None:
    env = {"FLYTE_SECRETS_DEFAULT_DIR": str(tmp_path / "none"), "DB_PASSWORD": "not in a container"}
    proc, out = run_entrypoint(tmp_path, "read_secret", GK, env=env)
    assert proc.returncode == 1
    err = error(out)
    assert (err.origin, err.code) == (USER, "USER:SecretNotFoundError")
    assert "CT730" in err.message
    looked = str(tmp_path / "none" / "db" / "password")
    for part in ("'db'", "'password'", "$_FSEC_DB_PASSWORD", looked):
        assert part in err.message
    # in the container the unprefixed variable is not a secret (only local runs read it)
    assert "$DB_PASSWORD" not in err.message


def test_context_identifiers_from_propeller_env(tmp_path: Path) -> None:
    env = {
        "FLYTE_INTERNAL_EXECUTION_PROJECT": "shop",
        "FLYTE_INTERNAL_EXECUTION_DOMAIN": "development",
        "FLYTE_INTERNAL_EXECUTION_ID": "a1b2c3",
        "_F_TK_PRJ": "shop",
        "_F_TK_DM": "development",
        "_F_TK_NM": "rt_pkg.ctx_tasks.describe_context",
        "_F_TK_V": "v7",
    }
    proc, out = run_entrypoint(tmp_path, "describe_context", env=env)
    assert proc.returncode == 0, proc.stderr
    got = outputs(out, {"o0": dict[str, str]})["o0"]
    assert got == {
        "execution": "shop/development/a1b2c3",
        "task": "shop/development/rt_pkg.ctx_tasks.describe_context/v7",
        "raw": str(tmp_path / "raw"),
        "date_tz": "UTC",
        "workdir_writable": "True",
    }


def test_local_call_has_the_same_context(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from rt_pkg import ctx_tasks

    monkeypatch.setenv("COMPILE_TASKS_LOCAL_DIR", str(tmp_path))
    got = ctx_tasks.describe_context()
    assert got["execution"] == "local/local/local"
    assert got["task"] == "local/local/rt_pkg.ctx_tasks.describe_context/local"
    assert got["raw"].startswith(str(tmp_path))
    assert got["workdir_writable"] == "True"


def test_local_secret_reads_env_with_and_without_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    from rt_pkg import ctx_tasks

    monkeypatch.setenv("DB_PASSWORD", "plain")
    assert ctx_tasks.read_secret(group="db", key="password") == "plain"
    monkeypatch.setenv("_FSEC_DB_PASSWORD", "prefixed")
    assert ctx_tasks.read_secret(group="db", key="password") == "prefixed"


def test_local_missing_secret_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from rt_pkg import ctx_tasks

    monkeypatch.setenv("FLYTE_SECRETS_DEFAULT_DIR", str(tmp_path))
    with pytest.raises(SecretNotFoundError) as info:
        ctx_tasks.read_secret(group="db", key="nope")
    text = str(info.value)
    assert text.startswith("error CT730: secret group='db' key='nope' not found")
    assert "$_FSEC_DB_NOPE or $DB_NOPE" in text and str(tmp_path / "db" / "nope") in text
    assert isinstance(info.value, ValueError)  # except ValueError keeps working when ported


def test_attribute_style_secret_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_FSEC_API_TOKEN", "tok")
    assert current_context().secrets.api.token == "tok"
    name = current_context().secrets.get_secrets_env_var("api", "token", "v2")
    assert name == "_FSEC_API_V2_TOKEN"


def test_context_outside_any_task_is_local() -> None:
    ctx = current_context()
    assert ctx.is_local and ctx.execution_id.name == "local"
    assert ctx is current_context()


def test_execution_scope_nests(tmp_path: Path) -> None:
    outer = local_parameters("outer")
    inner = container_parameters(
        workdir=str(tmp_path),
        raw_output_prefix="s3://bucket/raw",
        output_prefix=str(tmp_path / "out"),
        checkpoint_path="",
        prev_checkpoint="",
        enable_deck=False,
        env={"_F_NM": "exec-1"},
    )
    with execution_scope(outer):
        with execution_scope(inner):
            assert current_context().execution_id.name == "exec-1"
            assert current_context().raw_output_prefix == "s3://bucket/raw"
            assert not current_context().is_local
        assert current_context() is outer


def test_checkpoint_without_prefix_is_an_error(tmp_path: Path) -> None:
    params = container_parameters(
        workdir=str(tmp_path), raw_output_prefix="", output_prefix=str(tmp_path),
        checkpoint_path="", prev_checkpoint="", enable_deck=False, env={},
    )  # fmt: skip
    with pytest.raises(Exception, match="CT732"):
        params.checkpoint  # noqa: B018 - the property raises


def test_logging_is_the_user_space_logger() -> None:
    assert current_context().logging.name == "user_space"
    assert os.path.isdir(current_context().working_directory)
