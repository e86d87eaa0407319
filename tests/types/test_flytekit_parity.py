"""Our literal types equal flytekit 1.16.31's on the shared catalogue (committed fixture).

Regenerate the fixture with ``tests/types/oracle_literal_types.py`` (see its docstring).
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest
import types_catalogue as catalogue
from google.protobuf import json_format

import compiler.types
from compiler.errors import TypeMappingError
from compiler.types import TypeEngine

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "flytekit_literal_types.json"
EXPECTED: dict[str, Any] = json.loads(FIXTURE.read_text())
OURS = {name: getattr(compiler.types, name) for name in compiler.types.__all__}
HINTS = catalogue.build(OURS)
PICKLED = catalogue.build_pickled(OURS)


def test_catalogue_and_fixture_agree() -> None:
    assert sorted(EXPECTED) == sorted({**HINTS, **PICKLED})


def _ours(hint: Any, allow_pickle: bool) -> Any:
    try:
        lt = TypeEngine().to_literal_type(hint, allow_pickle=allow_pickle)
    except TypeMappingError:
        return "ERROR"
    return json_format.MessageToDict(lt, preserving_proto_field_name=True)


@pytest.mark.parametrize("name", sorted(HINTS))
def test_same_literal_type_as_flytekit(name: str) -> None:
    ours, theirs = _ours(HINTS[name], allow_pickle=False), EXPECTED[name]
    if name in catalogue.FLYTEKIT_CRASHES:
        assert isinstance(theirs, str) and ours != "ERROR"
    elif isinstance(theirs, str):  # flytekit refuses it: so do we, with our own error
        assert ours == "ERROR"
    else:
        assert ours == theirs


@pytest.mark.parametrize("name", sorted(PICKLED))
def test_same_pickle_types_as_flytekit(name: str) -> None:
    assert _ours(PICKLED[name], allow_pickle=False) == "ERROR"
    assert _ours(PICKLED[name], allow_pickle=True) == EXPECTED[name]
