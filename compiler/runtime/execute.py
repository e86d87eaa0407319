"""One execution of a compiled task, as Flyte's propeller asks for it.

The steps: load the task through the resolver named in the container args, read the inputs
``LiteralMap``, download remote file inputs, set the task's environment, run
``dispatch_execute`` (``pre_execute`` -> ``execute`` -> ``post_execute``), upload file outputs
under the raw output prefix and write ``outputs.pb`` under the output prefix. A failure writes
``error.pb`` instead; a task raising ``IgnoreOutputs`` writes nothing.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
import uuid
from typing import Any

from flyteidl.core import literals_pb2, types_pb2

from compiler.context import (
    ExecutionParameters,
    container_parameters,
    execution_scope,
    storage,
    write_decks,
)
from compiler.errors import CompileTasksError, ExecutionError
from compiler.records import frozen_record
from compiler.runtime.blobs import BlobMover
from compiler.runtime.failure import SYSTEM, error_document, origin_of
from compiler.types import default_engine

__all__ = [
    "ERROR_FILE",
    "FUTURES_FILE",
    "OUTPUTS_FILE",
    "ExecutionRequest",
    "Outcome",
    "import_object",
    "run_request",
]

OUTPUTS_FILE = "outputs.pb"
FUTURES_FILE = "futures.pb"
ERROR_FILE = "error.pb"


@frozen_record
class ExecutionRequest:
    """The container arguments of one execution.

    Attributes:
        inputs: Path or URI of the inputs ``LiteralMap`` (``{{.input}}``).
        output_prefix: Where ``outputs.pb`` / ``error.pb`` go (``{{.outputPrefix}}``).
        raw_output_prefix: Where file outputs are uploaded (``{{.rawOutputDataPrefix}}``).
        resolver: Import path of the task resolver (``module.attribute``).
        loader_args: The words after ``--`` (``task-module M task-name N``).
        checkpoint_path: ``{{.checkpointOutputPrefix}}``: where this attempt's checkpoint goes
            (``current_context().checkpoint``).
        prev_checkpoint: ``{{.prevCheckpointPrefix}}``: the previous attempt's checkpoint.
        debug: Keep compile-tasks' own frames in error tracebacks.
    """

    inputs: str
    output_prefix: str
    raw_output_prefix: str
    resolver: str
    loader_args: tuple[str, ...]
    checkpoint_path: str = ""
    prev_checkpoint: str = ""
    debug: bool = False


@frozen_record
class Outcome:
    """What an execution left behind: ``"outputs"``, ``"futures"`` (a dynamic task's
    ``futures.pb``), ``"ignored"`` or ``"error"``."""

    status: str
    origin: int | None = None

    @property
    def exit_code(self) -> int:
        """0 for outputs or ignored outputs, 1 for an error."""
        return 1 if self.status == "error" else 0


def import_object(path: str) -> Any:
    """The object at ``package.module.attribute``.

    Raises:
        ExecutionError: CT711 when the module or the attribute does not exist.
    """
    module_name, _, attribute = path.rpartition(".")
    if not module_name:
        raise ExecutionError(
            f"resolver {path!r} is not an import path", code="CT711", hint="use module.attribute"
        )
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise ExecutionError(
            f"module {module_name!r} has no attribute {attribute!r}",
            code="CT711",
            hint="check the --resolver argument the task was compiled with",
        ) from None


def _is_ignore_outputs(exc: BaseException) -> bool:
    # Matched by name so a task ported from flytekit (its own IgnoreOutputs) behaves the same.
    return any(k.__name__ == "IgnoreOutputs" for k in type(exc).__mro__)


def _read_inputs(uri: str) -> literals_pb2.LiteralMap:
    try:
        data = storage.read_bytes(uri)
    except FileNotFoundError:
        raise ExecutionError(
            f"inputs file {uri!r} does not exist",
            code="CT712",
            hint="pass the inputs LiteralMap (inputs.pb) with --inputs",
        ) from None
    try:
        return literals_pb2.LiteralMap.FromString(data)
    except Exception as exc:  # protobuf raises DecodeError, a plain Exception subclass
        raise ExecutionError(
            f"inputs file {uri!r} is not a LiteralMap ({exc})",
            code="CT712",
            hint="the file must be a serialized flyteidl.core.LiteralMap",
        ) from None


def _output_types(task: Any) -> dict[str, types_pb2.LiteralType]:
    """Literal types of the task's outputs (empty when the task has no Python interface)."""
    outputs = getattr(getattr(task, "python_interface", None), "outputs", None) or {}
    engine = default_engine()
    found = {}
    for name, hint in outputs.items():
        try:
            found[name] = engine.to_literal_type(hint, allow_pickle=True)
        except CompileTasksError:
            continue  # the outputs were converted already; a type we cannot name has no files
    return found


def _set_environment(task: Any) -> None:
    env = getattr(task, "environment", None) or {}
    for key, value in env.items():
        os.environ[str(key)] = str(value)


def _env(*names: str) -> str:
    return next((os.environ[n] for n in names if os.environ.get(n)), "")


def _error_target() -> tuple[str, str]:
    """The error file name and worker name: distributed tasks (Flyte sets the error strategy)
    write one uniquely named file per worker, so workers do not overwrite each other."""
    if not _env("FLYTE_INTERNAL_DIST_ERROR_STRATEGY", "_F_DES"):
        return ERROR_FILE, ""
    stem, ext = os.path.splitext(ERROR_FILE)
    return f"{stem}-{uuid.uuid4().hex}{ext}", _env("FLYTE_INTERNAL_WORKER_NAME", "_F_WN")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().replace("\n", " ")
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, CompileTasksError) else text


