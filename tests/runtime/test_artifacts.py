"""Artifacts: the interface's ``artifact_partial_id`` and the ``create_from`` partitions on the
output literals equal flytekit's (``fixtures/flytekit_artifacts.json``, regenerated with the
command in ``make_artifact_oracle.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from artifact_cases import CASES, decoded_metadata
from ctx_helpers import run_entrypoint
from flyteidl.core import literals_pb2
from google.protobuf import json_format

from compiler import Artifact
from compiler.context.artifact import Inputs
from compiler.errors import DefinitionError
from compiler.serialize.task import serialize_task
from compiler.settings import ImageConfig, SerializationSettings

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "flytekit_artifacts.json").read_text())
SETTINGS = SerializationSettings(image_config=ImageConfig.from_specs(["registry.example/app:1"]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_interface_artifact_fields_equal_flytekits(name: str) -> None:
    from rt_pkg import artifact_tasks

    spec = serialize_task(getattr(artifact_tasks, name), SETTINGS)
    assert json_format.MessageToDict(spec.template.interface) == FIXTURE["interfaces"][name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_partitions_equal_flytekits(tmp_path: Path, name: str) -> None:
    proc, out = run_entrypoint(tmp_path, name, CASES[name], module="rt_pkg.artifact_tasks")
    assert proc.returncode == 0, proc.stderr
    outputs = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    assert decoded_metadata(outputs) == FIXTURE["outputs"][name]


def test_local_call_returns_the_value_itself() -> None:
    from rt_pkg import artifact_tasks

    assert artifact_tasks.t_bound(region="eu") == "eu!"
    assert artifact_tasks.t_two(x=2) == (2, "s2")


def test_artifact_errors() -> None:
    with pytest.raises(DefinitionError, match="CT738"):
        Artifact()
    with pytest.raises(DefinitionError, match="CT739"):
        Artifact(name="wide", partition_keys=[f"k{i}" for i in range(11)])
    keyed = Artifact(name="keyed", partition_keys=["region"])
    with pytest.raises(DefinitionError, match=r"CT740.*no partition key 'zone'"):
        keyed(zone="x")
    with pytest.raises(DefinitionError, match=r"CT740.*has no time partition"):
        keyed(time_partition=Inputs.day)
    with pytest.raises(DefinitionError, match=r"CT740.*must be a string"):
        keyed(region=3)
    with pytest.raises(DefinitionError, match=r"CT740.*by name"):
        keyed("eu")
