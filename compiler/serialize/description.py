"""``TaskSpec.description`` from a task's documentation (WIRE-FORMAT 14)."""

from __future__ import annotations

from typing import Any

from flyteidl.admin import description_entity_pb2 as desc_pb2

from compiler.memo import cached

__all__ = ["build_description", "description_bytes", "fill_description"]


@cached("serialize.description_bytes", maxsize=1024)
def _description_bytes(
    short_description: str | None, long_description: str | None, source_link: str | None = None
) -> bytes:
    """The entity's wire bytes, memoised by text: many tasks share a docstring, or have none.

    ``long_description`` ``""`` is present with the reST format and no text: that is what
    flytekit writes for every function task without ``docs=``, documented or not; ``None``
    (``docs=`` given without a long description, and none in the docstring) writes none.
    """
    entity = desc_pb2.DescriptionEntity()
    if short_description:
        entity.short_description = short_description
    if long_description is not None:
        entity.long_description.format = desc_pb2.DESCRIPTION_FORMAT_RST
    if long_description:
        entity.long_description.value = long_description
    if source_link is not None:
        entity.source_code.link = source_link
    return entity.SerializeToString(deterministic=True)


def description_bytes(docs: Any) -> bytes:
    """The wire bytes of the description of ``docs`` (a ``compiler.sdk.Documentation``)."""
    source = getattr(docs, "source_code", None)
    link = None if source is None else (source.link or "")
    return _description_bytes(docs.short_description, docs.long_description, link)


def fill_description(target: desc_pb2.DescriptionEntity, docs: Any) -> None:
    """Merge the description of ``docs`` (a ``compiler.sdk.Documentation``) into ``target``."""
    target.SetInParent()  # flytekit writes the entity even when it is empty
    target.MergeFromString(description_bytes(docs))


def build_description(docs: Any) -> desc_pb2.DescriptionEntity:
    """The description entity of ``docs`` (a new message the caller may change)."""
    entity = desc_pb2.DescriptionEntity()
    fill_description(entity, docs)
    return entity
