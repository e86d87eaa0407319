"""Every ``ImageSpec`` a package's tasks use, with the name a compile registers for it.

``compile-tasks images PATH`` prints this list so that a CI job can build exactly the images the
bundle refers to, base images first. Nothing is built or probed here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from compiler.sdk.image_spec import ImageSpec, image_uri

__all__ = ["ImageEntry", "collect_images", "module_specs"]


@dataclass
class ImageEntry:
    """One image to build.

    Attributes:
        image: The full name with tag (what the tasks' containers run).
        spec: The spec (the first one seen with this name).
        tasks: The names of the tasks that run in it, sorted (empty: declared, unused).
        base: The image name of its base when the base is itself an ``ImageSpec``.
    """

    image: str
    spec: ImageSpec
    tasks: list[str] = field(default_factory=list)
    base: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: image, the tag's name parts, the spec's set fields, the tasks."""
        location = self.spec.location
        return {
            "image": self.image,
            "name": self.spec.name,
            "registry": self.spec.registry,
            "base": self.base,
            "builder": self.spec.builder,
            "spec": self.spec.to_dict(),
            "tasks": self.tasks,
            "defined_at": f"{_shown(location.file)}:{location.line}",
        }


def _shown(path: str) -> str:
    """A path relative to the working directory when it is below it (stable in CI logs)."""
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return path if relative.startswith("..") else relative


def _spec_of(task: Any) -> ImageSpec | None:
    for attr in ("container_image", "image"):
        value = getattr(task, attr, None)
        if isinstance(value, ImageSpec):
            return value
    return None


def module_specs(modules: Iterable[ModuleType]) -> list[ImageSpec]:
    """The module-level ``ImageSpec`` objects written in ``modules`` (not imported ones)."""
    found: list[ImageSpec] = []
    for module in modules:
        home = os.path.realpath(getattr(module, "__file__", None) or "")
        for value in vars(module).values():
            if isinstance(value, ImageSpec) and os.path.realpath(value.location.file) == home:
                found.append(value)
    return found


def collect_images(tasks: Iterable[Any], specs: Iterable[ImageSpec] = ()) -> list[ImageEntry]:
    """The images of ``tasks`` and of ``specs`` no task uses (with their ``ImageSpec`` bases),
    bases before the images built on them, otherwise sorted by image name.

    Raises:
        SerializationError: CT320 when a file a tag hashes cannot be read.
    """
    entries: dict[str, ImageEntry] = {}
    for spec in specs:
        _add(entries, spec)
    for task in tasks:
        spec = _spec_of(task)
        if spec is None:
            continue
        entry = _add(entries, spec)
        entry.tasks.append(task.name)
    for entry in entries.values():
        entry.tasks.sort()
    return _ordered(entries)


def _add(entries: dict[str, ImageEntry], spec: ImageSpec) -> ImageEntry:
    base = spec.base_image if isinstance(spec.base_image, ImageSpec) else None
    base_name = _add(entries, base).image if base is not None else None
    name = image_uri(spec)
    if name not in entries:
        entries[name] = ImageEntry(image=name, spec=spec, base=base_name)
    return entries[name]


def _ordered(entries: dict[str, ImageEntry]) -> list[ImageEntry]:
    done: list[ImageEntry] = []
    seen: set[str] = set()

    def visit(entry: ImageEntry) -> None:
        if entry.image in seen:
            return
        seen.add(entry.image)
        if entry.base is not None and entry.base in entries and entry.base != entry.image:
            visit(entries[entry.base])
        done.append(entry)

    for name in sorted(entries):
        visit(entries[name])
    return done
