"""Regenerate ``fixtures/flytekit_literal_types.json`` with flytekit 1.16.31 (not a test).

Run with the oracle's python, from the repository root::

    /work/.venv-oracle/bin/python tests/types/oracle_literal_types.py

Each catalogue entry becomes flytekit's literal type JSON, or ``"ERROR <exception class>"``.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import flytekit.types.directory as directory
import flytekit.types.file as file
import types_catalogue as catalogue
from flytekit import kwtypes
from flytekit.core.annotation import FlyteAnnotation
from flytekit.core.type_engine import BatchSize, TypeEngine
from flytekit.types.iterator import JSON
from flytekit.types.schema import FlyteSchema
from flytekit.types.structured import StructuredDataset
from google.protobuf.json_format import MessageToDict

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "flytekit_literal_types.json"


def main() -> None:
    ns = {name: getattr(file, name) for name in dir(file) if name[:1].isupper()}
    ns.update({name: getattr(directory, name) for name in dir(directory) if name[:1].isupper()})
    ns.update(
        StructuredDataset=StructuredDataset,
        FlyteSchema=FlyteSchema,
        FlyteAnnotation=FlyteAnnotation,
        kwtypes=kwtypes,
        JSON=JSON,
        BatchSize=BatchSize,
    )
    out = {}
    for name, hint in {**catalogue.build(ns), **catalogue.build_pickled(ns)}.items():
        try:
            idl = TypeEngine.to_literal_type(hint).to_flyte_idl()
            out[name] = MessageToDict(idl, preserving_proto_field_name=True)
        except Exception as exc:  # record which entries flytekit refuses
            out[name] = f"ERROR {type(exc).__name__}"
    FIXTURE.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(out)} entries to {FIXTURE}")


if __name__ == "__main__":
    main()
