"""Container images: the default image and ``{{.image.NAME.attr}}`` templates (WIRE-FORMAT 4.3)."""

from __future__ import annotations

import re

from compiler.errors import SerializationError
from compiler.records import frozen_record
from compiler.settings import ImageConfig

__all__ = ["ImageRef", "resolve_image", "task_image"]

# ``{{.image.NAME}}``, ``{{.image.NAME.fqn}}``, ``{{ .images.NAME.version }}`` (any case). The
# optional ``:`` before the template lets a digest turn ``:{{...version}}`` into ``@sha256:...``.
_TEMPLATE = re.compile(
    r"(?P<colon>:?)\{\{\s*\.images?\.(?P<name>[A-Za-z0-9_-]+)(?:\.(?P<attr>[A-Za-z0-9_]+))?\s*\}\}",
    re.IGNORECASE,
)


@frozen_record
class ImageRef:
    """An image URI split into repository (``fqn``), separator and version (tag or digest)."""

    fqn: str
    separator: str
    version: str

    @classmethod
    def parse(cls, uri: str) -> ImageRef:
        """Split at ``@`` for a digest, else at the last ``:`` not followed by a ``/``."""
        if "@" in uri:
            fqn, _, digest = uri.partition("@")
            return cls(fqn, "@", digest)
        fqn, sep, tag = uri.rpartition(":")
        if not sep or "/" in tag:
            return cls(uri, "", "")
        return cls(fqn, ":", tag)

    @property
    def full(self) -> str:
        return f"{self.fqn}{self.separator}{self.version}"


def resolve_image(spec: str, images: ImageConfig, *, what: str = "container_image") -> str:
    """Replace every image template in ``spec``; a spec without templates is returned as is.

    Args:
        spec: The image as written by the user.
        images: The default and named images of the compile.
        what: The option name, for error messages.

    Raises:
        SerializationError: CT302 for an unknown image name, an attribute other than ``fqn``
            and ``version``, or a ``version`` of an image that has neither tag nor digest.
    """
    return _TEMPLATE.sub(lambda m: _replace(m, images, spec, what), spec)


def _replace(match: re.Match[str], images: ImageConfig, spec: str, what: str) -> str:
    name, attr, colon = match["name"], (match["attr"] or "").lower(), match["colon"]
    uri = images.lookup(name)
    if uri is None:
        known = ", ".join(sorted({"default", *images.images})) if images.images else "default"
        raise _template_error(
            f"{what} {spec!r} refers to image {name!r}, which is not configured",
            f"pass --image {name.lower()}=URI (configured: {known})",
        )
    ref = ImageRef.parse(uri)
    if attr == "":
        return colon + ref.full
    if attr == "fqn":
        return colon + ref.fqn
    if attr == "version":
        if not ref.version:
            raise _template_error(
                f"{what} {spec!r} asks for the version of image {uri!r}, which has no tag",
                "give that image a tag or a digest",
            )
        return (ref.separator if colon else "") + ref.version
    raise _template_error(
        f"{what} {spec!r} uses image attribute {match['attr']!r}",
        "only {{.image.NAME}}, {{.image.NAME.fqn}} and {{.image.NAME.version}} exist",
    )


def _template_error(message: str, hint: str) -> SerializationError:
    return SerializationError(message, code="CT302", hint=hint, param_kind="option")


def task_image(container_image: str | None, images: ImageConfig) -> str:
    """The image of a python task: its own ``container_image`` (templated) or the default.

    Raises:
        SerializationError: CT301 when the task names no image and no default is configured.
    """
    if container_image:
        return resolve_image(container_image, images)
    if images.default_image is None:
        raise SerializationError(
            "no container image: the task sets no container_image and no default image is given",
            code="CT301",
            hint="pass --image registry/repo:tag (or set container_image= on the task)",
        )
    return images.default_image
