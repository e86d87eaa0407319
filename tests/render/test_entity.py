"""Canonical YAML renderings: exact text, determinism, round trip."""

from __future__ import annotations

import datetime
import enum
import json
import os
import subprocess
import sys
import textwrap

import pytest
from flyteidl.admin import task_pb2
from flyteidl.core import tasks_pb2
from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.errors import GoldenError
from compiler.render import (
    HEADER,
    Rendering,
    message_to_canonical_dict,
    parse_rendering,
    render_message,
    render_task_spec,
)

SPEC_JSON = {
    "template": {
        "custom": {"b": 1, "a": {"z": 1, "y": [2, "x"]}},
        "metadata": {
            "timeout": "900s",
            "runtime": {"version": "9.9.9", "flavor": "python", "type": "FLYTE_SDK"},
            "retries": {"retries": 2},
            "metadata": {"labels": {"team": "shop", "app": "orders"}},
            "generates_deck": False,
        },
        "container": {
            "resources": {"requests": [{"name": "CPU", "value": "2"}]},
            "args": ["compile-tasks-execute", "--inputs", "{{.input}}"],
            "image": "registry.example.com/team/app:2.0",
        },
        "interface": {
            "outputs": {"variables": {"o0": {"description": "o0", "type": {"simple": "INTEGER"}}}},
            "inputs": {
                "variables": {
                    "order_ids": {
                        "description": "Orders to load.",
                        "type": {"collection_type": {"simple": "STRING"}},
                    },
                    "limit": {"description": "limit", "type": {"simple": "INTEGER"}},
                }
            },
        },
        "type": "python-task",
        "id": {"resource_type": "TASK", "name": "shop.orders.load"},
    },
    "description": {
        "long_description": {"format": "DESCRIPTION_FORMAT_RST", "value": "Line one\nligne deux é"},
        "short_description": "Load orders.",
    },
}

EXPECTED = HEADER + textwrap.dedent(
    """\
    template:
      id:
        resource_type: TASK
        name: shop.orders.load
      type: python-task
      interface:
        inputs:
          variables:
            limit:
              type:
                simple: INTEGER
              description: limit
            order_ids:
              type:
                collection_type:
                  simple: STRING
              description: Orders to load.
        outputs:
          variables:
            o0:
              type:
                simple: INTEGER
              description: o0
      container:
        image: registry.example.com/team/app:2.0
        args:
          - compile-tasks-execute
          - --inputs
          - '{{.input}}'
        resources:
          requests:
            - name: CPU
              value: '2'
      metadata:
        runtime:
          type: FLYTE_SDK
          flavor: python
        retries:
          retries: 2
        timeout: 900s
        generates_deck: false
        metadata:
          labels:
            app: orders
            team: shop
      custom:
        a:
          y:
            - 2.0
            - x
          z: 1.0
        b: 1.0
    description:
      short_description: Load orders.
      long_description:
        format: DESCRIPTION_FORMAT_RST
        value: |-
          Line one
          ligne deux é

    compile_tasks:
      source: shop/orders.py:41
      defaults:
        limit: 100
    """
)


def make_spec() -> task_pb2.TaskSpec:
    return json_format.ParseDict(SPEC_JSON, task_pb2.TaskSpec())


FACTS = {"defaults": {"limit": 100}, "source": "shop/orders.py:41"}


def test_exact_rendering_of_a_hand_built_task_spec() -> None:
    assert render_task_spec(make_spec(), FACTS) == EXPECTED


def test_no_facts_means_no_section() -> None:
    text = render_task_spec(make_spec())
    assert text == EXPECTED.split("\ncompile_tasks:")[0]
    assert "compile_tasks" not in text.split("\n", 2)[2]


def test_runtime_version_is_dropped_but_flavor_kept() -> None:
    body = message_to_canonical_dict(make_spec())
    assert body["template"]["metadata"]["runtime"] == {"type": "FLYTE_SDK", "flavor": "python"}


def test_versions_do_not_change_the_text() -> None:
    other = make_spec()
    other.template.metadata.runtime.version = "0.0.1.dev7"
    assert render_task_spec(other, FACTS) == render_task_spec(make_spec(), FACTS)


