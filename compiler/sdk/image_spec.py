"""``ImageSpec``: an image described by its contents, named by a hash of that description.

A compile never builds, pushes or probes an image: it turns the spec into the name and tag that
flytekit 1.16 registers for it (``registry/name:tag``), so that a CI job can build exactly those
images (``compile-tasks images PATH``). The tag is flytekit's hash, computed the same way:

* the spec's set fields, in declaration order, without ``pip_secret_mounts``, ``builder``,
  ``runtime_packages`` and ``registry_config``, printed as a Python dict, MD5, URL-safe base64
  without padding, ``-`` replaced by ``_``, then put into ``tag_format`` when there is one;
* a base image that is itself an ``ImageSpec`` enters as its full image name;
* ``requirements`` enters as the SHA-1 of the file's stripped bytes, ``copy`` as the MD5 of
  the listed files (contents and relative paths), both read at compile time.

Where flytekit folds in facts a compile cannot know (the Python files a ``pyflyte`` process has
loaded, ``.gitignore`` rules) our tag uses a content hash instead; ``docs/images.md`` lists
every difference. Relative paths (``requirements``, ``copy``, ``source_root``) are read from the
source root of the module that created the spec (the folder its top-level package is in), which
is the folder ``pyflyte`` runs in.
"""

from __future__ import annotations

import base64
import copy as copy_module
import dataclasses
import enum
import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Any

from compiler.errors import DefinitionError, SerializationError, SourceLocation
from compiler.proto import task_image
from compiler.sdk.image_files import requirements_digest, tree_digest
from compiler.sdk.location import caller_frame
from compiler.settings import ImageConfig

__all__ = [
    "CopyFileDetection",
    "ImageSpec",
    "image_uri",
    "runtime_packages_env",
    "source_root_of",
]

#: The environment variable flytekit sets to the spec's ``runtime_packages``.
RUNTIME_PACKAGES_ENV = "_F_RUNTIME_PACKAGES"

_REGISTRY = re.compile(r"^(localhost:\d{1,5}|([a-z\d\._-]+)(:\d{1,5})?)(/[\w\.-]+)*$")
_STRING_LISTS = (
    "packages",
    "conda_channels",
    "conda_packages",
    "apt_packages",
    "pip_extra_index_url",
    "entrypoint",
    "commands",
    "runtime_packages",
)
# Fields that never change the image (flytekit leaves them out of the hash).
_NOT_HASHED = frozenset({"pip_secret_mounts", "builder", "runtime_packages"})
_LIBRARY_FRAMES = frozenset({"dataclasses", "copy"})


class CopyFileDetection(enum.Enum):
    """Which source files go into the image (flytekit's ``flytekit.constants`` names)."""

    LOADED_MODULES = 1
    ALL = 2
    NO_COPY = 3


def _spec_error(spec: ImageSpec, message: str, param: str, hint: str) -> DefinitionError:
    return DefinitionError(
        f"ImageSpec {spec.name!r}: {message}",
        code="CT180",
        location=spec._location,
        param=param,
        param_kind="option",
        hint=hint,
    )


