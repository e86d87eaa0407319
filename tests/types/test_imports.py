"""``import compiler.types`` stays cheap: no heavy modules on its import path."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("mashumaro", "msgpack", "fsspec", "yaml", "importlib.metadata", "flytekit", "click")


def test_heavy_modules_are_not_imported() -> None:
    code = (
        "import sys, compiler.types.engine, compiler.types.literal_types;"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
