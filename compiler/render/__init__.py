"""Canonical YAML renderings of compiled entities (used by the bundle writer and the goldens).

``render_task_spec(spec, facts)`` gives the text written to ``DIR/yaml/<stem>.yaml`` and stored
as a golden; ``parse_rendering(text)`` reads it back for the semantic diff.
"""

from compiler.render.entity import (
    HEADER,
    Rendering,
    message_to_canonical_dict,
    parse_rendering,
    render_message,
    render_task_spec,
)
from compiler.render.facts import FACTS_KEY, normalize_facts, plain_value
from compiler.render.yaml_text import dump_yaml, load_yaml

__all__ = [
    "FACTS_KEY",
    "HEADER",
    "Rendering",
    "dump_yaml",
    "load_yaml",
    "message_to_canonical_dict",
    "normalize_facts",
    "parse_rendering",
    "plain_value",
    "render_message",
    "render_task_spec",
]
