"""Our literals equal flytekit 1.16.31's for the same values (committed oracle output).

Regenerate the fixture with the command in ``make_oracle_literals.py``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import msgpack
import pytest
from google.protobuf import json_format
from literal_cases import build_cases

from compiler.types import FlyteDirectory, FlyteFile, StructuredDataset
from compiler.types.engine import default_engine

FIXTURE = Path(__file__).parent / "fixtures" / "flytekit_literals.json"
EXPECTED = json.loads(FIXTURE.read_text())
CASES = build_cases(FlyteFile, FlyteDirectory, StructuredDataset)


def test_every_case_has_an_oracle_literal() -> None:
    assert sorted(EXPECTED) == sorted(name for name, _, _ in CASES)


@pytest.mark.parametrize(("name", "hint", "value"), CASES, ids=[c[0] for c in CASES])
def test_literal_equals_flytekit(name: str, hint: Any, value: Any) -> None:
    engine = default_engine()
    literal = engine.to_literal(value, hint)
    assert json_format.MessageToDict(literal, preserving_proto_field_name=True) == EXPECTED[name]
    # and flytekit's literal reads back to the value
    theirs = json_format.ParseDict(EXPECTED[name], type(literal)())
    back = engine.to_python(theirs, hint)
    if name == "datetime":
        assert back.replace(tzinfo=None) == value
    else:
        assert back == value


def test_msgpack_payloads_are_byte_identical() -> None:
    engine = default_engine()
    for name, hint, value in CASES:
        expected = EXPECTED[name].get("scalar", {}).get("binary")
        if expected:
            ours = engine.to_literal(value, hint).scalar.binary.value
            assert ours == base64.b64decode(expected["value"]), (name, msgpack.unpackb(ours))
