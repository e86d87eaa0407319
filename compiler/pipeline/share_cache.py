"""A worker's side of the compile cache: replaying reused modules, storing fresh ones.

:class:`ShareCache` is all a worker of ``compiler.pipeline.workers`` sees of the cache: which
modules of its share are reused (and what they produced) and which are imported, the recorder
that watches the latter, and storing them afterwards (:class:`StoreFresh`). The entries
themselves are ``compiler.pipeline.cache``'s.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from compiler.bundle import Blob, BundleEntity, LaidOut
from compiler.discovery import Fingerprints, FoundEntity, InputRecorder, ModuleSource
from compiler.errors import SourceLocation
from compiler.idl import EntityKind
from compiler.pipeline.cache import ModuleCache, Notes, local_libraries
from compiler.types import default_engine

__all__ = ["ShareCache", "StoreFresh"]


class StoreFresh:
    """Collects what a worker wrote per module, then stores each module that can be reused."""

    def __init__(self, fresh: Sequence[ModuleSource], found: Sequence[FoundEntity]) -> None:
        self.sources = {source.name: source for source in fresh}
        self.sites: dict[str, list[tuple[int, str, str, int]]] = {}
        for item in found:
            site = (int(item.kind), item.name, item.location.file, item.location.line)
            self.sites.setdefault(item.module, []).append(site)
        self.kept: dict[str, tuple[Any, ...]] = {}

    def keep(
        self,
        entity: BundleEntity,
        pb_name: str,
        size: int,
        rendering: bytes | None,
        laid_out: LaidOut,
        blob: Blob,
    ) -> None:
        """``EntityWriter``'s ``keep``: where a freshly serialized entity's bytes are (its
        member in the side file: the bytes are not held twice in memory)."""
        if entity.laid_out is not None:
            return  # reused: its module is not stored again
        source = entity.source
        file, line = (source.file, source.line) if source is not None else (None, 0)
        kind = int(entity.kind)
        self.kept[pb_name] = (
            entity.name, kind, entity.level, file, line, (blob, size), rendering, laid_out
        )  # fmt: skip

    def save(
        self,
        cache: ModuleCache,
        recorder: InputRecorder,
        compiled: Iterable[Any],
        encode: Any,
        side_file: Path,
        warned: set[str],
    ) -> Notes:
        """Store every module compiled afresh whose inputs are known; why others were not.

        A module whose import reported a warning (its file in ``warned``) is not stored: the
        warning is said on every compile, so its import must run every time.
        """
        by_module: dict[str, list[Any]] = {}
        for record in compiled:
            if record.file in self.kept:
                by_module.setdefault(record.module, []).append(record)
        notes: Notes = {}
        libraries = local_libraries(recorder)
        prints = Fingerprints(recorder.roots)
        members = os.open(side_file, os.O_RDONLY)
        try:
            for name, source in self.sources.items():
                sites = self.sites.get(name, [])
                if str(source.file) in warned:
                    notes[name] = "not stored: its import reported a warning"
                    continue
                if len({(kind, entity) for kind, entity, _, _ in sites}) != len(sites):
                    notes[name] = "not stored: two of its entities have one name"
                    continue
                records = sorted(by_module.get(name, []), key=lambda r: r.file)
                payload = (
                    sites,
                    [encode(record) for record in records],
                    [_with_bytes(self.kept[record.file], members) for record in records],
                )
                why = cache.store(source, recorder, payload, libraries, prints)
                if why is not None:
                    notes[name] = f"not stored: {why}"
        finally:
            os.close(members)
        return notes


def _with_bytes(kept: tuple[Any, ...], side_file: int) -> tuple[Any, ...]:
    """A kept entity with its ``.pb`` bytes read back from its archive member (a read per
    member: mapping the whole side file would count its pages into the worker's memory)."""
    name, kind, level, file, line, ((_, offset, _), size), rendering, laid_out = kept
    data = os.pread(side_file, size, offset + len(laid_out[2]))  # after the member's header
    return (name, kind, level, file, line, data, rendering, laid_out)


class ShareCache:
    """One worker's use of the compile cache: the modules of its share reused and those to
    import, the recorder watching the latter, and storing them afterwards. Without a cache
    every module is imported and nothing is recorded.
    """

    def __init__(
        self, cache: ModuleCache | None, share: Sequence[ModuleSource], roots: Sequence[Path]
    ) -> None:
        self.cache = cache
        self.hits, self.notes = cache.lookup(share) if cache is not None else ([], {})
        reused = {hit.module for hit in self.hits}
        self.reused = sorted(reused)
        self.fresh = [source for source in share if source.name not in reused]
        self.recorder = InputRecorder(roots) if cache is not None else None
        self._store: StoreFresh | None = None

    def start(self) -> None:
        """Watch what the imports and the serialization read (before importing)."""
        if self.recorder is None:
            return
        if self.fresh:
            _load_plugins()
        self.recorder.start()

    def stop(self) -> None:
        if self.recorder is not None:
            self.recorder.stop()

    def watch(self, compilation: Any, found: Sequence[FoundEntity]) -> Any:
        """Attribute each entity's serialization to its module; the writer's ``keep``."""
        if self.recorder is None:
            return None
        recorder = self.recorder
        recorder.discovered()
        compilation.around = lambda item: recorder.compiling(item.module)
        self._store = StoreFresh(self.fresh, found)
        return self._store.keep

    def sites(self, fresh: list[tuple[int, str, str, int]]) -> list[tuple[int, str, str, int]]:
        """The sites found by importing, then those of the reused modules.

        An entity without a home of its own (a map task) is reported by each module that uses
        it, as parallel workers report it: a site another module already reported is dropped;
        two sites of one module stay (a duplicate name).
        """
        seen = set(fresh)
        out = list(fresh)
        for hit in self.hits:
            mine = [site for site in map(tuple, hit.sites) if site not in seen]
            out += mine  # type: ignore[arg-type]
            seen.update(mine)
        return out

    def entities(self, fresh: Sequence[FoundEntity]) -> Iterator[BundleEntity]:
        """The stored entities of the reused modules, each kind and name once (the entities
        found by importing come first)."""
        taken = {(int(found.kind), found.name) for found in fresh}
        for hit in self.hits:
            for name, kind, level, file, line, data, rendering, laid_out in hit.entities:
                if (kind, name) in taken:
                    continue
                taken.add((kind, name))
                yield BundleEntity(
                    name=name,
                    kind=EntityKind(kind),
                    message=None,
                    source=SourceLocation(file, line) if file is not None else None,
                    level=level,
                    data=data,
                    rendering=rendering,
                    laid_out=tuple(laid_out),  # type: ignore[arg-type]
                )

    def compiled(self) -> list[tuple[Any, ...]]:
        """The compiled-entity records of the reused modules."""
        return [tuple(record) for hit in self.hits for record in hit.compiled]

    def finish(
        self,
        warned: set[str],
        failed: bool,
        compiled: Iterable[Any],
        encode: Any,
        side_file: Path,
    ) -> None:
        """Stop watching; store the modules compiled afresh unless the compile ``failed``
        (:meth:`StoreFresh.save`: ``warned`` holds the files whose import warned)."""
        self.stop()
        if failed or self._store is None or self.cache is None or self.recorder is None:
            return
        stored = self._store.save(self.cache, self.recorder, compiled, encode, side_file, warned)
        self.notes.update(stored)


def _load_plugins() -> None:
    """Build the type engine before watching, so that reading the installed plugins' entry
    points is nobody's input (their packages are part of the run key). The engine is built
    before any user module registers a transformer either way; a broken plugin fails again,
    located, where the engine is first used."""
    with contextlib.suppress(Exception):
        default_engine()