@dataclasses.dataclass
class ImageSpec:
    """An image to build, named by a hash of its description (flytekit's fields, same order).

    Args:
        name: Image name (lower-cased). registry: Where it is pushed (lower-cased), e.g.
        ``ghcr.io/acme``. python_version, base_image (a URI or another ``ImageSpec``),
        packages, requirements (a file), apt_packages, conda_packages, conda_channels, cuda,
        cudnn, env, commands, entrypoint, platform (``linux/amd64`` by default), pip_index,
        pip_extra_index_url, pip_secret_mounts, pip_extra_args, registry_config,
        tag_format (``"{spec_hash}-dev"``), source_root, source_copy_mode, copy,
        python_exec, runtime_packages, builder, builder_options, builder_config: as flytekit.

    Raises:
        DefinitionError: CT180 for a field of the wrong shape or a bad registry name.
    """

    name: str = "flytekit"
    python_version: str | None = None
    builder: str | None = None
    source_root: str | None = None
    env: dict[str, str] | None = None
    registry: str | None = None
    packages: list[str] | None = None
    conda_packages: list[str] | None = None
    conda_channels: list[str] | None = None
    requirements: str | None = None
    apt_packages: list[str] | None = None
    cuda: str | None = None
    cudnn: str | None = None
    base_image: str | ImageSpec | None = None
    platform: str | None = None
    pip_index: str | None = None
    pip_extra_index_url: list[str] | None = None
    pip_secret_mounts: list[tuple[str, str]] | None = None
    pip_extra_args: str | None = None
    registry_config: str | None = None
    entrypoint: list[str] | None = None
    commands: list[str] | None = None
    tag_format: str | None = None
    source_copy_mode: CopyFileDetection | None = None
    copy: list[str] | None = None
    python_exec: str | None = None
    runtime_packages: list[str] | None = None
    builder_options: dict[str, Any] | None = None
    builder_config: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        location, module = _spec_caller(self)
        self._location = location or SourceLocation("<unknown>")
        self._root = source_root_of(location, module)
        if not isinstance(self.name, str) or not self.name:
            raise _spec_error(self, "name must be a non-empty string", "name", "write name='app'")
        self.name = self.name.lower()
        if self.registry:
            self.registry = self.registry.lower()
            if not _REGISTRY.match(self.registry):
                raise _spec_error(
                    self,
                    f"registry {self.registry!r} is not a registry name",
                    "registry",
                    "write 'ghcr.io/user', 'docker.io/user' or 'localhost:30000'",
                )
        if self.platform is None:
            self.platform = "linux/amd64"
        if self.source_root is not None:
            self.source_copy_mode = self.source_copy_mode or CopyFileDetection.LOADED_MODULES
        if self.builder is None:
            self.builder = "default"
        self._check_shapes()

    def _check_shapes(self) -> None:
        for field in _STRING_LISTS:
            value = getattr(self, field)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            ):
                raise _spec_error(
                    self, f"{field} must be a list of strings", field, f"write {field}=['...']"
                )
        mounts = self.pip_secret_mounts
        if mounts is not None and not (
            isinstance(mounts, list)
            and all(
                isinstance(m, tuple) and len(m) == 2 and all(isinstance(p, str) for p in m)
                for m in mounts
            )
        ):
            raise _spec_error(
                self,
                "pip_secret_mounts must be a list of (source, mount path) string pairs",
                "pip_secret_mounts",
                "write pip_secret_mounts=[('.netrc', '/root/.netrc')]",
            )
        for field in ("env", "builder_options", "builder_config"):
            if getattr(self, field) is not None and not isinstance(getattr(self, field), dict):
                raise _spec_error(self, f"{field} must be a dict", field, f"write {field}={{}}")
        if self.source_copy_mode is not None and not isinstance(
            self.source_copy_mode, CopyFileDetection
        ):
            raise _spec_error(
                self,
                f"source_copy_mode must be a CopyFileDetection, got {self.source_copy_mode!r}",
                "source_copy_mode",
                "write source_copy_mode=CopyFileDetection.NO_COPY",
            )
        if self.base_image is not None and not isinstance(self.base_image, (str, ImageSpec)):
            raise _spec_error(
                self,
                f"base_image must be an image URI or an ImageSpec, got {self.base_image!r}",
                "base_image",
                "write base_image='python:3.11-slim'",
            )

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def location(self) -> SourceLocation:
        """Where the spec was written."""
        return self._location

    @property
    def id(self) -> str:
        """flytekit's identity of the spec: the hash of its set fields, files not read."""
        return _digest(_hashed_fields(self, nested=True))

    @property
    def tag(self) -> str:
        """The image tag flytekit computes (files read relative to the spec's source root)."""
        return self.tag_under(self._root)

    def tag_under(self, root: Path | None) -> str:
        """The tag, with relative paths read from ``root``."""
        return _tag(self, root)

    def image_name(self) -> str:
        """``registry/name:tag`` (no registry part when ``registry`` is unset)."""
        return image_uri(self)

    def _extended(self, field: str, values: Any) -> ImageSpec:
        current = copy_module.deepcopy(getattr(self, field))
        if isinstance(values, dict):
            merged: Any = {**(current or {}), **values}
        else:
            merged = [*(current or []), *([values] if isinstance(values, str) else values)]
        derived = dataclasses.replace(self, **{field: merged})
        derived._location, derived._root = self._location, self._root
        return derived

    def with_commands(self, commands: str | list[str]) -> ImageSpec:
        """A copy with more build commands."""
        return self._extended("commands", commands)

    def with_packages(self, packages: str | list[str]) -> ImageSpec:
        """A copy with more Python packages."""
        return self._extended("packages", packages)

    def with_apt_packages(self, apt_packages: str | list[str]) -> ImageSpec:
        """A copy with more apt packages."""
        return self._extended("apt_packages", apt_packages)

    def with_copy(self, src: str | list[str]) -> ImageSpec:
        """A copy with more files copied into the image."""
        return self._extended("copy", src)

    def with_runtime_packages(self, runtime_packages: list[str]) -> ImageSpec:
        """A copy with more packages installed when the task starts."""
        return self._extended("runtime_packages", runtime_packages)

    def with_builder_options(self, builder_options: dict[str, Any]) -> ImageSpec:
        """A copy with more builder options."""
        return self._extended("builder_options", builder_options)

    def force_push(self) -> ImageSpec:
        """flytekit pushes again even when the image exists; a compile builds nothing."""
        return copy_module.deepcopy(self)

    def is_container(self) -> bool:
        """Whether this process runs in an image built from this spec (always, locally)."""
        running = os.environ.get("_F_IMG_ID")
        return running is None or running == self.id

    def to_dict(self) -> dict[str, Any]:
        """The set fields, in declaration order (a base ``ImageSpec`` as its image name)."""
        found: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is None:
                continue
            if isinstance(value, ImageSpec):
                value = value.image_name()
            elif isinstance(value, CopyFileDetection):
                value = value.name
            elif field.name == "pip_secret_mounts":
                value = [list(pair) for pair in value]
            found[field.name] = copy_module.deepcopy(value)
        return found

    @classmethod
    def from_env(cls, *, pinned_packages: list[str] | None = None, **kwargs: Any) -> ImageSpec:
        """A spec with this interpreter's Python version and pinned installed packages."""
        from importlib.metadata import version

        if kwargs.get("python_version") is not None:
            raise DefinitionError(
                "ImageSpec.from_env takes the Python version from the environment",
                code="CT180",
                param="python_version",
                param_kind="option",
                hint="leave python_version out",
            )
        kwargs.pop("python_version", None)
        packages = list(kwargs.pop("packages", None) or [])
        packages += [f"{name}=={version(name)}" for name in pinned_packages or []]
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        return cls(packages=packages, python_version=python, **kwargs)


