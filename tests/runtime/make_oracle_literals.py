"""Regenerate ``fixtures/flytekit_literals.json`` with flytekit 1.16.31 (the oracle).

Run in a venv that has flytekit (never in ours)::

    python tests/runtime/make_oracle_literals.py > tests/runtime/fixtures/flytekit_literals.json
"""

import json
import sys
from pathlib import Path

from flytekit import FlyteContextManager, StructuredDataset
from flytekit.core.type_engine import TypeEngine
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile
from google.protobuf import json_format

sys.path.insert(0, str(Path(__file__).parent))
from literal_cases import build_cases


def main() -> None:
    ctx = FlyteContextManager.current_context()
    out = {}
    for name, hint, value in build_cases(FlyteFile, FlyteDirectory, StructuredDataset):
        literal_type = TypeEngine.to_literal_type(hint)
        literal = TypeEngine.to_literal(ctx, value, hint, literal_type)
        out[name] = json_format.MessageToDict(
            literal.to_flyte_idl(), preserving_proto_field_name=True
        )
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