def test_key_order_of_template_is_fixed() -> None:
    spec = make_spec()
    spec.template.security_context.secrets.add(group="db", key="password")
    spec.template.extended_resources.gpu_accelerator.device = "nvidia-tesla-t4"
    body = message_to_canonical_dict(spec)
    assert list(body) == ["template", "description"]
    assert list(body["template"]) == [
        "id",
        "type",
        "interface",
        "container",
        "metadata",
        "security_context",
        "extended_resources",
        "custom",
    ]


def test_round_trip_parse_gives_the_canonical_dict_and_facts() -> None:
    parsed = parse_rendering(render_task_spec(make_spec(), FACTS))
    assert parsed == Rendering(
        body=message_to_canonical_dict(make_spec()),
        facts={"source": "shop/orders.py:41", "defaults": {"limit": 100}},
    )
    expected = json_format.MessageToDict(make_spec(), preserving_proto_field_name=True)
    del expected["template"]["metadata"]["runtime"]["version"]
    assert parsed.body == expected


def test_generic_renderer_handles_any_message() -> None:
    container = tasks_pb2.Container(image="x:1", args=["a"])
    assert render_message(container) == HEADER + "image: x:1\nargs:\n  - a\n"


def test_facts_values_are_normalised() -> None:
    class Color(enum.Enum):
        RED = "red"

    facts = {
        "zeta": 1,
        "defaults": {"when": datetime.date(2024, 5, 1), "color": Color.RED, "obj": object()},
        "source": "a.py:3",
        "nothing": None,
    }
    text = render_task_spec(task_pb2.TaskSpec(), facts)
    assert text == HEADER + (
        "{}\n\ncompile_tasks:\n  source: a.py:3\n  defaults:\n    color: red\n"
        "    obj: '<builtins.object>'\n    when: '2024-05-01'\n  zeta: 1\n"
    )


def test_no_anchors_for_repeated_objects() -> None:
    spec = make_spec()
    spec.template.container.command.extend(["same", "same"])
    text = render_task_spec(spec, {"defaults": {"a": [1], "b": [1]}})
    assert "&" not in text and "*id" not in text


def test_rendering_is_identical_across_processes_and_hash_seeds() -> None:
    code = (
        "import json, sys\n"
        "from flyteidl.admin import task_pb2\n"
        "from google.protobuf import json_format\n"
        "from compiler.render import render_task_spec\n"
        "spec = json_format.ParseDict(json.loads(sys.argv[1]), task_pb2.TaskSpec())\n"
        "sys.stdout.write(render_task_spec(spec, json.loads(sys.argv[2])))\n"
    )
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-c", code, json.dumps(SPEC_JSON), json.dumps(FACTS)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(result.stdout)
    assert outputs == {EXPECTED}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1,", "is not valid YAML"),
        ("- 1\n- 2\n", "does not hold a mapping (found list)"),
        ("!!python/object:os.system {}\n", "is not valid YAML"),
    ],
)
def test_parse_refuses_bad_text(text: str, message: str) -> None:
    with pytest.raises(GoldenError) as info:
        parse_rendering(text, origin="g.yaml")
    assert info.value.code == "CT610"
    assert message in info.value.message


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | _TEXT


@settings(max_examples=60, deadline=None)
@given(
    short=_TEXT,
    long=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
    defaults=st.dictionaries(
        st.text("abcdefgh_", min_size=1, max_size=8),
        _SCALARS | st.lists(_SCALARS, max_size=3),
        max_size=4,
    ),
)
def test_round_trip_property(short: str, long: str, defaults: dict) -> None:
    spec = task_pb2.TaskSpec()
    spec.description.short_description = short
    spec.description.long_description.value = long
    spec.template.container.args.extend([short, long])
    parsed = parse_rendering(render_task_spec(spec, {"defaults": defaults}))
    assert parsed.body == message_to_canonical_dict(spec)
    assert parsed.facts == {"defaults": dict(sorted(defaults.items()))}
