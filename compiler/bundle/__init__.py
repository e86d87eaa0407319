"""Bundle writing (L5): stable file names, deterministic ``.pb`` files and archive, manifest.

``write_bundle(out_dir, entities, render=..., settings=...)`` writes the whole output folder
atomically; ``docs/bundle.md`` describes the layout.
"""

from compiler.bundle.archive import (
    ARCHIVE_NAME,
    MAX_ARCHIVE_BYTES,
    ArchiveLimitError,
    ArchiveWriter,
    build_tar,
    gzip_bytes,
    open_bounded_tar,
    read_archive,
    read_members,
)
from compiler.bundle.atomic import (
    KeepOld,
    bundle_write_error,
    check_output_dir,
    check_removable,
    discard_dir,
    folder_lock,
    replace_dir,
    replace_file,
    signals_blocked,
    sigterm_as_interrupt,
    swap_dir,
)
from compiler.bundle.manifest import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    ManifestEntry,
    is_bundle_dir,
    load_manifest,
)
from compiler.bundle.naming import entity_file_stem, pb_file_name, yaml_file_name
from compiler.bundle.reuse import PreviousBundle
from compiler.bundle.writer import (
    YAML_DIR,
    Blob,
    BundleEntity,
    BundleResult,
    EntityWriter,
    LaidOut,
    Renderer,
    finish_archive,
    finish_bundle,
    keep_or_link,
    prepare_folder,
    write_bundle,
    write_entities,
)

__all__ = [
    "ARCHIVE_NAME",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "MAX_ARCHIVE_BYTES",
    "YAML_DIR",
    "ArchiveLimitError",
    "ArchiveWriter",
    "Blob",
    "BundleEntity",
    "BundleResult",
    "EntityWriter",
    "KeepOld",
    "LaidOut",
    "ManifestEntry",
    "PreviousBundle",
    "Renderer",
    "build_tar",
    "bundle_write_error",
    "check_output_dir",
    "check_removable",
    "discard_dir",
    "entity_file_stem",
    "finish_archive",
    "finish_bundle",
    "folder_lock",
    "gzip_bytes",
    "is_bundle_dir",
    "keep_or_link",
    "load_manifest",
    "open_bounded_tar",
    "pb_file_name",
    "prepare_folder",
    "read_archive",
    "read_members",
    "replace_dir",
    "replace_file",
    "signals_blocked",
    "sigterm_as_interrupt",
    "swap_dir",
    "write_bundle",
    "write_entities",
    "yaml_file_name",
]
