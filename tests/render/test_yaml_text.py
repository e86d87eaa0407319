"""The direct YAML emitter: what it writes must read back as exactly the data given."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.render.yaml_text import dump_yaml, load_yaml

# Strings YAML likes to reinterpret: booleans, nulls, numbers, dates, indicators, breaks.
TRICKY = [
    "yes", "No", "on", "OFF", "~", "null", "Null", "1_000", "0x1f", "0o17", "1:30", "2024-05-01",
    "2024-05-01 06:00:00", "=", "<<", "- a", "a: b", "a #b", "#c", "  lead", "trail  ", "x\n",
    " \n", "a\n\n", "\n a", "\u2028", "\x85", "\ufeff", "'q'", '"q"', "[a]", "{a}", "*a", "&a",
    "!t", "%p", "@x", "`x", "|", "> x", "?", "? x", ": x", "-", "--", "---", "...", "1e3",
    "1.0e3", ".5", ".inf", "-.inf", ".NaN", "1,000", "a\n b\nc", "x\n\n\ny\n", "\t\ta\n",
    "a\r\nb", "--inputs", "-1", "-x", "---x", "{{.input}}", "", " ", "\x7f", "\x00",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.from_regex(r"-{0,4}[a-z0-9 :#.'-]{0,6}", fullmatch=True)
    | st.sampled_from(TRICKY)
)
keys = st.text() | st.sampled_from(TRICKY)
data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=1500, deadline=None)
@given(data)
def test_round_trip_through_safe_load(value: object) -> None:
    assert yaml.safe_load(dump_yaml(value)) == value


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings_stay_strings(text: str) -> None:
    assert load_yaml(dump_yaml({"k": text, "l": [text]})) == {"k": text, "l": [text]}


def test_special_floats() -> None:
    back = load_yaml(dump_yaml([math.inf, -math.inf, 1e16, 1e-5, -0.0, 1.0]))
    assert back[:2] == [math.inf, -math.inf]
    assert back[2:] == [1e16, 1e-5, -0.0, 1.0]
    assert math.isnan(load_yaml(dump_yaml(math.nan)))


def test_layout_is_block_style_with_indented_sequences() -> None:
    text = dump_yaml(
        {
            "id": {"name": "shop.orders.load"},
            "args": ["--inputs", "{{.input}}", "--"],
            "empty": {},
            "none": [],
            "doc": "Line one.\nLine two.\n",
            "rows": [{"a": 1, "b": [2, [3]]}, {}],
            "flag": "yes",
        }
    )
    assert text == (
        "id:\n"
        "  name: shop.orders.load\n"
        "args:\n"
        "  - --inputs\n"
        "  - '{{.input}}'\n"
        "  - '--'\n"
        "empty: {}\n"
        "none: []\n"
        "doc: |\n"
        "  Line one.\n"
        "  Line two.\n"
        "rows:\n"
        "  - a: 1\n"
        "    b:\n"
        "      - 2\n"
        "      -\n"
        "        - 3\n"
        "  - {}\n"
        "flag: 'yes'\n"
    )


def test_refuses_data_that_is_not_plain() -> None:
    with pytest.raises(TypeError, match="set"):
        dump_yaml({"k": {1, 2}})
    with pytest.raises(TypeError, match="keys are strings"):
        dump_yaml({1: "x"})


def test_shared_mappings_render_like_plain_ones_at_any_indent() -> None:
    from compiler.render.yaml_text import SharedMapping

    shared = SharedMapping({"simple": "STRUCT", "metadata": {"b": [1, {"c": "d"}], "a": None}})
    plain = dict(shared)
    data = {"x": {"type": shared}, "y": [{"type": shared}], "z": {"deeper": {"type": shared}}}
    twin = {"x": {"type": plain}, "y": [{"type": plain}], "z": {"deeper": {"type": plain}}}
    assert dump_yaml(data) == dump_yaml(twin)
    assert dump_yaml(data) == dump_yaml(data)  # second time from the memo
