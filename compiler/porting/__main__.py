"""``python -m compiler.porting --readme README.md [--check]``: regenerate (or check) the README's
list of supported flytekit names."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compiler.porting.readme import render_block


def main(argv: list[str] | None = None) -> int:
    """Rewrite the README block; with ``--check``, exit 1 when it is stale instead."""
    parser = argparse.ArgumentParser(prog="python -m compiler.porting")
    parser.add_argument("--readme", required=True, type=Path, help="the README to update")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    fresh = render_block(text)
    if fresh == text:
        return 0
    if args.check:
        print(f"{args.readme}: the list of flytekit names is stale", file=sys.stderr)
        return 1
    args.readme.write_text(fresh, encoding="utf-8")
    print(f"rewrote the list of flytekit names in {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
