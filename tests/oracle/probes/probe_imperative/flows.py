"""Probe imperative workflows: inputs, entities, outputs, sub-workflows, create_node."""

from __future__ import annotations

from compiler import Workflow, WorkflowFailurePolicy, create_node, workflow
from probe_imperative.tasks import announce, load, split_word, total

summing = Workflow(name="probe_imperative.flows.summing")
path = summing.add_workflow_input("path", str)
loaded = summing.add_entity(load, path=path)
summed = summing.add_entity(total, values=loaded.outputs["o0"])
summing.add_workflow_output("result", summed.outputs["o0"])
summing.add_workflow_output("both", [summed.o0, summed.o0], python_type=list[int])

outer = Workflow(
    name="probe_imperative.flows.outer",
    failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE,
)
word = outer.add_workflow_input("word", str)
first = outer.add_entity(announce)
parts = outer.add_entity(split_word, word=word)
first >> parts
inner = outer.add_entity(summing, path=parts.head)
outer.add_workflow_output("head", parts.outputs["head"])
outer.add_workflow_output("sum", inner.result, python_type=int)

empty = Workflow(name="probe_imperative.flows.empty")


@workflow
def with_nodes(path: str) -> int:
    node = create_node(load, path=path, limit=3)
    ping = create_node(announce)
    ping >> node
    return total(values=node.o0)


@workflow
def calls_imperative(path: str) -> int:
    result, _both = summing(path=path)
    return result


fan_in = Workflow(name="probe_imperative.flows.fan_in", interruptible=True)
left = fan_in.add_workflow_input("left", str)
right = fan_in.add_workflow_input("right", str)
sizes = {
    "left": fan_in.add_task(split_word, word=left).size,
    "right": fan_in.add_task(split_word, word=right).size,
}
fan_in.add_workflow_output("sizes", sizes, python_type=dict[str, int])
fan_in.add_workflow_output("all", fan_in.add_entity(total, values=list(sizes.values())).o0)
