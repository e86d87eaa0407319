"""Serialization: a task object and settings in, a ``flyteidl.admin.task_pb2.TaskSpec`` out.

``serialize_task`` is a pure function of its arguments (no environment reads, no global context)
and gives the same message for the same declaration; ``spec_bytes`` writes any message with
sorted map keys so that the bytes are reproducible too (WIRE-FORMAT 2.3 and 15). Parts many
tasks share (literal types, interfaces, metadata, descriptions) are memoised as wire bytes
keyed by their content, never as messages, so the output does not depend on what was
serialized before (``tests/serialize/test_shared_state.py``). ``task_spec_bytes`` gives
``spec_bytes(serialize_task(...))`` without building the message for the common task.
"""

from compiler.serialize.dynamic import compile_dynamic_job
from compiler.serialize.launch_plan import serialize_launch_plan
from compiler.serialize.task import serialize_task, task_spec_bytes
from compiler.serialize.wire import parse_task_spec, spec_bytes
from compiler.serialize.workflow import serialize_workflow

__all__ = [
    "compile_dynamic_job",
    "parse_task_spec",
    "serialize_launch_plan",
    "serialize_task",
    "serialize_workflow",
    "spec_bytes",
    "task_spec_bytes",
]
