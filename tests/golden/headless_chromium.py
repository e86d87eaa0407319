"""Run Debian's chromium headless, as the browser tests of the HTML reports do."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: The chromium on PATH, or ``None`` (the browser tests then skip).
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run chromium headless with a fresh profile and no background networking."""
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
