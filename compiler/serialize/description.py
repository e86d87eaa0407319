"""``TaskSpec.description`` from a task's documentation (WIRE-FORMAT 14)."""

from __future__ import annotations

from typing import Any

from flyteidl.admin import description_entity_pb2 as desc_pb2

from compiler.memo import cached

__all__ = ["build_description", "fill_description"]


@cached("serialize.description_bytes", maxsize=1024)
def _description_bytes(short_description: str | None, long_description: str | None) -> bytes:
    """The entity's wire bytes, memoised by text: many tasks share a docstring, or have none.

    ``long_description`` is present with the reST format whenever it is not ``None``, even
    without text: flytekit writes it for every function task described by its docstring alone
    (``""``), and leaves it out when ``docs=`` and the docstring both lack one (``None``).
    """
    entity = desc_pb2.DescriptionEntity()
    if short_description:
        entity.short_description = short_description
    if long_description is not None:
        entity.long_description.format = desc_pb2.DESCRIPTION_FORMAT_RST
    if long_description:
        entity.long_description.value = long_description
    return entity.SerializeToString(deterministic=True)


def fill_description(target: desc_pb2.DescriptionEntity, docs: Any) -> None:
    """Merge the description of ``docs`` (a ``compiler.sdk.Documentation``) into ``target``."""
    target.MergeFromString(_description_bytes(docs.short_description, docs.long_description))


def build_description(docs: Any) -> desc_pb2.DescriptionEntity:
    """The description entity of ``docs`` (a new message the caller may change)."""
    entity = desc_pb2.DescriptionEntity()
    fill_description(entity, docs)
    return entity
