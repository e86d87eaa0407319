"""Checkpoints: what a task saves to resume from after an interruption and a retry.

Propeller gives every attempt a checkpoint prefix to write to (``--checkpoint-path``) and,
from the second attempt on, the prefix the previous attempt wrote (``--prev-checkpoint``).
``write(bytes)`` / ``save(path)`` copy into the first; ``read()`` / ``restore()`` copy the second
into a local folder. The methods and their behaviour are flytekit's ``SyncCheckpoint``'s.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from compiler.context import storage
from compiler.errors import ExecutionError

__all__ = ["Checkpoint"]

#: The file name ``write(bytes)`` stores a checkpoint under (flytekit's, so either SDK reads
#: the other's checkpoint).
BYTES_NAME = "_dst_cp"


class Checkpoint:
    """The checkpoint prefixes of one attempt.

    Args:
        checkpoint_dest: Where this attempt's checkpoint goes (a local path or a URI).
        checkpoint_src: The previous attempt's checkpoint, or ``None`` / ``""`` for the first.
    """

    def __init__(self, checkpoint_dest: str, checkpoint_src: str | None = None) -> None:
        self._dest = checkpoint_dest
        self._src = checkpoint_src or None
        self._restored: Path | None = None
        self._scratch: str | None = None

    def _scratch_dir(self) -> Path:
        if self._scratch is None:
            self._scratch = tempfile.mkdtemp(prefix="compile-tasks-ckpt-")
        return Path(self._scratch)

    def prev_exists(self) -> bool:
        """True when a previous attempt left a checkpoint prefix."""
        return self._src is not None

    def restore(self, path: str | os.PathLike[str] | None = None) -> Path | None:
        """Copy the previous checkpoint into the folder ``path`` (a new one when ``None``);
        ``None`` when there is no previous checkpoint. Restores once, then returns the same
        folder."""
        if self._src is None:
            return None
        if self._restored is not None:
            return self._restored
        target = Path(path) if path is not None else self._scratch_dir() / "prev_cp"
        target.mkdir(parents=True, exist_ok=True)
        if not target.is_dir():
            raise ExecutionError(
                f"a checkpoint restores to a directory, and {str(target)!r} is not one",
                code="CT733",
                hint="pass a directory to checkpoint.restore()",
            )
        if storage.exists(self._src):
            storage.download(self._src, str(target), directory=True)
        self._restored = target
        return target

    def save(self, cp: str | os.PathLike[str] | io.IOBase) -> None:
        """Copy a file, a directory or the content of a reader to the checkpoint prefix."""
        if isinstance(cp, str | os.PathLike):
            source = Path(cp)
            if source.is_dir():
                storage.upload(str(source), self._dest, directory=True)
            else:
                storage.upload(str(source), storage.join(self._dest, source.name), directory=False)
            return
        if not isinstance(cp, io.IOBase):
            raise ExecutionError(
                f"checkpoint.save() takes a path or a reader, got {type(cp).__name__}",
                code="CT733",
                hint="pass a file or directory path, or an open binary file",
            )
        data: Any = cp.read()
        storage.write_bytes(storage.join(self._dest, BYTES_NAME), bytes(data))

    def read(self) -> bytes | None:
        """The bytes of the previous checkpoint (one file), or ``None`` when there is none."""
        folder = self.restore()
        if folder is None:
            return None
        files = sorted(folder.iterdir())
        if not files:
            return None
        if len(files) > 1:
            raise ExecutionError(
                f"checkpoint.read() expects one file in the previous checkpoint, found "
                f"{len(files)}: {', '.join(f.name for f in files[:5])}",
                code="CT733",
                hint="use checkpoint.restore() for a checkpoint of several files",
            )
        return files[0].read_bytes()

    def write(self, data: bytes) -> None:
        """Store ``data`` as this attempt's checkpoint."""
        self.save(io.BytesIO(data))

    def cleanup(self) -> None:
        """Remove the local copies made by ``restore``."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
