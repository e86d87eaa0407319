"""Decks: HTML pages a task shows in Flyte's console, written to ``deck.html``.

A task declared with ``enable_deck=True`` gets an ``Input`` and an ``Output`` deck (each value
rendered by :func:`value_html`) plus whatever it adds itself: ``Deck("name", html)`` or
``current_context().default_deck.append(html)``. After the task, the entrypoint renders all of
them into one self-contained page (inline CSS and script, nothing fetched) and writes it as
``<output prefix>/deck.html``, the name and place flytekit uses and the console reads.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DECK_FILE_NAME", "INPUT", "OUTPUT", "Deck", "render_page", "value_html"]

DECK_FILE_NAME = "deck.html"
#: Names of the decks the runtime fills (flytekit's ``DeckField`` values).
INPUT = "Input"
OUTPUT = "Output"


class Deck:
    """One named deck: a name and HTML that grows with :meth:`append`.

    Args:
        name: The tab title.
        html: The first HTML fragment.
        auto_add_to_deck: Add the deck to the current execution's decks (flytekit's default).
    """

    def __init__(self, name: str, html: str | None = "", auto_add_to_deck: bool = True) -> None:
        self._name = name
        self._html = html or ""
        if auto_add_to_deck:
            from compiler.context.params import current_context

            current_context().decks.append(self)

    def append(self, html: str) -> Deck:
        """Add an HTML fragment on a new line; returns the deck."""
        if not isinstance(html, str):
            raise TypeError(f"Deck.append takes HTML text, got {type(html).__name__}")
        self._html = f"{self._html}\n{html}"
        return self

    @property
    def name(self) -> str:
        """The tab title."""
        return self._name

    @property
    def html(self) -> str:
        """The HTML so far."""
        return self._html

    @staticmethod
    def publish() -> None:
        """Write the current execution's decks now (they are written after the task anyway)."""
        from compiler.context.params import current_context, write_decks

        write_decks(current_context())

    def __repr__(self) -> str:
        return f"Deck({self._name!r})"


def value_html(name: str, value: Any) -> str:
    """One input or output as HTML: its ``_repr_html_`` when it has one (data frames), else its
    escaped text."""
    from html import escape  # only decks need it: ``import compiler`` stays fast

    render = getattr(value, "_repr_html_", None)
    body = render() if callable(render) else f"<pre>{escape(repr(value))}</pre>"
    return f'<section class="value"><h3>{escape(name)}</h3>{body}</section>'


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; display: flex; min-height: 100vh; }
nav { background: #f3f4f6; min-width: 12rem; padding: 1rem 0; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li { padding: .5rem 1rem; cursor: pointer; }
nav li.active { background: #6f2aef; color: #fff; }
main { padding: 1rem 2rem; flex: 1; overflow: auto; }
main > div { display: none; }
main > div.active { display: block; }
pre { background: #f9fafb; padding: .5rem; white-space: pre-wrap; }
"""

_SCRIPT = """
function showDeck(index) {
  document.querySelectorAll('nav li').forEach(function (el, i) {
    el.classList.toggle('active', i === index);
  });
  document.querySelectorAll('main > div').forEach(function (el, i) {
    el.classList.toggle('active', i === index);
  });
}
document.querySelectorAll('nav li').forEach(function (el, i) {
  el.addEventListener('click', function () { showDeck(i); });
});
showDeck(0);
"""


def render_page(decks: list[Deck], title: str = "Flyte deck") -> str:
    """The page of ``decks``: a tab per deck name (a later deck of the same name replaces the
    earlier one's HTML, as in flytekit), the deck HTML inserted as is."""
    from html import escape

    by_name: dict[str, str] = {}
    for deck in decks:
        by_name[deck.name] = deck.html
    nav = "".join(f'<li data-deck="{escape(n)}">{escape(n)}</li>' for n in by_name)
    body = "".join(f'<div data-deck="{escape(n)}">{h}</div>' for n, h in by_name.items())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><nav><ul>{nav}</ul></nav><main>{body}</main>"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
