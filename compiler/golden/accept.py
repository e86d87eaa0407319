"""Acknowledged breaking changes: a team accepts one deliberately, entity by entity.

The configuration key ``accept_breaking`` (``compile-tasks.yaml`` or ``[tool.compile-tasks]``)
lists entries ``{entity: NAME, rule: RULE}`` (optionally ``reason: TEXT``). A breaking change of
that entity under that rule is then marked *accepted*: the reports show it as accepted, and
``--fail-on-breaking`` does not fail on it. ``rule: "*"`` accepts every breaking change of the
entity. Unknown rules are refused, so a typo cannot silently accept nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from compiler.errors import ConfigError
from compiler.golden.model import EntityDiff
from compiler.records import frozen_record

__all__ = ["BREAKING_RULES", "AcceptedChange", "accept_snippet", "apply_accepted", "parse_accepted"]

#: Every rule that makes a change breaking, with what it means (docs/golden.md lists them).
BREAKING_RULES: dict[str, str] = {
    "removed": "the task, workflow or launch plan was removed",
    "renamed": "the entity was renamed",
    "input-removed": "an input was removed",
    "input-renamed": "an input was renamed",
    "input-retyped": "an input's type changed",
    "input-required": "a new input has no default (callers must pass it)",
    "input-default-removed": "an input lost its default",
    "output-removed": "an output was removed",
    "output-renamed": "an output was renamed",
    "output-retyped": "an output's type changed",
    "fixed-input-added": "a launch plan fixes an input callers may pass (behavioural)",
    "fixed-input-changed": "a launch plan's fixed input has another value (behavioural)",
    "schedule-removed": "a launch plan's schedule was removed (behavioural)",
    "workflow-changed": "a launch plan launches another workflow (behavioural)",
}
ANY_RULE = "*"


@frozen_record
class AcceptedChange:
    """One acknowledged breaking change: the entity name and the rule (``*``: all rules)."""

    entity: str
    rule: str
    reason: str = ""

    def matches(self, entity: str, rule: str) -> bool:
        """True when this entry accepts ``rule`` on ``entity``."""
        return self.entity == entity and self.rule in (rule, ANY_RULE)


def _bad(source: str, index: int, what: str, hint: str) -> ConfigError:
    return ConfigError(
        f"accept_breaking entry {index + 1} in {source}: {what}",
        code="CT605",
        hint=hint,
    )


def parse_accepted(value: Any, source: str) -> tuple[AcceptedChange, ...]:
    """Read the ``accept_breaking`` list of a configuration source.

    Raises:
        ConfigError: CT605 when it is not a list of ``{entity, rule}`` mappings with a known rule.
    """
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _bad(
            source, -1, "is not a list", "write accept_breaking: [{entity: NAME, rule: RULE}]"
        )
    entries = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) - {"entity", "rule", "reason"}:
            raise _bad(
                source,
                index,
                f"{item!r} is not a mapping of entity, rule (and reason)",
                "write - {entity: shop.orders.load, rule: input-removed}",
            )
        entity, rule = item.get("entity"), item.get("rule")
        if not isinstance(entity, str) or not entity.strip():
            raise _bad(
                source,
                index,
                "has no entity name",
                "add entity: <task, workflow or launch plan name>",
            )
        if rule != ANY_RULE and rule not in BREAKING_RULES:
            close = difflib.get_close_matches(str(rule), list(BREAKING_RULES), n=1)
            guess = f"did you mean '{close[0]}'? " if close else ""
            raise _bad(
                source,
                index,
                f"unknown rule {rule!r}",
                guess + "rules: " + ", ".join(BREAKING_RULES) + " (or '*')",
            )
        entries.append(AcceptedChange(entity.strip(), str(rule), str(item.get("reason") or "")))
    return tuple(entries)


def apply_accepted(
    entities: Iterable[EntityDiff], accepted: Sequence[AcceptedChange]
) -> tuple[EntityDiff, ...]:
    """The entities with every breaking change that ``accepted`` lists marked accepted."""
    if not accepted:
        return tuple(entities)
    out = []
    for entity in entities:
        names = {entity.name, *([entity.renamed_from] if entity.renamed_from else [])}
        changes = tuple(
            replace(change, accepted=True)
            if change.rule and any(a.matches(n, change.rule) for a in accepted for n in names)
            else change
            for change in entity.changes
        )
        out.append(replace(entity, changes=changes))
    return tuple(out)


def accept_snippet(entities: Iterable[EntityDiff]) -> str:
    """The ``accept_breaking:`` YAML that accepts every breaking change still open."""
    lines = []
    for entity in entities:
        for change in entity.changes:
            if change.breaking and change.rule:
                line = f"  - {{entity: {entity.name}, rule: {change.rule}}}"
                if line not in lines:
                    lines.append(line)
    return "accept_breaking:\n" + "\n".join(lines) + "\n" if lines else ""
