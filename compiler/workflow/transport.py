"""The compile settings a task carries to its container (flytekit's ``_F_SS_C`` variable).

A dynamic task compiles its body when it runs, and an eager workflow launches tasks when it
runs: both need the images, environment and ids the package was compiled with. flytekit writes
them into the task's container environment as ``_F_SS_C``: the settings as JSON, gzip'd (mtime
0) and base64'd. We write the same JSON with the same keys, in the same order, so that the
variable equals flytekit's, except ``source_root``, which is ``null`` here: flytekit writes the
absolute path of the compiling machine's source folder (used only to fast-register code, which
we never do), and an absolute path would make the bundle depend on the machine.

The container side (``compile-tasks-execute``) reads the variable back with
:func:`settings_from_transport` and fills project, domain and version from the execution, as
flytekit's entrypoint does.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
from collections.abc import Mapping
from typing import Any

from compiler.errors import ExecutionError
from compiler.proto import merge_env
from compiler.settings import DEFAULT_IMAGE_NAME, ImageConfig, SerializationSettings

__all__ = [
    "SERIALIZED_CONTEXT_ENV",
    "env_with_settings",
    "settings_from_transport",
    "settings_transport",
]

#: The environment variable holding the transported settings (flytekit's name).
SERIALIZED_CONTEXT_ENV = "_F_SS_C"

#: flytekit's defaults for the interpreter and virtualenv of the image (it writes them always).
_PYTHON_INTERPRETER = "/opt/venv/bin/python3"
_VIRTUALENV_ROOT = "/opt/venv"
_FAST_SETTINGS = {"enabled": False, "destination_dir": "/root", "distribution_location": None}


def _image_entry(name: str, uri: str) -> dict[str, Any]:
    """flytekit's ``Image``: the URI split into fqn and tag, or fqn and digest."""
    fqn, at, digest = uri.rpartition("@")
    if at:
        return {"name": name, "fqn": fqn, "tag": None, "digest": digest}
    fqn, colon, tag = uri.rpartition(":")
    if colon and "/" not in tag:
        return {"name": name, "fqn": fqn, "tag": tag, "digest": None}
    return {"name": name, "fqn": uri, "tag": None, "digest": None}


def _image_uri(entry: dict[str, Any]) -> str:
    if entry.get("digest"):
        return f"{entry['fqn']}@{entry['digest']}"
    if entry.get("tag"):
        return f"{entry['fqn']}:{entry['tag']}"
    return str(entry["fqn"])


def _settings_json(settings: SerializationSettings) -> str:
    config = settings.image_config
    default = (
        _image_entry(DEFAULT_IMAGE_NAME, config.default_image) if config.default_image else None
    )
    images = [default] if default else []
    images += [_image_entry(name, uri) for name, uri in config.images.items()]
    document = {
        "image_config": {"default_image": default, "images": images},
        "project": settings.project or None,
        "domain": settings.domain or None,
        "version": settings.version or None,
        "env": dict(settings.env) or None,
        "default_resources": None,
        "git_repo": None,
        "python_interpreter": _PYTHON_INTERPRETER,
        "flytekit_virtualenv_root": _VIRTUALENV_ROOT,
        "fast_serialization_settings": dict(_FAST_SETTINGS),
        "source_root": None,
    }
    return json.dumps(document)


def settings_transport(settings: SerializationSettings) -> str:
    """The value of ``_F_SS_C`` for ``settings`` (deterministic: gzip mtime 0)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write(_settings_json(settings).encode("utf-8"))
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def env_with_settings(
    settings: SerializationSettings, task_env: Mapping[str, str]
) -> dict[str, str]:
    """A carrying task's container env: the compile's ``--env``, ``_F_SS_C``, then its own.

    flytekit's order: the settings variable is added to the compile's environment, which the
    task's ``environment`` then updates (a clash keeps the key's first place).
    """
    compile_env = {**settings.env, SERIALIZED_CONTEXT_ENV: settings_transport(settings)}
    return merge_env(compile_env, task_env)


def _transport_error(detail: str) -> ExecutionError:
    return ExecutionError(
        f"the {SERIALIZED_CONTEXT_ENV} environment variable cannot be read ({detail})",
        code="CT753",
        hint="run the task with the container environment it was compiled with: "
        f"{SERIALIZED_CONTEXT_ENV} carries the images and environment of the compile",
    )


def settings_from_transport(
    text: str, *, project: str = "", domain: str = "", version: str = ""
) -> SerializationSettings:
    """The settings ``text`` (an ``_F_SS_C`` value) carries, with the execution's ids.

    Project and domain written at compile time win over the given ones (flytekit's rule);
    the version is always the given one (the running task's version).

    Raises:
        ExecutionError: CT753 when ``text`` is not a transported settings document.
    """
    try:
        document = json.loads(gzip.decompress(base64.b64decode(text.encode("ascii"))))
        config = document["image_config"]
        default = config.get("default_image")
        named = {
            entry["name"]: _image_uri(entry)
            for entry in config.get("images") or []
            if entry["name"] != DEFAULT_IMAGE_NAME
        }
    except Exception as exc:  # base64, gzip, JSON or shape: all mean "not ours"
        raise _transport_error(f"{type(exc).__name__}: {exc}") from None
    return SerializationSettings(
        image_config=ImageConfig(
            default_image=_image_uri(default) if default else None, images=named
        ),
        env=document.get("env") or {},
        project=document.get("project") or project,
        domain=document.get("domain") or domain,
        version=version,
    )
