"""Artifacts: naming what a task's outputs are, for Flyte's artifact service.

``Artifact(name=..., partition_keys=[...])`` declares an artifact; annotating an output with it
(``-> Annotated[pd.DataFrame, Pricing]``, or ``Pricing(region=Inputs.region)`` to bind a
partition to an input or to a fixed string) writes the output variable's
``artifact_partial_id`` in the task's interface, as flytekit does; partitions left unbound are
filled at run time. In the task body, ``Pricing.create_from(df, region="dubai")`` gives them
their values: the runtime attaches them to the output literal (``metadata["_uap"]``, a base64
``ArtifactID``), where the platform reads them.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from compiler.errors import DefinitionError

__all__ = [
    "DYNAMIC_PARTITIONS",
    "Artifact",
    "ArtifactIDSpecification",
    "Inputs",
    "artifact_id_of",
    "output_metadata",
]

#: The literal metadata key holding the partitions a task gave at run time (flytekit's).
DYNAMIC_PARTITIONS = "_uap"
TIME_PARTITION_KWARG = "time_partition"
MAX_PARTITIONS = 10

T = TypeVar("T")


def _pb() -> Any:
    from flyteidl.core import artifact_id_pb2  # only artifacts need it

    return artifact_id_pb2


def _timestamp(value: datetime.datetime) -> Any:
    from google.protobuf.timestamp_pb2 import Timestamp

    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


class _InputBinding:
    """``Inputs.region``: a partition value taken from the task's input ``region``."""

    def __init__(self, var: str) -> None:
        self.var = var

    def label(self) -> Any:
        pb = _pb()
        return pb.LabelValue(input_binding=pb.InputBindingData(var=self.var))

    def __repr__(self) -> str:
        return f"Inputs.{self.var}"


class _Inputs:
    """``Inputs.<name>`` binds a partition to the input ``<name>`` (flytekit's ``Inputs``)."""

    def __getattr__(self, name: str) -> _InputBinding:
        if name.startswith("__"):
            raise AttributeError(name)
        return _InputBinding(name)


Inputs = _Inputs()


def _binding_error(artifact: Artifact, message: str, hint: str) -> DefinitionError:
    return DefinitionError(f"artifact {artifact.name!r}: {message}", code="CT740", hint=hint)


class ArtifactIDSpecification:
    """An artifact with some partitions bound, as written in an output annotation."""

    def __init__(self, artifact: Artifact) -> None:
        self.artifact = artifact
        self.partitions: dict[str, Any] = {}  # key -> LabelValue
        self.time_partition: Any = None  # LabelValue or None

    def bind_partitions(self, *args: Any, **kwargs: Any) -> ArtifactIDSpecification:
        """Bind partitions by keyword: a string, ``Inputs.<input>``; ``time_partition=`` a
        datetime or ``Inputs.<input>``. Unbound ones are filled in at run time."""
        pb = _pb()
        artifact = self.artifact
        if args:
            raise _binding_error(artifact, "partitions are bound by name", "use key=value")
        if TIME_PARTITION_KWARG in kwargs:
            value = kwargs.pop(TIME_PARTITION_KWARG)
            if not artifact.time_partitioned:
                raise _binding_error(
                    artifact, "has no time partition", "declare it with time_partitioned=True"
                )
            if isinstance(value, datetime.datetime):
                self.time_partition = pb.LabelValue(time_value=_timestamp(value))
            elif isinstance(value, _InputBinding):
                self.time_partition = value.label()
            else:
                raise _binding_error(
                    artifact,
                    f"time_partition must be a datetime or Inputs.<name>, got {value!r}",
                    "pass a datetime or bind it to an input",
                )
        elif artifact.time_partitioned and self.time_partition is None:
            self.time_partition = pb.LabelValue(runtime_binding=pb.RuntimeBinding())
        keys = artifact.partition_keys or []
        for key, value in kwargs.items():
            if key not in keys:
                raise _binding_error(
                    artifact,
                    f"no partition key {key!r}",
                    f"its partition keys are: {', '.join(keys) or '(none)'}",
                )
            if isinstance(value, _InputBinding):
                self.partitions[key] = value.label()
            elif isinstance(value, str):
                self.partitions[key] = pb.LabelValue(static_value=value)
            else:
                raise _binding_error(
                    artifact,
                    f"partition {key!r} must be a string or Inputs.<name>, got {value!r}",
                    "pass a string or bind it to an input",
                )
        for key in keys:
            self.partitions.setdefault(key, pb.LabelValue(runtime_binding=pb.RuntimeBinding()))
        return self

    __call__ = bind_partitions

    def to_partial_artifact_id(self) -> Any:
        """The ``ArtifactID`` written as the output variable's ``artifact_partial_id``."""
        pb = _pb()
        artifact = self.artifact
        partial = pb.ArtifactID(
            artifact_key=pb.ArtifactKey(
                project=artifact.project or "", domain=artifact.domain or "", name=artifact.name
            ),
            version=artifact.version or "",
        )
        if self.partitions:
            for key, label in self.partitions.items():
                partial.partitions.value[key].CopyFrom(label)
        if artifact.time_partitioned:
            partial.time_partition.value.CopyFrom(self.time_partition)
            partial.time_partition.granularity = artifact.time_partition_granularity or pb.DAY
        return partial

    def __repr__(self) -> str:
        return f"ArtifactIDSpecification({self.artifact.name!r}, {self.artifact.partition_keys})"


