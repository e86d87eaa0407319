"""The on-disk layout of a golden directory and of the bundle parts it mirrors.

A golden directory holds exactly:

* ``<stem>.yaml`` for every entity of the bundle: the canonical rendering, byte for byte the
  bundle's ``yaml/<stem>.yaml`` (``stem`` is the ``.pb`` file name without ``.pb``);
* ``checksums.sha256``: ``<sha256>  <stem>.pb`` per binary file, sorted by name, in the format
  ``sha256sum --check`` reads (run it inside a bundle directory);
* optionally an empty ``.gitkeep``.

Nothing else: anything else (sub-directories, symlinks, other files) is refused with CT611/CT612,
so a golden directory can never smuggle in content that the check would silently ignore.
YAML is read with ``safe_load`` only, and files with anchors or aliases are refused (renderings
never contain them; a file that does was not written by us).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import yaml

from compiler.errors import GoldenError
from compiler.idl import EntityKind
from compiler.records import frozen_record
from compiler.render import Rendering, parse_rendering

__all__ = [
    "CHECKSUMS_FILE",
    "MAX_FILE_BYTES",
    "EntityFile",
    "GoldenSet",
    "entity_kind",
    "format_checksums",
    "read_bundle",
    "read_golden_dir",
]

CHECKSUMS_FILE = "checksums.sha256"
ALLOWED_EXTRA = frozenset({".gitkeep"})
#: A rendering is a few kilobytes; anything this large was not written by us.
MAX_FILE_BYTES = 8 * 1024 * 1024
_STEM_RE = re.compile(
    r"^[^/\x00]+(?:" + "|".join(re.escape(kind.stem_suffix) for kind in EntityKind) + r")$"
)
_CHECKSUM_LINE = re.compile(r"^([0-9a-f]{64})  ([^/\x00]+\.pb)$")
_HINT_CORRUPT = "restore the golden directory from version control, or regenerate it"


@frozen_record
class EntityFile:
    """One entity as stored: its rendering text, parsed form and ``.pb`` checksum."""

    stem: str
    text: str
    rendering: Rendering
    checksum: str | None = None
    declared_at: str | None = None

    @property
    def source(self) -> str | None:
        """``file:line`` of the declaration: the bundle manifest's, else the rendering's facts."""
        if self.declared_at:
            return self.declared_at
        source = self.rendering.facts.get("source")
        return str(source) if source else None

    @property
    def key(self) -> tuple[str, str]:
        """``(kind, name)``: how the two sides of a comparison are matched."""
        return self.kind, self.name

    @property
    def name(self) -> str:
        """``id.name`` of the entity (``template.id.name`` for tasks and workflows)."""
        body = self.rendering.body
        holder = body.get("template") if isinstance(body.get("template"), dict) else body
        ident = holder.get("id") if isinstance(holder, dict) else None
        name = ident.get("name") if isinstance(ident, dict) else None
        return str(name) if name else self.stem

    @property
    def kind(self) -> str:
        """``task``, ``workflow`` or ``launch plan`` (from the file-name suffix)."""
        return entity_kind(self.stem)


@frozen_record
class GoldenSet:
    """All entities of one side of a comparison, keyed by stem (sorted)."""

    entities: dict[str, EntityFile]
    checksums: dict[str, str]
    from_pb: bool = False


def entity_kind(stem: str) -> str:
    """The entity kind of a file stem (``..._1`` -> ``task``)."""
    kind = EntityKind.of_stem(stem)
    return kind.noun if kind is not None else "entity"


def format_checksums(checksums: dict[str, str]) -> str:
    """The text of ``checksums.sha256`` for ``{file name: sha256}`` (sorted by name)."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(checksums.items()))


def read_golden_dir(golden_dir: Path) -> GoldenSet:
    """Read and validate a golden directory.

    Raises:
        GoldenError: CT601 missing, CT602 not a directory, CT611 foreign entry, CT612 symlink,
            CT613 malformed checksums, CT610/CT614 unreadable rendering.
    """
    if not golden_dir.exists() and not golden_dir.is_symlink():
        raise GoldenError(
            f"golden directory '{golden_dir}' does not exist",
            code="CT601",
            hint="create it with --update-goldens",
        )
    if not golden_dir.is_dir():
        raise GoldenError(
            f"golden path '{golden_dir}' is not a directory",
            code="CT602",
            hint="point --golden at a directory",
        )
    texts: dict[str, str] = {}
    checksums: dict[str, str] = {}
    for entry in sorted(golden_dir.iterdir(), key=lambda p: p.name):
        _refuse_unsafe(entry)
        if entry.name in ALLOWED_EXTRA and entry.is_file():
            continue
        if entry.name == CHECKSUMS_FILE and entry.is_file():
            checksums = _parse_checksums(_read_text(entry), entry)
            continue
        stem = entry.name.removesuffix(".yaml")
        if entry.is_file() and entry.name.endswith(".yaml") and _STEM_RE.match(stem):
            texts[stem] = _read_text(entry)
            continue
        raise GoldenError(
            f"'{entry}' does not belong in a golden directory",
            code="CT611",
            hint=f"a golden directory holds only <stem>_N.yaml files and {CHECKSUMS_FILE}; "
            "move other files elsewhere",
        )
    orphans = sorted(name for name in checksums if name.removesuffix(".pb") not in texts)
    if orphans:
        raise GoldenError(
            f"{golden_dir / CHECKSUMS_FILE} lists {orphans[0]} but there is no "
            f"{orphans[0].removesuffix('.pb')}.yaml",
            code="CT613",
            hint=_HINT_CORRUPT,
        )
    entities = {
        stem: _entity(stem, text, golden_dir / f"{stem}.yaml", checksums.get(f"{stem}.pb"))
        for stem, text in texts.items()
    }
    return GoldenSet(entities=entities, checksums=checksums)


