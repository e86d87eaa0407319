"""Canonical YAML renderings of Flyte entities (tasks now; workflows and launch plans later).

A rendering is the message's JSON form (``MessageToDict`` with proto field names) in canonical
key order (:mod:`compiler.render.order`), without volatile fields, followed by a separate
``compile_tasks:`` section holding facts the message lacks (:mod:`compiler.render.facts`). The
same text is written next to the bundle and stored as a golden file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from flyteidl.admin import task_pb2
from google.protobuf.message import Message

from compiler.errors import GoldenError
from compiler.records import frozen_record
from compiler.render.facts import FACTS_KEY, normalize_facts
from compiler.render.order import canonical_dict
from compiler.render.yaml_text import dump_yaml, load_yaml

__all__ = [
    "HEADER",
    "Rendering",
    "message_to_canonical_dict",
    "parse_rendering",
    "render_message",
    "render_task_spec",
]

#: First lines of every rendering. Nothing version- or machine-specific goes here.
HEADER = (
    "# Canonical rendering written by compile-tasks; do not edit by hand.\n"
    "# metadata.runtime.version is omitted;"
    f" the '{FACTS_KEY}:' section is not part of the message.\n"
)


@frozen_record
class Rendering:
    """A parsed rendering: the message's canonical JSON form and the facts section.

    Attributes:
        body: The message as canonical plain data (what ``message_to_canonical_dict`` returns).
        facts: The ``compile_tasks:`` section (empty when there was none).
    """

    body: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)


def message_to_canonical_dict(message: Message) -> dict[str, Any]:
    """The JSON form of ``message`` in canonical order, without volatile fields."""
    return canonical_dict(message)


def render_message(message: Message, facts: Mapping[str, Any] | None = None) -> str:
    """Render any entity message (TaskSpec, WorkflowSpec, LaunchPlan, ...) as canonical YAML.

    Args:
        message: The protobuf message to render.
        facts: Facts the message lacks (source location, input defaults, ...), rendered in a
            separate top-level ``compile_tasks:`` section.

    Returns:
        The YAML text, identical for equal inputs on any machine and in any process.
    """
    body = message_to_canonical_dict(message)
    text = HEADER + dump_yaml(body)
    plain_facts = normalize_facts(facts)
    if plain_facts:
        text += "\n" + dump_yaml({FACTS_KEY: plain_facts})
    return text


def render_task_spec(spec: task_pb2.TaskSpec, facts: Mapping[str, Any] | None = None) -> str:
    """Render a ``TaskSpec`` as canonical YAML (see :func:`render_message`).

    Args:
        spec: The compiled task.
        facts: Optional facts, e.g. ``{"source": "shop/orders.py:41",
            "defaults": {"limit": 100}}``.

    Returns:
        The canonical YAML text.
    """
    return render_message(spec, facts)


def parse_rendering(text: str, *, origin: str = "<rendering>") -> Rendering:
    """Parse a rendering back into comparable data (``yaml.safe_load`` only).

    Args:
        text: The YAML text of a rendering.
        origin: A name for error messages (usually the file path).

    Returns:
        The message body and the facts section.

    Raises:
        GoldenError: CT610 when the text is not YAML or not a mapping.
    """
    try:
        data = load_yaml(text)
    except Exception as exc:  # yaml.YAMLError and friends: report, never crash
        raise GoldenError(
            f"{origin} is not valid YAML: {_first_line(str(exc))}",
            code="CT610",
            hint="regenerate the goldens with --update-goldens, or restore the file from git",
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise GoldenError(
            f"{origin} does not hold a mapping (found {type(data).__name__})",
            code="CT610",
            hint="regenerate the goldens with --update-goldens, or restore the file from git",
        )
    facts = data.pop(FACTS_KEY, None) or {}
    if not isinstance(facts, dict):
        facts = {"value": facts}
    return Rendering(body=data, facts=facts)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "parse error"
