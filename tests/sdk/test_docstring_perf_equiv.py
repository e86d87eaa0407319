"""The fast docstring path gives exactly what ``docstring_parser.parse`` (AUTO style) gives.

``compiler.sdk.docstring`` sends a docstring without markers to the reST parser alone and
memoises results by text; flytekit calls ``docstring_parser.parse`` on the same text, so any
difference would change descriptions on the wire.
"""

from __future__ import annotations

import docstring_parser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.sdk import docstring as ds


def reference(doc: str | None) -> ds.ParsedDocstring:
    """The result before the shortcut: ``docstring_parser.parse`` in AUTO mode."""
    if not doc:
        return ds.ParsedDocstring()
    try:
        parsed = docstring_parser.parse(doc)
    except Exception as exc:  # some releases fail on odd text: the failure must match too
        return (type(exc).__name__, str(exc))  # type: ignore[return-value]
    return ds.ParsedDocstring(
        short_description=parsed.short_description,
        long_description=parsed.long_description,
        params={p.arg_name: p.description or "" for p in parsed.params},
        returns=tuple((r.return_name, r.description or "") for r in parsed.many_returns),
    )


def fast(doc: str | None) -> ds.ParsedDocstring:
    try:
        return ds._parse(doc) if doc else ds.parse_docstring(doc)  # type: ignore[arg-type]
    except Exception as exc:
        return (type(exc).__name__, str(exc))  # type: ignore[return-value]


# Pieces that make up docstrings of every style, marker-free text and near misses.
FRAGMENTS = [
    "Summary line.",
    "Another sentence with ``code`` and *emphasis*.",
    "",
    "    ",
    "\t",
    ":param a: The a.",
    ":param int b:",
    ":type a: int",
    ":return: Result.",
    ":returns: Result.",
    ":rtype: int",
    ":raises ValueError: When.",
    ":bad field without second colon",
    "Args:",
    "Arguments:",
    "Returns:",
    "Raises:",
    "Example:",
    "    a (int): The first",
    "        value.",
    "    b: Second.",
    "    int: A number.",
    "Parameters",
    "----------",
    "Returns",
    "-------",
    "Note",
    "----",
    "---",
    "--",
    "-",
    "a : int",
    "    Description of a.",
    ".. deprecated:: 1.0",
    "@param a: The a.",
    "@type a: int",
    "@return: Result.",
    "@rtype: int",
    "@raise ValueError: When.",
    "@",
    "email me at someone@example.com",
    "ratio 1:2 and 3 : 4",
    "a - b -- c",
    "Time: 10s",
]


@st.composite
def docstrings(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=10))
    indent = draw(st.sampled_from(["", "    ", "\t"]))
    first = draw(st.sampled_from(["", "\n", "\n    "]))
    return first + ("\n" + indent).join(lines) + draw(st.sampled_from(["", "\n", "\n    "]))


@settings(max_examples=1500, deadline=None)
@given(docstrings())
def test_fast_path_matches_docstring_parser(doc: str) -> None:
    assert fast(doc) == reference(doc)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab :@-\n\t.*`\u00a0\u3000"), max_size=40))
def test_fast_path_matches_on_marker_alphabet(doc: str) -> None:
    assert fast(doc) == reference(doc)


@pytest.mark.parametrize(
    "doc",
    [
        None,
        "",
        "One line.",
        "One line.\n\n    Body line one.\n    Body line two.\n    ",
        "\n    Starts on the second line.\n\n    Body.\n    ",
        "Count names, at most ``limit``.\n\n    :param names: The names.\n    :return: How many.\n",
        "Summarise.\n\n    Args:\n        a (int): A.\n\n    Returns:\n        Totals: Both.\n",
        "Sum.\n\n    Parameters\n    ----------\n    a : int\n        The a.\n",
        "Sum.\n\n    @param a: The a.\n    @return: The sum.\n",
    ],
)
def test_known_docstrings(doc: str | None) -> None:
    assert fast(doc) == reference(doc)
    assert ds.parse_docstring(doc) == reference(doc)


def test_marker_free_docstrings_take_the_rest_parser_only(monkeypatch: pytest.MonkeyPatch) -> None:
    if not ds._SHORTCUT:
        pytest.skip("this docstring_parser release is not checked: always the full parse")
    calls: list[object] = []
    real = docstring_parser.parse

    def spy(text: str, style: object = docstring_parser.DocstringStyle.AUTO) -> object:
        calls.append(style)
        return real(text, style=style)  # type: ignore[arg-type]

    monkeypatch.setattr(docstring_parser, "parse", spy)
    ds._parse("Grade a customer.\n\n    Longer text.\n")
    ds._parse("Grade a customer.\n\n    :param a: A.\n")
    assert calls == [docstring_parser.DocstringStyle.REST, docstring_parser.DocstringStyle.AUTO]


def test_results_are_memoised_by_text_and_read_only() -> None:
    doc = "Memo check.\n\n    :param x: The x.\n"
    first = ds.parse_docstring(doc)
    assert ds.parse_docstring("".join(doc)) is first
    with pytest.raises(TypeError):
        first.params["x"] = "changed"  # type: ignore[index]
    assert first.params == {"x": "The x."}


def test_a_non_string_doc_is_parsed_without_the_memo() -> None:
    class Doc(str):
        pass

    doc = Doc("Subclassed.\n\n    :param x: X.\n")
    assert ds.parse_docstring(doc) == reference(str(doc))


def test_compile_patterns_leaves_no_pattern_for_a_later_parse_to_compile() -> None:
    """What the parallel compile calls before it forks: afterwards a docstring of any style
    parses without compiling a regular expression (the workers share the compiled ones)."""
    import re

    samples = [
        "Do.\n\n:param x: The x.\n:return: y.\n",
        "Do.\n\nArgs:\n    x: The x.\n\nReturns:\n    y.\n",
        "Do.\n\nParameters\n----------\nx : int\n    The x.\n\nReturns\n-------\nint\n    y.\n",
        "Do.\n\n@param x: The x.\n@return: y.\n",
    ]
    re.purge()
    ds.compile_patterns()
    compiled = dict(re._cache)  # type: ignore[attr-defined]
    assert compiled
    for doc in samples:
        assert ds._parse(doc) == reference(doc)
    assert dict(re._cache) == compiled  # type: ignore[attr-defined]
