"""``PodTemplate``: run a task in a pod shaped by a Kubernetes pod spec (WIRE-FORMAT 7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.errors import DefinitionError
from compiler.proto import to_pod_spec_dict
from compiler.sdk.location import caller_location
from compiler.sdk.metadata import check_string_map

__all__ = ["PodTemplate", "check_pod_template"]


class PodTemplate:
    """A pod spec plus the name of the container the task runs in.

    Args:
        pod_spec: A ``kubernetes.client.V1PodSpec`` or its camelCase dict form
            (``{"containers": [{"name": "primary", ...}], "nodeSelector": {...}}``); ``None``
            means an empty spec (the primary container is added when compiling).
        primary_container_name: The container that runs the task (default ``"primary"``).
        labels: Labels of the pod (``k8s_pod.metadata.labels``).
        annotations: Annotations of the pod.

    Raises:
        DefinitionError: CT140 when ``pod_spec`` is not a plausible pod spec, CT141 for a bad
            primary container name, labels or annotations.
    """

    def __init__(
        self,
        pod_spec: Any = None,
        primary_container_name: str = "primary",
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
    ) -> None:
        try:
            self.pod_spec_dict = to_pod_spec_dict(
                {"containers": []} if pod_spec is None else pod_spec
            )
            if not isinstance(primary_container_name, str) or not primary_container_name:
                raise DefinitionError(
                    f"primary_container_name must be a non-empty string, "
                    f"got {primary_container_name!r}",
                    code="CT141",
                    param="primary_container_name",
                    param_kind="option",
                    hint="leave it out for 'primary', or name a container of the pod spec",
                )
            self.labels = check_string_map(
                labels, "labels", code="CT141", example="'team': 'checkout'"
            )
            self.annotations = check_string_map(
                annotations, "annotations", code="CT141", example="'team': 'checkout'"
            )
        except DefinitionError as err:
            location, _ = caller_location(self)
            raise err.with_context(location=location) from None
        self.pod_spec = pod_spec
        self.primary_container_name = primary_container_name

    def __repr__(self) -> str:
        return f"PodTemplate(primary_container_name={self.primary_container_name!r})"


def check_pod_template(pod_template: Any) -> None:
    """CT142 unless ``pod_template`` is ``None`` or a :class:`PodTemplate`."""
    if pod_template is not None and not isinstance(pod_template, PodTemplate):
        raise DefinitionError(
            f"pod_template must be a PodTemplate(...), got {pod_template!r}",
            code="CT142",
            param="pod_template",
            param_kind="option",
            hint="write pod_template=PodTemplate(pod_spec={...})",
        )
