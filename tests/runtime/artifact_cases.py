"""Inputs of the ``rt_pkg.artifact_tasks`` runs compared with flytekit (flyteidl only, so the
oracle script builds the same literals)."""

import datetime

from flyteidl.core import literals_pb2

__all__ = ["CASES", "decoded_metadata"]


def _int(value: int) -> literals_pb2.Literal:
    return literals_pb2.Literal(
        scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(integer=value))
    )


def _str(value: str) -> literals_pb2.Literal:
    return literals_pb2.Literal(
        scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(string_value=value))
    )


def _datetime(value: datetime.datetime) -> literals_pb2.Literal:
    literal = literals_pb2.Literal()
    literal.scalar.primitive.datetime.FromDatetime(value)
    return literal


CASES = {
    "t_plain": {"x": _int(3)},
    "t_bound": {"region": _str("eu")},
    "t_unbound": {"region": _str("us")},
    "t_time": {"x": _int(1)},
    "t_time_bound": {"day": _datetime(datetime.datetime(2024, 1, 2))},
    "t_fixed": {},
    "t_two": {"x": _int(5)},
}


def decoded_metadata(outputs: literals_pb2.LiteralMap) -> dict:
    """Each output's literal metadata, the ``_uap`` ArtifactID decoded to JSON."""
    import base64

    from flyteidl.core import artifact_id_pb2
    from google.protobuf import json_format

    found = {}
    for name in sorted(outputs.literals):
        metadata = dict(outputs.literals[name].metadata)
        if "_uap" in metadata:
            artifact = artifact_id_pb2.ArtifactID.FromString(base64.b64decode(metadata["_uap"]))
            metadata["_uap"] = json_format.MessageToDict(artifact)
        found[name] = metadata
    return found
