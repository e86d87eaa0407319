"""Pod templates -> ``k8s_pod`` (WIRE-FORMAT 7).

A pod spec is handled as the camelCase dict Kubernetes' ``ApiClient.sanitize_for_serialization``
would produce. A ``kubernetes.client.V1PodSpec`` is converted by duck typing (its
``attribute_map`` / ``openapi_types``), so this package never imports ``kubernetes``.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from flyteidl.core import tasks_pb2
from google.protobuf import struct_pb2

from compiler.errors import DefinitionError
from compiler.proto.env import pod_env
from compiler.proto.images import resolve_image
from compiler.proto.resources import ResourceName, pod_resources
from compiler.settings import ImageConfig

__all__ = ["PrimaryContainer", "build_k8s_pod", "build_pod_spec", "to_pod_spec_dict"]


def _sanitize(obj: Any) -> Any:
    """The JSON form of a Kubernetes model, as ``ApiClient.sanitize_for_serialization``."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, list | tuple):
        return [_sanitize(item) for item in obj]
    if isinstance(obj, datetime.datetime | datetime.date):
        return obj.isoformat()
    if isinstance(obj, Mapping):
        return {str(k): _sanitize(v) for k, v in obj.items()}
    attribute_map = getattr(obj, "attribute_map", None)
    openapi_types = getattr(obj, "openapi_types", None)
    if isinstance(attribute_map, Mapping) and isinstance(openapi_types, Mapping):
        return {
            attribute_map[attr]: _sanitize(getattr(obj, attr))
            for attr in openapi_types
            if getattr(obj, attr, None) is not None
        }
    raise DefinitionError(
        f"pod_spec holds a {type(obj).__name__!s} value, which has no JSON form",
        code="CT140",
        param="pod_spec",
        param_kind="option",
        hint="use plain dicts, lists, strings and numbers, or kubernetes.client models",
    )


def to_pod_spec_dict(pod_spec: Any) -> dict[str, Any]:
    """Normalise a ``V1PodSpec`` or a camelCase dict, and check it looks like a pod spec.

    Raises:
        DefinitionError: CT140 when the result is not a mapping with a ``containers`` list
            whose entries are mappings with a string ``name``.
    """
    spec = _sanitize(pod_spec)
    if not isinstance(spec, dict):
        raise _bad_spec(f"pod_spec is a {type(pod_spec).__name__}, not a pod spec")
    containers = spec.get("containers")
    if not isinstance(containers, list):
        raise _bad_spec("pod_spec has no 'containers' list")
    _check_shape(spec, _POD_SHAPE, "pod_spec")
    for key in ("containers", "initContainers"):
        for index, container in enumerate(spec.get(key) or []):
            if not isinstance(container, dict) or not isinstance(container.get("name"), str):
                raise _bad_spec(f"pod_spec.{key}[{index}] is not a mapping with a string 'name'")
            _check_shape(container, _CONTAINER_SHAPE, f"pod_spec.{key}[{index}]")
            for item, env in enumerate(container.get("env") or []):
                _check_env(env, f"pod_spec.{key}[{index}].env[{item}]")
    return spec


# The JSON kind of the pod-spec fields people write most; a wrong kind there is a typo that
# Kubernetes would only refuse at run time. Fields not listed are passed through unchecked.
_LIST, _DICT, _STR = list, dict, str
_POD_SHAPE: dict[str, type] = {
    "containers": _LIST,
    "initContainers": _LIST,
    "volumes": _LIST,
    "tolerations": _LIST,
    "imagePullSecrets": _LIST,
    "hostAliases": _LIST,
    "nodeSelector": _DICT,
    "affinity": _DICT,
    "securityContext": _DICT,
    "serviceAccountName": _STR,
    "schedulerName": _STR,
    "priorityClassName": _STR,
    "restartPolicy": _STR,
}
_CONTAINER_SHAPE: dict[str, type] = {
    "image": _STR,
    "command": _LIST,
    "args": _LIST,
    "env": _LIST,
    "envFrom": _LIST,
    "ports": _LIST,
    "volumeMounts": _LIST,
    "resources": _DICT,
    "securityContext": _DICT,
    "workingDir": _STR,
}
_KIND_NAMES = {list: "a list", dict: "a mapping", str: "a string"}


