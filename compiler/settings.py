"""The explicit inputs of a compile, besides the task itself.

Serialization is a function of ``(task, SerializationSettings)``: nothing below the CLI reads the
environment, argv or config files. The CLI builds one settings object and passes it down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any

from compiler.errors import ConfigError
from compiler.records import frozen_record

__all__ = [
    "DEFAULT_IMAGE_NAME",
    "ImageConfig",
    "SerializationSettings",
    "parse_image_specs",
]

DEFAULT_IMAGE_NAME = "default"


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@frozen_record
class ImageConfig:
    """The default image and named images a compile may refer to.

    Attributes:
        default_image: URI used for python tasks without ``container_image`` and for
            ``{{.image.default...}}`` templates. ``None`` means no default was given.
        images: Named images (``--image NAME=URI``), names lower-cased.
    """

    default_image: str | None = None
    images: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "images", _frozen({k.lower(): v for k, v in self.images.items()}))

    def lookup(self, name: str) -> str | None:
        """The URI of image ``name`` (case-insensitive; ``default`` is the default image)."""
        name = name.strip().lower()
        if name == DEFAULT_IMAGE_NAME and DEFAULT_IMAGE_NAME not in self.images:
            return self.default_image
        return self.images.get(name)

    @classmethod
    def from_specs(cls, specs: Iterable[str]) -> ImageConfig:
        """Build from ``--image`` values: ``URI`` (default) or ``NAME=URI``."""
        default, named = parse_image_specs(specs)
        return cls(default_image=default, images=named)


def parse_image_specs(specs: Iterable[str]) -> tuple[str | None, dict[str, str]]:
    """Split ``--image`` values into the default URI and named URIs.

    A value is ``NAME=URI`` when the part before the first ``=`` contains no ``/`` or ``:``
    (URIs never contain ``=`` before their registry part). ``default=URI`` sets the default.
    """
    default: str | None = None
    named: dict[str, str] = {}
    for spec in specs:
        spec = spec.strip()
        name, sep, uri = spec.partition("=")
        if sep and name and "/" not in name and ":" not in name:
            if not uri:
                raise ConfigError(
                    f"--image {spec!r} names an image but gives no URI",
                    code="CT801",
                    hint="write --image NAME=registry/repo:tag",
                )
            if name.lower() == DEFAULT_IMAGE_NAME:
                default = uri
            else:
                named[name.lower()] = uri
        else:
            if default is not None and default != spec:
                raise ConfigError(
                    f"two default images given: {default!r} and {spec!r}",
                    code="CT802",
                    hint="give one plain --image URI and name the others with --image NAME=URI",
                )
            default = spec
    return default, named


@frozen_record
class SerializationSettings:
    """Everything a compile depends on besides the task declarations.

    Attributes:
        image_config: Default and named images.
        env: Extra environment for every container; the task's own ``environment`` wins on a
            key clash, but the key keeps its first position.
        project: Written into ids only when set (empty lets flytectl fill it).
        domain: Likewise.
        version: Likewise.
        allow_pickle: Map unknown types to flytekit's pickle blob instead of failing.
        type_engine: The type engine to use; ``None`` means the default engine.
    """

    image_config: ImageConfig = field(default_factory=ImageConfig)
    env: Mapping[str, str] = field(default_factory=dict)
    project: str = ""
    domain: str = ""
    version: str = ""
    allow_pickle: bool = False
    type_engine: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "env", _frozen(self.env))

    @classmethod
    def for_image(cls, image: str | None = None, **kwargs: Any) -> SerializationSettings:
        """Shorthand: settings with one default image."""
        return cls(image_config=ImageConfig(default_image=image), **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly view (for manifests and ``--show-config``); keys in fixed order."""
        return {
            "image": self.image_config.default_image,
            "images": dict(sorted(self.image_config.images.items())),
            "env": dict(self.env),
            "project": self.project,
            "domain": self.domain,
            "version": self.version,
            "allow_pickle": self.allow_pickle,
        }
