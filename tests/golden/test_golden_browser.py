"""The HTML report in a real headless chromium: changed tasks and the breaking flag are visible.

Skipped when no chromium is installed (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_reports import sample_report
from headless_chromium import BROWSER, chromium
from png_pixels import pixel_counts

from compiler.golden import write_report

pytestmark = pytest.mark.browser

#: The background of the BREAKING flag in templates/report.html.j2 (#cf222e).
BREAKING_RED = (0xCF, 0x22, 0x2E)


@pytest.fixture(scope="module")
def html_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if BROWSER is None:
        pytest.skip("no chromium installed (apt-get install chromium)")
    root = tmp_path_factory.mktemp("browser")
    target = root / "report.html"
    write_report(sample_report(root), target)
    return target


def test_dom_shows_changed_tasks_and_breaking_flag(html_report: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path / "profile", "--dump-dom", html_report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert '<p class="summary" id="summary">' in dom
    assert '<span class="flag breaking">BREAKING</span> 2 of 3 changed entities' in dom
    for name in ("shop.orders.load", "shop.orders.purge", "shop.stock.count"):
        assert f"<code>{name}</code>" in dom
    assert "input 'limit' removed" in dom


def test_screenshot_shows_the_breaking_flag(html_report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    result = chromium(
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1000,450",
        f"--screenshot={shot}",
        html_report.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    counts = pixel_counts(shot.read_bytes())
    # The summary and index show three BREAKING badges in the first 450 pixels.
    assert counts[BREAKING_RED] > 500
