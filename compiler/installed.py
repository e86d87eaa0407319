"""Cheap questions about the installed distributions, answered without ``importlib.metadata``.

Importing ``importlib.metadata`` costs 20-30 ms (it brings ``email``, ``zipfile``, ``csv``),
and every compile worker asked it two things: whether a plugin declares type transformers (it
almost never does) and which ``docstring_parser`` release is installed. Both answers are in
plain folders on ``sys.path``: the ``*.dist-info`` and ``*.egg-info`` folders that
``importlib.metadata``'s own path finder lists. Where they cannot be read that simply (a zip
or egg file on the path, a meta-path finder with distributions of its own), each function says
so, and the caller asks ``importlib.metadata`` as before.
"""

from __future__ import annotations

import os
import re
import sys
from importlib.machinery import PathFinder

__all__ = ["distribution_version", "may_declare_entry_points"]

_METADATA_FOLDERS = (".dist-info", ".egg-info")


def _plain_path() -> list[str] | None:
    """The folders of ``sys.path``, or ``None`` when distributions may live elsewhere too."""
    if any(
        finder is not PathFinder and hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    ):
        return None
    folders = []
    for entry in sys.path:
        folder = entry or "."
        if os.path.isdir(folder) and not folder.endswith(".egg"):
            folders.append(folder)
        elif os.path.exists(folder):  # a zip or an egg: importlib.metadata reads those
            return None
    return folders


def _metadata_folders(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as children:
            return [c.name for c in children if c.name.endswith(_METADATA_FOLDERS) and c.is_dir()]
    except OSError:  # unreadable: importlib.metadata skips it as well
        return []


def may_declare_entry_points(group: str) -> bool:
    """``False`` only when no installed distribution can declare entry points in ``group``.

    A distribution declares them in the ``entry_points.txt`` of its metadata folder; this
    looks for ``group`` anywhere in those files, so a mention in a comment or in another
    group's value answers ``True`` too (the caller then asks ``importlib.metadata``).
    """
    folders = _plain_path()
    if folders is None:
        return True
    needle = group.encode()
    for folder in folders:
        for name in _metadata_folders(folder):
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as file:
                    if needle in file.read():
                        return True
            except OSError:  # no entry points, or unreadable (as for importlib.metadata)
                continue
    return False


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def distribution_version(name: str) -> str | None:
    """The version of the installed distribution ``name`` (from its ``*.dist-info`` folder).

    ``None`` when it is not installed as a plain ``.dist-info`` folder in the first folder of
    ``sys.path`` that holds it, or when that folder holds two of them (an upgrade that left
    the old folder behind): the caller asks ``importlib.metadata``, which knows every layout.
    """
    folders = _plain_path()
    if folders is None:
        return None
    wanted = _normalised(name)
    for folder in folders:
        found = [
            entry
            for entry in _metadata_folders(folder)
            if _normalised(entry.partition("-")[0]) == wanted
        ]
        if found:
            single = len(found) == 1 and found[0].endswith(".dist-info")
            return found[0].partition("-")[2].removesuffix(".dist-info") if single else None
    return None
