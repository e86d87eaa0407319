"""Secrets as Flyte's secret injection provides them: environment variables and mounted files.

A secret ``(group, key)`` is looked up, in order, in the environment variable
``<prefix><GROUP>_<KEY>`` (upper-cased, the prefix ``_FSEC_`` by default), then, when running
locally, ``<GROUP>_<KEY>`` without the prefix, then in the file ``<dir>/<group>/<file
prefix><key>`` (lower-cased, the directory ``/etc/secrets`` by default). The prefix, directory
and file prefix are read from ``FLYTE_SECRETS_ENV_PREFIX``, ``FLYTE_SECRETS_DEFAULT_DIR`` and
``FLYTE_SECRETS_FILE_PREFIX`` at each lookup, the variables flytekit reads, so a task reads the
same secret the same way whichever SDK it was written for.
"""

from __future__ import annotations

import os

from compiler.errors import ExecutionError

__all__ = [
    "DEFAULT_DIR",
    "DEFAULT_ENV_PREFIX",
    "SecretNotFoundError",
    "SecretsManager",
]

#: The environment variable prefix Flyte's webhook injects secrets with.
DEFAULT_ENV_PREFIX = "_FSEC_"
#: Where Flyte's webhook mounts secret files.
DEFAULT_DIR = os.path.join(os.sep, "etc", "secrets")


class SecretNotFoundError(ExecutionError, ValueError):
    """No environment variable and no file holds the secret (a ``ValueError``, as flytekit's)."""

    default_code = "CT730"


def _setting(name: str, default: str) -> str:
    # An empty variable counts as unset, as in flytekit's configuration.
    return (os.environ.get(name) or default).strip()


class _Group:
    """``secrets.<group>.<key>``: attribute-style lookup of the keys of one group."""

    def __init__(self, group: str, manager: SecretsManager) -> None:
        self._group = group
        self._manager = manager

    def __getattr__(self, key: str) -> str:
        return self._manager.get(self._group, key)


class SecretsManager:
    """Reads secrets the way Flyte injects them (see the module docstring).

    Args:
        local: Also try the environment variable without the prefix (local runs, where no
            webhook adds it).
    """

    def __init__(self, *, local: bool = False) -> None:
        self._local = local

    def __getattr__(self, group: str) -> _Group:
        if group.startswith("_"):
            raise AttributeError(group)
        return _Group(group, self)

    @staticmethod
    def _env_name(prefix: str, *parts: str | None) -> str:
        return prefix + "_".join(p.upper() for p in parts if p)

    def get_secrets_env_var(
        self, group: str | None = None, key: str | None = None, group_version: str | None = None
    ) -> str:
        """The environment variable holding the secret (``_FSEC_GROUP_KEY``)."""
        prefix = _setting("FLYTE_SECRETS_ENV_PREFIX", DEFAULT_ENV_PREFIX)
        return self._env_name(prefix, group, group_version, key)

    def get_secrets_file(
        self, group: str | None = None, key: str | None = None, group_version: str | None = None
    ) -> str:
        """The file holding the secret (``/etc/secrets/<group>/<key>``)."""
        parts = [p.lower() for p in (group, group_version, key) if p]
        if not parts:
            parts = [""]
        parts[-1] = _setting("FLYTE_SECRETS_FILE_PREFIX", "") + parts[-1]
        return os.path.join(_setting("FLYTE_SECRETS_DEFAULT_DIR", DEFAULT_DIR), *parts)

    def get(
        self,
        group: str | None = None,
        key: str | None = None,
        group_version: str | None = None,
        encode_mode: str = "r",
    ) -> str:
        """The secret's value, stripped of surrounding whitespace.

        ``encode_mode="rb"`` reads the file as bytes (the environment variable is text).

        Raises:
            SecretNotFoundError: CT730, naming the variable and the file looked for.
        """
        names = [self.get_secrets_env_var(group, key, group_version)]
        if self._local:
            names.append(self._env_name("", group, group_version, key))
        for name in names:
            value = os.environ.get(name)
            if value is not None:
                return value.strip()
        path = self.get_secrets_file(group, key, group_version)
        if os.path.isfile(path):
            with open(path, encode_mode) as src:
                return src.read().strip()
        looked = " or ".join(f"${n}" for n in names)
        raise SecretNotFoundError(
            f"secret group={group!r} key={key!r} not found: no environment variable {looked} "
            f"and no file {path}",
            hint=(
                f"declare it with secret_requests=[Secret(group={group!r}, key={key!r})] in "
                f"@task so Flyte injects it; locally, set ${names[-1]} or write the file "
                "(FLYTE_SECRETS_DEFAULT_DIR moves the folder)"
            ),
        )