class Artifact:
    """A named artifact a task's outputs create (flytekit's ``Artifact``).

    Args:
        project: Filled in by the platform from the execution (leave it out).
        domain: Likewise.
        name: The artifact's name (required).
        version: Filled in by the platform (leave it out).
        time_partitioned: The artifact has a time partition.
        time_partition_granularity: ``flyteidl.core.artifact_id_pb2.Granularity`` value of
            the time partition (the interface says ``DAY`` when it is left unset).
        partition_keys: Names of the partitions (at most 10).
        partitions: ``{key: value}``: its keys become the partition keys (the values serve
            flytekit's artifact queries, which compile-tasks does not compile).

    Raises:
        DefinitionError: CT738 without a name; CT739 for more than 10 partition keys or
            ``partitions`` that is not a mapping.
    """

    def __init__(
        self,
        project: str | None = None,
        domain: str | None = None,
        name: str | None = None,
        version: str | None = None,
        time_partitioned: bool = False,
        time_partition_granularity: int | None = None,
        partition_keys: list[str] | None = None,
        partitions: Mapping[str, str] | None = None,
    ) -> None:
        if not name:
            raise DefinitionError(
                "an Artifact needs a name", code="CT738", hint='Artifact(name="my.artifact")'
            )
        self.project = project
        self.domain = domain
        self.name = name
        self.version = version
        self.time_partitioned = time_partitioned
        self.time_partition_granularity = time_partition_granularity
        self.partition_keys = list(partition_keys) if partition_keys else None
        if partitions is not None:
            if not isinstance(partitions, Mapping):
                raise DefinitionError(
                    f"artifact {name!r}: partitions must be a dict, not "
                    f"{type(partitions).__name__}",
                    code="CT739",
                    hint="pass partitions={'key': 'value'} or partition_keys=[...]",
                )
            self.partition_keys = [str(k) for k in partitions]
        if self.partition_keys and len(self.partition_keys) > MAX_PARTITIONS:
            raise DefinitionError(
                f"artifact {name!r} has {len(self.partition_keys)} partition keys",
                code="CT739",
                hint=f"an artifact has at most {MAX_PARTITIONS} partition keys",
            )

    def __call__(self, *args: Any, **kwargs: Any) -> ArtifactIDSpecification:
        """Bind partitions for an output annotation (``Pricing(region=Inputs.region)``)."""
        spec = ArtifactIDSpecification(self)
        return spec.bind_partitions(*args, **kwargs)

    def create_from(self, o: T, **kwargs: Any) -> T:
        """Return ``o`` unchanged, remembering the partition values (``key=value``,
        ``time_partition=datetime``) to attach to the output literal it becomes."""
        from compiler.context.params import current_context

        time_partition = kwargs.pop(TIME_PARTITION_KWARG, None)
        partitions = {k: str(v) for k, v in kwargs.items()}
        current_context().add_output_metadata(o, (self, partitions, time_partition))
        return o

    def __repr__(self) -> str:
        return f"Artifact({self.name!r}, partition_keys={self.partition_keys})"


def artifact_id_of(hint: Any) -> Any:
    """The ``artifact_partial_id`` of a type hint (``Annotated[T, MyArtifact]``), or ``None``."""
    for item in getattr(hint, "__metadata__", ()):
        if isinstance(item, Artifact):
            return item().to_partial_artifact_id()
        if isinstance(item, ArtifactIDSpecification):
            return item.to_partial_artifact_id()
    return None


def output_metadata(entry: tuple[Artifact, dict[str, str], Any]) -> dict[str, str]:
    """The literal metadata of one ``create_from`` call (empty when it bound nothing)."""
    artifact, partitions, time_partition = entry
    if not partitions and time_partition is None:
        return {}
    pb = _pb()
    found = pb.ArtifactID()
    for key, value in partitions.items():
        found.partitions.value[key].static_value = value
    if time_partition is not None:
        found.time_partition.value.time_value.CopyFrom(_timestamp(time_partition))
        if artifact.time_partition_granularity is not None:
            found.time_partition.granularity = artifact.time_partition_granularity
    data = found.SerializeToString(deterministic=True)
    return {DYNAMIC_PARTITIONS: base64.b64encode(data).decode("ascii")}
