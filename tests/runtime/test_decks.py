"""Decks: ``enable_deck=True`` tasks write ``deck.html`` under the output prefix (where flytekit
writes it) with the Input, Output and the task's own decks; the page works offline in
Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ctx_helpers import lit, outputs, run_entrypoint

from compiler.context.deck import Deck, render_page

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


def _deck_task(tmp_path: Path) -> Path:
    proc, out = run_entrypoint(
        tmp_path, "with_deck", {"name": lit("ada", str), "count": lit(3, int)}
    )
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": str}) == {"o0": "hello ada x3"}
    return out / "deck.html"


def test_deck_written_under_the_output_prefix(tmp_path: Path) -> None:
    page = _deck_task(tmp_path).read_text("utf-8")
    tabs = re.findall(r'<li data-deck="([^"]+)">', page)
    assert tabs == ["Notes", "default", "Input", "Output"]
    assert "<p id='note'>hand-written note</p>" in page
    assert "<p id='default'>from the default deck</p>" in page
    assert "&#x27;ada&#x27;" in page and "<h3>count</h3><pre>3</pre>" in page
    assert "&#x27;hello ada x3&#x27;" in page
    # self-contained: nothing is fetched from anywhere
    assert not re.search(r"(src|href)=\"?(https?:)?//", page)


def test_no_deck_without_enable_deck(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "async_double", {"x": lit(1, int)})
    assert proc.returncode == 0, proc.stderr
    assert not (out / "deck.html").exists()


def test_failed_task_still_writes_its_deck(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "deck_then_fail", {"x": lit(1, int)})
    assert proc.returncode == 1
    page = (out / "deck.html").read_text("utf-8")
    assert "written before the error" in page
    assert (out / "error.pb").exists()


def test_local_call_writes_the_deck_in_its_sandbox(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from rt_pkg import ctx_tasks

    monkeypatch.setenv("COMPILE_TASKS_LOCAL_DIR", str(tmp_path))
    assert ctx_tasks.with_deck(name="bo", count=1) == "hello bo x1"
    (page,) = tmp_path.glob("run-*/deck.html")
    assert "hand-written note" in page.read_text("utf-8")


def test_later_deck_of_the_same_name_wins() -> None:
    page = render_page([Deck("a", "first", False), Deck("a", "second", False)])
    assert page.count('<li data-deck="a">') == 1 and "second" in page and "first" not in page


@pytest.mark.browser
def test_deck_renders_in_headless_chromium(tmp_path: Path) -> None:
    if BROWSER is None:
        pytest.skip("no chromium installed (apt-get install chromium)")
    deck = _deck_task(tmp_path)
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", deck.as_uri(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    # the script ran: the first tab and its deck are shown, the inputs and outputs are there
    assert '<li data-deck="Notes" class="active">Notes</li>' in dom
    assert '<div data-deck="Notes" class="active">' in dom
    assert "<h3>name</h3>" in dom and "hello ada x3" in dom
