"""``compile-tasks`` console script (placeholder until the CLI lands)."""

from __future__ import annotations

import sys


def main() -> None:
    """Say what is not built yet."""
    sys.stderr.write("compile-tasks: the compile command is not built yet (see the CLI issue)\n")
    raise SystemExit(2)