def _write_error(request: ExecutionRequest, exc: BaseException, origin: int) -> Outcome:
    """Write ``error.pb``; the user's traceback goes to stderr, a system error is one line."""
    name, worker = _error_target()
    doc = error_document(exc, origin, worker=worker, debug=request.debug)
    try:
        storage.write_bytes(storage.join(request.output_prefix, name), doc.SerializeToString())
    except Exception as write_exc:  # nowhere left to report but stderr
        sys.stderr.write(
            f"compile-tasks-execute: error CT735: cannot write {name} under the output prefix "
            f"{request.output_prefix!r}: {_one_line(write_exc)}\n"
        )
    if origin == SYSTEM and not request.debug:
        sys.stderr.write(f"compile-tasks-execute: {_one_line(exc)}\n")
    else:
        sys.stderr.write(doc.error.message)
    return Outcome("error", origin)


def _parameters(request: ExecutionRequest, task: Any, workdir: str) -> ExecutionParameters:
    return container_parameters(
        workdir=workdir,
        raw_output_prefix=request.raw_output_prefix,
        output_prefix=request.output_prefix,
        checkpoint_path=_filled(request.checkpoint_path),
        prev_checkpoint=_filled(request.prev_checkpoint),
        enable_deck=bool(getattr(getattr(task, "metadata", None), "generates_deck", False)),
    )


def _filled(prefix: str) -> str:
    """``""`` for a template propeller left unfilled (``{{.prevCheckpointPrefix}}``) or an
    empty quoted value, as flytekit reads them."""
    return "" if prefix.startswith("{{") or prefix in ('""', "''") else prefix


def _write_decks(params: ExecutionParameters) -> None:
    try:
        write_decks(params)
    except Exception as exc:  # a deck is a report: it never fails the task
        sys.stderr.write(f"compile-tasks-execute: cannot write the deck: {_one_line(exc)}\n")


def _dispatch(task: Any, inputs: literals_pb2.LiteralMap) -> Any:
    """Run the task; a dynamic task (``builds_job_at_run_time``) returns its job instead.

    The dynamic-job module (and the serializer it uses) is loaded for dynamic tasks only.
    """
    if getattr(type(task), "builds_job_at_run_time", False):
        return importlib.import_module("compiler.runtime.dynamic_job").execute_task(task, inputs)
    return task.dispatch_execute(inputs)


def _write_futures(request: ExecutionRequest, job: Any, mover: BlobMover) -> Outcome:
    """Upload the files the job binds, then write it as ``futures.pb`` under the prefix."""
    try:
        importlib.import_module("compiler.runtime.dynamic_job").publish_job_files(job, mover)
        data = job.SerializeToString(deterministic=True)
        storage.write_bytes(storage.join(request.output_prefix, FUTURES_FILE), data)
    except Exception as exc:
        return _write_error(request, exc, SYSTEM)
    return Outcome("futures", None)


def _run(request: ExecutionRequest, workdir: str) -> Outcome:
    try:
        resolver = import_object(request.resolver)
    except Exception as exc:  # the args name a resolver that is not installed: our side
        return _write_error(request, exc, SYSTEM)
    try:
        task = resolver.load_task(list(request.loader_args))
    except Exception as exc:  # the user's module failed to import, or has no such task
        return _write_error(request, exc, origin_of(exc))
    params = _parameters(request, task, workdir)
    try:
        inputs = _read_inputs(request.inputs)
        mover = BlobMover(workdir, request.raw_output_prefix)
        mover.localise_inputs(inputs, getattr(task, "name", ""))
    except Exception as exc:
        return _write_error(request, exc, SYSTEM)
    params.record_sources(mover.origins)
    _set_environment(task)
    # The compiler already refused pickled types unless --allow-pickle was given, so a task that
    # reaches its container with one was compiled with it: let the engine convert them.
    engine = default_engine()
    allowed, engine.allow_pickle = engine.allow_pickle, True
    try:
        with execution_scope(params):
            outputs = _dispatch(task, inputs)
    except Exception as exc:
        if _is_ignore_outputs(exc):
            return Outcome("ignored")
        _write_decks(params)
        return _write_error(request, exc, origin_of(exc))
    finally:
        engine.allow_pickle = allowed
        if params.has_checkpoint:
            params.checkpoint.cleanup()
    _write_decks(params)
    if outputs is None:  # a task type that chose to produce nothing
        return Outcome("ignored")
    if not isinstance(outputs, literals_pb2.LiteralMap):  # a dynamic task's DynamicJobSpec
        mover.adopt(params.sources)
        return _write_futures(request, outputs, mover)
    try:
        mover.adopt(params.sources)
        mover.publish_outputs(outputs, _output_types(task))
        data = outputs.SerializeToString(deterministic=True)
        storage.write_bytes(storage.join(request.output_prefix, OUTPUTS_FILE), data)
    except Exception as exc:
        return _write_error(request, exc, SYSTEM)
    return Outcome("outputs", None)


def run_request(request: ExecutionRequest) -> Outcome:
    """Execute one task and leave ``outputs.pb`` or ``error.pb`` (or nothing) behind."""
    workdir = tempfile.mkdtemp(prefix="compile-tasks-exec-")
    try:
        return _run(request, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