def _spec_caller(spec: ImageSpec) -> tuple[SourceLocation | None, str]:
    """Where the user wrote the spec: past our frames, ``dataclasses.replace`` and ``copy``."""
    frame = caller_frame(spec)
    while frame is not None and frame.f_globals.get("__name__") in _LIBRARY_FRAMES:
        frame = frame.f_back
    if frame is None:
        return None, ""
    location = SourceLocation(frame.f_code.co_filename, frame.f_lineno)
    return location, frame.f_globals.get("__name__", "")


def source_root_of(location: SourceLocation | None, module: str) -> Path | None:
    """The folder the top-level package of ``module`` is in (where ``pyflyte`` runs)."""
    if location is None or not module or location.file.startswith("<"):
        return None
    path = Path(location.file).resolve()
    depth = module.count(".") + (1 if path.name == "__init__.py" else 0)
    parents = path.parents
    return parents[depth] if depth < len(parents) else None


def _hashed_fields(spec: ImageSpec, *, nested: bool) -> dict[str, Any]:
    """The set fields flytekit hashes, in declaration order, deep-copied."""
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(spec):
        value = getattr(spec, field.name)
        if value is None or field.name in _NOT_HASHED:
            continue
        if isinstance(value, ImageSpec):
            value = _hashed_fields(value, nested=True) if nested else image_uri(value)
        fields[field.name] = copy_module.deepcopy(value)
    return fields


