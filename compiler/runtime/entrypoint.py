"""``compile-tasks-execute``: run one compiled task inside its container.

The arguments are exactly those the serializer writes (WIRE-FORMAT 4.1), with Flyte's templates
filled in by propeller::

    compile-tasks-execute --inputs s3://.../inputs.pb --output-prefix s3://.../0 \\
        --raw-output-data-prefix s3://.../raw --checkpoint-path s3://.../ckpt \\
        --prev-checkpoint "" --resolver compiler.sdk.resolver.default_task_resolver \\
        -- task-module shop.orders task-name load_orders

Exit status: 0 when outputs were written (or deliberately ignored), 1 when ``error.pb`` was
written, 2 for bad arguments. Only the standard library, protobuf and flyteidl are imported
before the task itself, so startup stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from compiler.idl import ENTRYPOINT
from compiler.runtime.execute import ExecutionRequest, run_request

__all__ = ["build_parser", "main", "parse_request"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (flag names and order follow flytekit's ``pyflyte-execute``)."""
    parser = argparse.ArgumentParser(
        prog=ENTRYPOINT[0],
        description="Run one compiled task (the command Flyte runs in the task's container).",
    )
    parser.add_argument("--inputs", required=True, help="path or URI of inputs.pb")
    parser.add_argument("--output-prefix", required=True, help="where outputs.pb/error.pb go")
    parser.add_argument("--raw-output-data-prefix", default="", help="where files are uploaded")
    parser.add_argument("--checkpoint-path", default="", help="checkpoint output prefix")
    parser.add_argument("--prev-checkpoint", default="", help="previous checkpoint prefix")
    parser.add_argument("--resolver", required=True, help="import path of the task resolver")
    parser.add_argument(
        "--debug", action="store_true", help="keep compile-tasks' own frames in tracebacks"
    )
    parser.add_argument("loader_args", nargs=argparse.REMAINDER, help="-- task-module M ...")
    return parser


def parse_request(argv: Sequence[str]) -> ExecutionRequest:
    """Parse container arguments into an :class:`ExecutionRequest` (exits 2 when invalid)."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    loader_args = list(args.loader_args)
    if loader_args and loader_args[0] == "--":
        loader_args = loader_args[1:]
    if not loader_args:
        parser.error("loader arguments are missing: add -- task-module M task-name N")
    raw = args.raw_output_data_prefix or os.path.join(args.output_prefix, "raw")
    return ExecutionRequest(
        inputs=args.inputs,
        output_prefix=args.output_prefix,
        raw_output_prefix=raw,
        resolver=args.resolver,
        loader_args=tuple(loader_args),
        checkpoint_path=args.checkpoint_path,
        prev_checkpoint=args.prev_checkpoint,
        debug=args.debug,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: run the task and exit with its status."""
    request = parse_request(sys.argv[1:] if argv is None else argv)
    # The task's package is found from the working directory, as in the container image.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    raise SystemExit(run_request(request).exit_code)


if __name__ == "__main__":
    main()
