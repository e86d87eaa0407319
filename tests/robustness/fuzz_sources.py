"""Hypothesis strategies that write task modules: random type hints, options and defaults.

The strategies produce *source text*, so that a generated task goes through exactly what a user
file goes through: discovery imports it, the SDK validates it, serialization maps its hints.
Values are a mix of valid and invalid on purpose (negative retries, bad quantities, unknown
types, unresolvable names, templates naming no image...).

Values that once crashed the compiler are pinned in ``test_fuzz_compile.py``
(``FORMER_CRASHES``, ``FORMER_CONTAINER_CRASHES``) with the exact errors they now raise.
"""

from __future__ import annotations

from hypothesis import strategies as st

PRELUDE = """\
import datetime
import enum
import typing
from dataclasses import dataclass

from compiler import (
    Cache,
    FlyteDirectory,
    FlyteFile,
    PodTemplate,
    Resources,
    Secret,
    StructuredDataset,
    task,
)
from compiler.accelerators import A100, T4


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Mixed(enum.Enum):
    ONE = 1
    TWO = "two"


@dataclass
class Point:
    x: int
    y: float
    tags: list[str]


@dataclass
class Nested:
    point: Point
    name: typing.Optional[str] = None


class Opaque:
    pass


class Row(typing.NamedTuple):
    a: int
    b: str

"""

SCALARS = [
    "int",
    "float",
    "str",
    "bool",
    "bytes",
    "datetime.datetime",
    "datetime.timedelta",
    "datetime.date",
    "dict",
    "list",
    "typing.Any",
    "None",
    "Color",
    "Mixed",
    "Point",
    "Nested",
    "Opaque",
    "FlyteFile",
    "FlyteDirectory",
    "StructuredDataset",
    "object",
    "'NotDefinedAnywhere'",
    "'int'",
    "3",
    "typing.Callable[[int], int]",
]


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    return st.one_of(
        inner.map(lambda t: f"list[{t}]"),
        inner.map(lambda t: f"dict[str, {t}]"),
        inner.map(lambda t: f"dict[int, {t}]"),
        inner.map(lambda t: f"typing.Optional[{t}]"),
        inner.map(lambda t: f"typing.Annotated[{t}, 'meta']"),
        inner.map(lambda t: f"tuple[{t}, ...]"),
        inner.map(lambda t: f"set[{t}]"),
        pair.map(lambda p: f"typing.Union[{p[0]}, {p[1]}]"),
        pair.map(lambda p: f"tuple[{p[0]}, {p[1]}]"),
        st.just("typing.Literal['a', 'b']"),
        st.just("typing.Literal[1, 'a']"),
    )


hints = st.recursive(st.sampled_from(SCALARS), _compound, max_leaves=4)

QUANTITIES = ["1", "500m", "2.5", "4Gi", "512Mi", "0", "-1", "lots", "", "1e3", "1Ki", "0.0001"]
_quantity = st.one_of(st.sampled_from(QUANTITIES), st.integers(-2, 64), st.floats(-1, 8, width=16))
_resources = st.builds(
    lambda cpu, mem, gpu: f"Resources(cpu={cpu!r}, mem={mem!r}, gpu={gpu!r})",
    st.none() | _quantity,
    st.none() | st.sampled_from(QUANTITIES),
    st.none() | st.integers(-1, 4),
)
_pairs = st.builds(
    lambda a, b: f"Resources(cpu=({a!r}, {b!r}))", st.sampled_from(QUANTITIES), _quantity
)
_names = st.sampled_from(["a", "b", "c", "missing"])

OPTIONS: dict[str, st.SearchStrategy[str]] = {
    "cache": st.sampled_from(
        ["True", "False", "Cache(version='1')", "Cache(version='1', serialize=True)", "'yes'"]
    ),
    "cache_version": st.sampled_from(["'v1'", "''", "3"]),
    "cache_serialize": st.sampled_from(["True", "False"]),
    "cache_ignore_input_vars": st.lists(_names, max_size=2).map(repr),
    "retries": st.one_of(st.integers(-3, 12).map(repr), st.sampled_from(["'3'", "2.5", "True"])),
    "timeout": st.one_of(
        st.integers(-5, 10_000).map(repr),
        st.sampled_from(["None", "'10m'", "datetime.timedelta(minutes=5)", "1.5"]),
    ),
    "interruptible": st.sampled_from(["True", "False", "None", "'no'"]),
    "deprecated": st.sampled_from(["''", "'use v2'", "3"]),
    "requests": _resources,
    "limits": _resources,
    "resources": st.one_of(_resources, _pairs),
    "environment": st.sampled_from(["{'A': '1'}", "{'A': 1}", "{}", "['A=1']", "{1: 'a'}"]),
    "container_image": st.sampled_from(
        [
            "'registry.example.com/other:1.0'",
            "'{{.image.default.fqn}}:{{.image.default.version}}'",
            "'{{.image.nope.fqn}}:1'",
            "''",
            "'{{.image.default'",
            "3",
        ]
    ),
    "pod_template_name": st.sampled_from(["'base'", "''", "3"]),
    "pod_template": st.sampled_from(
        [
            "PodTemplate()",
            "PodTemplate(pod_spec={'containers': [{'name': 'primary'}]})",
            "PodTemplate(pod_spec={'containers': 'x'})",
            "PodTemplate(pod_spec=3)",
            "PodTemplate(primary_container_name='')",
        ]
    ),
    "accelerator": st.sampled_from(["T4", "A100.partition_1g_5gb", "'nvidia-tesla-t4'", "3"]),
    "shared_memory": st.sampled_from(["True", "False", "'1Gi'", "'lots'", "3"]),
    "labels": st.sampled_from(["{'team': 'x'}", "{'team': 3}", "'x'"]),
    "annotations": st.sampled_from(["{'a': 'b'}", "[1]"]),
    "secret_requests": st.sampled_from(
        ["[Secret(group='g', key='k')]", "[Secret(key='k')]", "['nope']", "[]"]
    ),
    "enable_deck": st.sampled_from(["True", "False"]),
}

