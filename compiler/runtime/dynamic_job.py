"""Running a ``@dynamic`` task in its container: compile the body, write ``futures.pb``.

As flytekit's entrypoint does: the inputs are converted to Python values, the body runs once
with them as a workflow body, and what it called is written under the output prefix as the
``DynamicJobSpec`` ``futures.pb`` (Flyte runs it next, then reads the outputs of its
bindings); a body that called nothing writes its outputs (``outputs.pb``) instead.

The settings of that compile come from the task's container environment: ``_F_SS_C`` (the
images and environment of the original compile) and the ids of the running execution that
Flyte sets (project and domain of the execution, version of the task), as flytekit reads them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flyteidl.core import dynamic_job_pb2, literals_pb2

from compiler.errors import ExecutionError
from compiler.runtime.blobs import BlobMover
from compiler.serialize import compile_dynamic_job
from compiler.settings import SerializationSettings
from compiler.workflow import (
    SERIALIZED_CONTEXT_ENV,
    DynamicTask,
    settings_from_transport,
)

__all__ = ["execute_task", "publish_job_files", "runtime_settings"]


def _first(env: Mapping[str, str], *names: str) -> str:
    return next((env[name] for name in names if env.get(name)), "")


def runtime_settings(env: Mapping[str, str] | None = None) -> SerializationSettings:
    """The settings a dynamic body is compiled with, read from the container environment.

    Raises:
        ExecutionError: CT753 when ``_F_SS_C`` is missing or unreadable.
    """
    env = os.environ if env is None else env
    transported = env.get(SERIALIZED_CONTEXT_ENV, "")
    if not transported:
        raise ExecutionError(
            f"the {SERIALIZED_CONTEXT_ENV} environment variable is not set",
            code="CT753",
            hint="a dynamic task carries it in its container environment: run it with the "
            "environment of its compiled TaskSpec (compile-tasks run does)",
        )
    settings = settings_from_transport(
        transported,
        project=_first(env, "FLYTE_INTERNAL_EXECUTION_PROJECT", "_F_PRJ"),
        domain=_first(env, "FLYTE_INTERNAL_EXECUTION_DOMAIN", "_F_DM"),
        version=_first(env, "FLYTE_INTERNAL_TASK_VERSION", "_F_TK_V"),
    )
    # The compile already refused pickled types unless they were allowed: the body's tasks
    # were compiled with them, so their templates may name them again here.
    return SerializationSettings(
        image_config=settings.image_config,
        env=settings.env,
        project=settings.project,
        domain=settings.domain,
        version=settings.version,
        allow_pickle=True,
    )


def execute_task(
    task: Any, inputs: literals_pb2.LiteralMap
) -> literals_pb2.LiteralMap | dynamic_job_pb2.DynamicJobSpec:
    """``task.dispatch_execute(inputs)``, or for a dynamic task the job its body builds."""
    if not isinstance(task, DynamicTask):
        return task.dispatch_execute(inputs)  # type: ignore[no-any-return]
    settings = runtime_settings()
    # An input the execution did not pass takes its Python default, as a task's function
    # does (flytekit would bind it as a promise of the node's input instead; Flyte always
    # passes every input, so only a run by hand, such as ``compile-tasks run``, differs).
    values = {**task.python_interface.defaults, **task.literals_to_inputs(inputs)}
    values = task.pre_execute(values)
    return compile_dynamic_job(task, values, settings)


def _binding_scalars(data: literals_pb2.BindingData) -> list[Any]:
    kind = data.WhichOneof("value")
    if kind == "scalar":
        return [data.scalar]
    if kind == "collection":
        return [s for item in data.collection.bindings for s in _binding_scalars(item)]
    if kind == "map":
        return [s for item in data.map.bindings.values() for s in _binding_scalars(item)]
    return []


def _node_scalars(node: Any) -> list[Any]:
    found = [s for binding in node.inputs for s in _binding_scalars(binding.binding)]
    if node.WhichOneof("target") == "branch_node":
        if_else = node.branch_node.if_else
        inner = [if_else.case.then_node, *(o.then_node for o in if_else.other)]
        if if_else.HasField("else_node"):
            inner.append(if_else.else_node)
        found += [s for child in inner for s in _node_scalars(child)]
    return found


def publish_job_files(job: dynamic_job_pb2.DynamicJobSpec, mover: BlobMover) -> None:
    """Upload the local files, directories and datasets the body bound as constants.

    A body may pass a file it wrote to a task it calls; the node runs elsewhere, so the file
    goes under the raw output prefix first, as a task's file outputs do.
    """
    scalars = [s for node in job.nodes for s in _node_scalars(node)]
    scalars += [s for binding in job.outputs for s in _binding_scalars(binding.binding)]
    for scalar in scalars:
        if scalar.WhichOneof("value") not in ("blob", "structured_dataset", "schema"):
            continue
        holder = literals_pb2.LiteralMap()
        holder.literals["value"].scalar.CopyFrom(scalar)
        mover.publish_outputs(holder)
        scalar.CopyFrom(holder.literals["value"].scalar)