def _digest(fields: dict[str, Any]) -> str:
    """MD5 of the dict's printed form, URL-safe base64 without padding (as flytekit)."""
    raw = hashlib.md5(str(fields).encode("utf-8")).digest()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _tag(spec: ImageSpec, root: Path | None) -> str:
    fields = _hashed_fields(spec, nested=False)
    mode = spec.source_copy_mode
    if mode is not None and mode is not CopyFileDetection.NO_COPY:
        if not spec.source_root:
            raise _file_error(spec, "source_root", "copying source files needs a source_root")
        fields["source_root"] = tree_digest(
            [_resolve(spec, root, spec.source_root, "source_root")], whole_tree=True
        )
    if spec.copy:
        fields["copy"] = tree_digest([_resolve(spec, root, p, "copy") for p in spec.copy])
    if spec.requirements:
        path = _resolve(spec, root, spec.requirements, "requirements")
        try:
            fields["requirements"] = requirements_digest(path)
        except OSError as err:
            raise _file_error(spec, "requirements", f"cannot read {path}: {err.strerror}") from None
    fields.pop("registry_config", None)
    tag = _digest(fields).replace("-", "_")
    return spec.tag_format.format(spec_hash=tag) if spec.tag_format else tag


def image_uri(spec: ImageSpec, root: Path | None = None) -> str:
    """The full image name of ``spec``: ``registry/name:tag``.

    Args:
        spec: The image spec.
        root: Where relative paths are read (``None``: the spec's own source root).

    Raises:
        SerializationError: CT320 when a file the tag hashes cannot be read.
    """
    root = root if root is not None else spec._root
    if spec.builder == "noop":
        return _noop_image(spec, root)
    name = f"{spec.name}:{spec.tag_under(root)}"
    return f"{spec.registry}/{name}" if spec.registry else name


def _noop_image(spec: ImageSpec, root: Path | None) -> str:
    """The ``noop`` builder builds nothing: the task runs in the base image as it is."""
    base = spec.base_image
    if isinstance(base, ImageSpec):
        return image_uri(base, root)
    if not base:
        raise SerializationError(
            f"ImageSpec {spec.name!r} uses builder='noop' without a base_image",
            code="CT320",
            location=spec._location,
            param="base_image",
            param_kind="option",
            hint="the noop builder runs the base image unchanged: give base_image='repo:tag'",
        )
    return base


def task_image_name(image: str | ImageSpec | None, image_config: ImageConfig) -> str:
    """The image a python task runs in: an ``ImageSpec``'s name, or the image (a template such
    as ``{{.image.gpu.fqn}}:tag``, or ``None`` for the default) resolved against the settings."""
    if isinstance(image, ImageSpec):
        return image_uri(image)
    return task_image(image, image_config)


def runtime_packages_env(image: Any) -> dict[str, str]:
    """``{"_F_RUNTIME_PACKAGES": "a b"}`` for a spec with runtime packages, else ``{}``."""
    if isinstance(image, ImageSpec) and image.runtime_packages:
        return {RUNTIME_PACKAGES_ENV: " ".join(image.runtime_packages)}
    return {}


def _resolve(spec: ImageSpec, root: Path | None, raw: str, field: str) -> Path:
    path = Path(raw)
    if not path.is_absolute():
        if root is None:
            raise _file_error(spec, field, f"cannot tell where the relative path {raw!r} is")
        path = root / path
    if not path.exists():
        raise _file_error(spec, field, f"{field} {raw!r} does not exist (looked at {path})")
    return path


def _file_error(spec: ImageSpec, field: str, message: str) -> SerializationError:
    return SerializationError(
        f"ImageSpec {spec.name!r}: {message}; its tag hashes that file's contents",
        code="CT320",
        location=spec._location,
        param=field,
        param_kind="option",
        hint="paths are relative to the folder of the package's top-level directory "
        "(where pyflyte runs); fix the path or create the file",
    )