def _check_shape(obj: dict[str, Any], shape: dict[str, type], where: str) -> None:
    for key, kind in shape.items():
        if key in obj and obj[key] is not None and not isinstance(obj[key], kind):
            value = obj[key]
            raise _bad_spec(
                f"{where}.{key} must be {_KIND_NAMES[kind]}, got {type(value).__name__} {value!r}"
            )
    resources = obj.get("resources")
    if isinstance(resources, dict):
        for side in ("limits", "requests"):
            if side in resources and not isinstance(resources[side], dict):
                raise _bad_spec(f"{where}.resources.{side} must be a mapping like {{'cpu': '1'}}")


def _check_env(env: Any, where: str) -> None:
    if not isinstance(env, dict) or not isinstance(env.get("name"), str):
        raise _bad_spec(f"{where} must be a mapping with a string 'name'")
    if "value" in env and env["value"] is not None and not isinstance(env["value"], str):
        raise _bad_spec(f"{where}.value must be a string, got {env['value']!r}")


def _bad_spec(message: str) -> DefinitionError:
    return DefinitionError(
        message,
        code="CT140",
        param="pod_spec",
        param_kind="option",
        hint=(
            "pass a kubernetes.client.V1PodSpec or a camelCase dict like "
            "{'containers': [{'name': 'primary'}]}"
        ),
    )


class PrimaryContainer:
    """What the task contributes to its primary container.

    Args:
        image: The task's image (used when the pod spec's container sets none).
        command: Written as the container's ``command`` (``[]`` for python tasks).
        args: Written as ``args``; ``None`` leaves the container's own args alone.
        env: The merged task environment, prepended to the container's own ``env``.
        requests: Canonical requests; with ``limits`` they replace the container's resources.
        limits: Canonical limits.
    """

    def __init__(
        self,
        *,
        image: str,
        command: Sequence[str],
        args: Sequence[str] | None,
        env: Mapping[str, str],
        requests: Mapping[ResourceName, str],
        limits: Mapping[ResourceName, str],
    ) -> None:
        self.image = image
        self.command = list(command)
        self.args = None if args is None else list(args)
        self.env = dict(env)
        self.requests = dict(requests)
        self.limits = dict(limits)


def build_pod_spec(
    spec: Mapping[str, Any],
    primary_name: str,
    primary: PrimaryContainer,
    images: ImageConfig,
) -> dict[str, Any]:
    """The pod spec dict written into ``k8s_pod.pod_spec`` (a new dict; ``spec`` is untouched)."""
    result = copy.deepcopy(dict(spec))
    containers = result.setdefault("containers", [])
    if not any(c.get("name") == primary_name for c in containers):
        containers.append({"name": primary_name})
    for container in containers:
        if container.get("name") == primary_name:
            _fill_primary(container, primary, images)
        elif container.get("image") is not None:
            container["image"] = resolve_image(container["image"], images, what="pod image")
    return result


def _fill_primary(
    container: dict[str, Any], primary: PrimaryContainer, images: ImageConfig
) -> None:
    own_image = container.get("image")
    container["image"] = (
        primary.image if own_image is None else resolve_image(own_image, images, what="pod image")
    )
    container["command"] = primary.command
    if primary.args is None:
        container.pop("args", None)
    else:
        container["args"] = primary.args
    if primary.requests or primary.limits:
        container["resources"] = pod_resources(primary.requests, primary.limits)
    container["env"] = pod_env(primary.env) + list(container.get("env") or [])


def build_k8s_pod(
    pod_spec: Mapping[str, Any],
    labels: Mapping[str, str],
    annotations: Mapping[str, str],
    data_config: tasks_pb2.DataLoadingConfig | None = None,
) -> tasks_pb2.K8sPod:
    """``k8s_pod`` with ``metadata`` always set and the spec as a Struct (numbers -> doubles)."""
    pod = tasks_pb2.K8sPod()
    pod.metadata.SetInParent()
    pod.metadata.labels.update(labels)
    pod.metadata.annotations.update(annotations)
    struct = struct_pb2.Struct()
    struct.update(pod_spec)
    pod.pod_spec.CopyFrom(struct)
    if data_config is not None:
        pod.data_config.CopyFrom(data_config)
    return pod
