"""The container environment: compile-time variables first, the task's own win (WIRE-FORMAT 4.4)."""

from __future__ import annotations

from collections.abc import Mapping

from flyteidl.core import literals_pb2

__all__ = ["env_pairs", "merge_env", "pod_env"]


def merge_env(compile_env: Mapping[str, str], task_env: Mapping[str, str]) -> dict[str, str]:
    """``dict.update`` semantics: on a clash the task's value wins, the key keeps its place."""
    merged = dict(compile_env)
    merged.update(task_env)
    return merged


def env_pairs(env: Mapping[str, str]) -> list[literals_pb2.KeyValuePair]:
    """``container.env`` entries in insertion order."""
    return [literals_pb2.KeyValuePair(key=k, value=v) for k, v in env.items()]


def pod_env(env: Mapping[str, str]) -> list[dict[str, str]]:
    """Kubernetes ``env`` entries (``name``/``value``) in insertion order."""
    return [{"name": k, "value": v} for k, v in env.items()]