options = st.dictionaries(st.sampled_from(sorted(OPTIONS)), st.just(None), max_size=5).flatmap(
    lambda chosen: st.fixed_dictionaries({name: OPTIONS[name] for name in sorted(chosen)})
)

DEFAULTS = ["1", "'x'", "None", "[1, 2]", "{'a': 1}", "Color.RED", "2.5", "True"]


@st.composite
def task_modules(draw: st.DrawFn) -> str:
    """The source of a module holding one ``@task`` with random options and hints."""
    chosen = draw(options)
    args = ", ".join(f"{name}={value}" for name, value in chosen.items())
    decorator = f"@task({args})" if chosen or draw(st.booleans()) else "@task"
    params = []
    for name in draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3)):
        param = f"{name}: {draw(hints)}"
        if draw(st.booleans()):
            param += f" = {draw(st.sampled_from(DEFAULTS))}"
        params.append(param)
    # Parameters with defaults must come last, or the module is a syntax error (also fine).
    returns = draw(st.one_of(hints, st.just("Row"), st.just("None")))
    body = [
        decorator,
        f"def fuzzed({', '.join(params)}) -> {returns}:",
        '    """Fuzzed task.',
        "",
        "    Args:",
        *[f"        {p.split(':')[0]}: input {p.split(':')[0]}." for p in params],
        '    """',
        "    raise NotImplementedError",
        "",
    ]
    return PRELUDE + "\n" + "\n".join(body)


#: Snippets a mutation inserts: syntax breakers, odd characters, statements that fail at import.
INSERTS = [
    "(",
    ")",
    ":",
    "@task\n",
    "@task(\n",
    "\t",
    "é",
    "\x00",
    "\ufeff",
    "import rb_missing_module\n",
    "raise SystemExit(2)\n",
    "raise ValueError('x')\n",
    "yield\n",
    "return\n",
    "def\n",
    "lambda",
    " = 1\n",
    "__import__('sys').exit()\n",
    "*",
    "**",
    "'''",
    "async ",
    "global x\n",
    "1/0\n",
]


@st.composite
def mutated_modules(draw: st.DrawFn, source: str) -> str:
    """``source`` with one to three random deletions, insertions or line swaps."""
    text = source
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "swap"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


_KW_TYPES = st.sampled_from(
    [
        "int",
        "str",
        "float",
        "bool",
        "FlyteFile",
        "FlyteDirectory",
        "list[int]",
        "Opaque",
        "dict[str, int]",
        "Point",
        "typing.Optional[int]",
        "datetime.datetime",
    ]
)
_kwtypes = st.dictionaries(
    st.sampled_from(["a", "b", "path", "out", "o0"]), _KW_TYPES, max_size=3
).map(lambda kw: "kwtypes(" + ", ".join(f"{k}={v}" for k, v in kw.items()) + ")")
_ARGS = st.lists(
    st.sampled_from(
        [
            "run",
            "{{.inputs.a}}",
            "{{ .inputs.path }}",
            "{{.outputs.out}}",
            "{{.inputs.missing}}",
            "{{.inputs.a",
            "--flag",
            "",
            "{{.image.default.fqn}}",
        ]
    ),
    max_size=4,
)

CONTAINER_OPTIONS: dict[str, st.SearchStrategy[str]] = {
    "inputs": _kwtypes,
    "outputs": _kwtypes,
    "arguments": _ARGS.map(repr),
    "requests": _resources,
    "limits": _resources,
    "resources": st.one_of(_resources, _pairs),
    "input_data_dir": st.sampled_from(["'/var/inputs'", "'relative'", "''", "3"]),
    "output_data_dir": st.sampled_from(["'/var/outputs'", "'relative'", "''", "None"]),
    "metadata_format": st.sampled_from(["'JSON'", "'YAML'", "'PROTO'", "'XML'", "3"]),
    "secret_requests": OPTIONS["secret_requests"],
    "pod_template": OPTIONS["pod_template"],
    "pod_template_name": OPTIONS["pod_template_name"],
    "environment": OPTIONS["environment"],
    "local_logs": st.sampled_from(["True", "False"]),
}

container_options = st.dictionaries(
    st.sampled_from(sorted(CONTAINER_OPTIONS)), st.just(None), max_size=5
).flatmap(lambda chosen: st.fixed_dictionaries({k: CONTAINER_OPTIONS[k] for k in sorted(chosen)}))


@st.composite
def container_modules(draw: st.DrawFn) -> str:
    """The source of a module holding one ``ContainerTask`` with random options."""
    chosen = draw(container_options)
    image = draw(
        st.sampled_from(
            ["'registry.example.com/tools/x:1'", "'{{.image.default.fqn}}:1'", "''", "None", "3"]
        )
    )
    command = draw(st.sampled_from(["['run']", "[]", "'run'", "['run', 3]", "None"]))
    name = draw(st.sampled_from(["'fuzzed'", "''", "'a/b'", "'..'", "3", "'x' * 300"]))
    extra = "".join(f"    {k}={v},\n" for k, v in chosen.items())
    header = PRELUDE.replace("    PodTemplate,\n", "    ContainerTask,\n    PodTemplate,\n")
    header = header.replace("    task,\n", "    kwtypes,\n    task,\n")
    return (
        f"{header}\nfuzzed = ContainerTask(\n    name={name},\n    image={image},\n"
        f"    command={command},\n{extra})\n"
    )