def read_bundle(bundle_dir: Path) -> GoldenSet:
    """Read the renderings (``yaml/<stem>.yaml``) and ``.pb`` checksums of a bundle directory.

    Raises:
        GoldenError: CT620 when the bundle has no ``yaml/`` renderings directory.
    """
    yaml_dir = bundle_dir / "yaml"
    if not yaml_dir.is_dir():
        raise GoldenError(
            f"bundle '{bundle_dir}' has no yaml/ renderings",
            code="CT620",
            hint="compile with --render (or a golden option), which writes yaml/ renderings; "
            "a bundle has them only when asked for",
        )
    checksums = {
        pb.name: hashlib.sha256(pb.read_bytes()).hexdigest()
        for pb in sorted(bundle_dir.glob("*.pb"))
        if pb.is_file() and not pb.is_symlink()
    }
    entities: dict[str, EntityFile] = {}
    sources = _manifest_sources(bundle_dir)
    for path in sorted(yaml_dir.glob("*.yaml")):
        _refuse_unsafe(path)
        if not path.is_file():  # a FIFO or device would block or never end
            raise GoldenError(
                f"'{path}' is not a regular file",
                code="CT611",
                hint="recompile the bundle with --out; it holds only regular files",
            )
        stem = path.name.removesuffix(".yaml")
        entity = _entity(stem, _read_text(path), path, checksums.get(f"{stem}.pb"))
        entities[stem] = replace(entity, declared_at=sources.get(stem))
    return GoldenSet(entities=entities, checksums=checksums)


def _manifest_sources(bundle_dir: Path) -> dict[str, str]:
    """``{stem: file:line}`` from the bundle's ``manifest.json`` (empty when unreadable)."""
    try:
        data = json.loads((bundle_dir / "manifest.json").read_text(encoding="utf-8"))
        rows = data["entities"]
        return {
            str(row["file"]).removesuffix(".pb"): str(row["source"])
            for row in rows
            if isinstance(row, dict) and row.get("source") and row.get("file")
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _entity(stem: str, text: str, path: Path, checksum: str | None) -> EntityFile:
    _refuse_aliases(text, path)
    return EntityFile(stem, text, parse_rendering(text, origin=str(path)), checksum)


def _refuse_unsafe(entry: Path) -> None:
    if entry.is_symlink():
        raise GoldenError(
            f"'{entry}' is a symbolic link",
            code="CT612",
            hint="golden files must be regular files; replace the link by the file it points to",
        )


def _read_text(path: Path) -> str:
    """The UTF-8 text of a golden or rendering file.

    Raises:
        GoldenError: CT614 when it is too large, CT610 when it cannot be read or is not UTF-8.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise GoldenError(
                f"'{path}' is {size} bytes, more than a rendering can be ({MAX_FILE_BYTES})",
                code="CT614",
                hint=_HINT_CORRUPT,
            )
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GoldenError(f"'{path}' is not UTF-8 text", code="CT610", hint=_HINT_CORRUPT) from exc
    except OSError as exc:
        raise GoldenError(
            f"'{path}' cannot be read ({exc.strerror or type(exc).__name__})",
            code="CT610",
            hint="make the file readable by the user running compile-tasks (check its "
            "permissions and owner), or regenerate the goldens",
        ) from exc


def _refuse_aliases(text: str, path: Path) -> None:
    """Refuse anchors, aliases and explicit tags before the text is parsed.

    Renderings never use them. Anchors and aliases could make an alias bomb (CT614); a tag
    (``!!binary``, ``!!set``, ``!!timestamp``, ``!!python/...``, ``!local``) would make the
    safe loader build bytes, sets or dates, or fail with an unhelpful error, so any tag marks
    the file as corrupt (CT610) whichever the loader would have done with it.
    """
    if "&" not in text and "*" not in text and "!" not in text:
        return
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return  # parse_rendering reports the syntax error with a better message
    if any(isinstance(t, yaml.AnchorToken | yaml.AliasToken) for t in tokens):
        raise GoldenError(
            f"'{path}' uses YAML anchors or aliases, which renderings never contain",
            code="CT614",
            hint=_HINT_CORRUPT,
        )
    tags = [t for t in tokens if isinstance(t, yaml.TagToken)]
    if tags:
        handle, suffix = tags[0].value
        raise GoldenError(
            f"'{path}' is not valid YAML for a rendering: it uses the tag "
            f"'{(handle or '')}{suffix}' (line {tags[0].start_mark.line + 1}), "
            "which renderings never contain",
            code="CT610",
            hint=_HINT_CORRUPT,
        )


def _parse_checksums(text: str, path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _CHECKSUM_LINE.match(line)
        if not match:
            raise GoldenError(
                f"{path}:{number}: not a '<sha256>  <name>.pb' line",
                code="CT613",
                hint=_HINT_CORRUPT,
            )
        out[match.group(2)] = match.group(1)
    return out
