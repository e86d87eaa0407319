"""The cheap definition-time paths give exactly what the slower originals gave.

Each shortcut of the SDK is compared with the code it replaced (kept here as the reference):
parameters read from the code object vs ``inspect.signature``, the reordered forward-reference
check, the ``_outputs`` fast path for plain classes, the ``def``-line search, the class-based
``definition_context`` vs a ``@contextmanager``, the exact-type check of ``TaskMetadata``, and
the memoised ``SourceLocation.relative_to``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import keyword
import linecache
import os
import traceback
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import Resources, task
from compiler.errors import DefinitionError, SourceLocation
from compiler.sdk import interface as itf
from compiler.sdk import location as loc
from compiler.sdk.metadata import _FIELD_TYPES, TaskMetadata, _check_type

# -- parameters: code object vs inspect.signature ---------------------------------------------

NAMES = ["a", "b", "c", "d", "e", "f_", "match", "case", "_", "type"]
ANNOTATIONS = ["", ": int", ": 'str'", ": None", ": list[int]"]
DEFAULTS = ["=1", "=None", "=(1, 2)"]


@st.composite
def signatures(draw: st.DrawFn) -> str:
    """The parameter list of a ``def``: positional-only, ordinary, ``*args``, keyword-only,
    ``**kwargs``, with and without annotations and defaults (always valid Python)."""
    names = iter(draw(st.permutations(NAMES)))
    parts: list[str] = []
    seen_default = False

    def param(allow_default: bool) -> str:
        nonlocal seen_default
        text = next(names) + draw(st.sampled_from(ANNOTATIONS))
        if allow_default and (seen_default or draw(st.booleans())):
            text += draw(st.sampled_from(DEFAULTS))  # "a: int=1" and "a=1" are both valid
            seen_default = True
        return text

    for _ in range(draw(st.integers(0, 2))):
        parts.append(param(True))
    if parts and draw(st.booleans()):
        parts.append("/")
    for _ in range(draw(st.integers(0, 2))):
        parts.append(param(True))
    star = draw(st.sampled_from(["", "*", "*args"]))
    kwonly = draw(st.integers(0 if star != "*" else 1, 2))
    if star == "*args":
        parts.append("*" + next(names) + draw(st.sampled_from(ANNOTATIONS)))
    elif star == "*" or kwonly:
        parts.append("*")
    for _ in range(kwonly):
        text = next(names) + draw(st.sampled_from(ANNOTATIONS))
        if draw(st.booleans()):
            text += draw(st.sampled_from(DEFAULTS))
        parts.append(text)
    if draw(st.booleans()):
        parts.append("**" + next(names) + draw(st.sampled_from(ANNOTATIONS)))
    returns = draw(st.sampled_from(["", " -> int", " -> None", " -> 'X'"]))
    return f"def f({', '.join(parts)}){returns}:\n    pass\n"


def compile_function(source: str, future: bool) -> Any:
    namespace: dict[str, Any] = {}
    header = "from __future__ import annotations\n" if future else ""
    exec(compile(header + source, "<generated>", "exec"), namespace)
    return namespace["f"]


def from_inspect(func: Any) -> tuple[list[tuple[str, Any, Any, Any]], Any]:
    sig = inspect.signature(func)
    params = [(p.name, p.kind, p.annotation, p.default) for p in sig.parameters.values()]
    return params, sig.return_annotation


@settings(max_examples=800, deadline=None)
@given(signatures(), st.booleans())
def test_code_parameters_match_inspect_signature(source: str, future: bool) -> None:
    func = compile_function(source, future)
    fast = itf._code_parameters(func)
    assert fast is not None
    assert fast == from_inspect(func)
    assert itf.signature_parameters(func) == from_inspect(func)


def test_unusual_callables_take_the_inspect_path() -> None:
    def plain(a: int, b: str = "x") -> int:
        return a

    @functools.wraps(plain)
    def wrapped(*args: Any, **kwargs: Any) -> int:
        return plain(*args, **kwargs)

    edited = compile_function("def f(a: int, b: int = 2):\n    pass\n", False)
    edited.__defaults__ = (1, 2, 3)  # more defaults than parameters
    signed = compile_function("def f(a: int):\n    pass\n", False)
    signed.__signature__ = inspect.Signature()
    partial = functools.partial(plain, 1)
    for func in (wrapped, edited, signed, partial):
        assert itf._code_parameters(func) is None
        assert itf.signature_parameters(func) == from_inspect(func)


def test_non_identifier_names_take_the_inspect_path() -> None:
    func = compile_function("def f(a, b):\n    pass\n", False)
    for name in ("class", "not an identifier"):
        assert keyword.iskeyword(name) or not name.isidentifier()
        func.__code__ = func.__code__.replace(co_varnames=(name, "b"))
        assert itf._code_parameters(func) is None
        with pytest.raises(ValueError):
            inspect.signature(func)


@pytest.mark.parametrize(
    ("source", "code", "param"),
    [
        ("def f(a, *args: int) -> int: ...", "CT101", "a"),
        ("def f(a: int, *args: int) -> int: ...", "CT102", "args"),
        ("def f(*args, b: int) -> int: ...", "CT102", "args"),
        ("def f(a: int, *, b) -> int: ...", "CT101", "b"),
        ("def f(a: int, **kw) -> int: ...", "CT102", "kw"),
        ("def f(a: int, b: int = 1, *, c) -> int: ...", "CT101", "c"),
    ],
)
def test_first_error_in_parameter_order(source: str, code: str, param: str) -> None:
    func = compile_function(source, False)
    with pytest.raises(DefinitionError) as info:
        itf.interface_from_function(func)
    assert (info.value.code, info.value.param) == (code, param)


# -- forward references and outputs -----------------------------------------------------------


def has_forward_ref_before(hint: Any) -> bool:
    """The check as it was: ``get_origin`` first, then ``__args__``."""
    if isinstance(hint, str | typing.ForwardRef):
        return True
    if typing.get_origin(hint) is typing.Literal:
        return False
    args = getattr(hint, "__args__", None)
    return isinstance(args, tuple) and any(has_forward_ref_before(arg) for arg in args)


class Pair(NamedTuple):
    left: int
    right: str


class Later:
    """Named by the forward references below (they stay strings: nothing evaluates them)."""


class WithArgs:
    __args__ = ("Later",)


class OddArgs:
    __args__ = ["not", "a", "tuple"]


HINTS: list[Any] = [
    int,
    str,
    type(None),
    "Later",
    typing.ForwardRef("Later"),
    list[int],
    list["Later"],
    dict[str, list["Later"]],
    typing.Optional["Later"],
    typing.Optional[int],  # noqa: UP045 - typing.Optional is a different object than int | None
    int | None,
    Literal["a", "b"],
    Literal["Later"],
    typing.Annotated[int, "meta"],
    typing.Annotated["Later", "meta"],
    tuple[int, str],
    tuple[int, ...],
    tuple[()],
    typing.Tuple[int, "Later"],  # noqa: UP006 - the typing alias is a different object
    Pair,
    tuple,
    typing.Generic,
    WithArgs,
    OddArgs,
    inspect.Signature.empty,
    None,
]


@pytest.mark.parametrize("hint", HINTS, ids=repr)
def test_forward_reference_check_unchanged(hint: Any) -> None:
    assert itf._has_forward_ref(hint) == has_forward_ref_before(hint)


def outputs_before(return_hint: Any) -> Any:
    """``_outputs`` without the plain-class fast path."""
    if return_hint is inspect.Signature.empty or return_hint is None or return_hint is type(None):
        return {}, None
    if itf._is_named_tuple(return_hint):
        fields = typing.get_type_hints(return_hint, include_extras=True)
        return {name: fields[name] for name in return_hint._fields}, return_hint.__name__
    if typing.get_origin(return_hint) is tuple:
        args = typing.get_args(return_hint)
        if not args or (len(args) == 2 and args[1] is Ellipsis) or args == ((),):
            return "CT105"
        return {f"o{i}": arg for i, arg in enumerate(args)}, None
    return {"o0": return_hint}, None


@pytest.mark.parametrize("hint", HINTS, ids=repr)
def test_outputs_unchanged(hint: Any) -> None:
    try:
        got = itf._outputs(hint)
    except DefinitionError as err:
        got = err.code  # type: ignore[assignment]
    assert got == outputs_before(hint)


# -- the def line and the definition context --------------------------------------------------


def function_location_before(code: Any) -> SourceLocation:
    first = code.co_firstlineno
    for line in range(first, first + loc._MAX_DECORATOR_LINES):
        text = linecache.getline(code.co_filename, line)
        if not text:
            break
        if loc._DEF_LINE.match(text):
            return SourceLocation(code.co_filename, line)
    return SourceLocation(code.co_filename, first)


SOURCE = """
import functools

def deco(*args, **kwargs):
    if len(args) == 1 and callable(args[0]):
        return args[0]
    return lambda f: f

@deco
def one(): ...

@deco(
    1,
    2,
)
@deco
async def two(): ...

def three(): ...

@deco
class Four:
    def method(self): ...
"""


def test_def_line_search_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(SOURCE)
    namespace: dict[str, Any] = {}
    exec(compile(SOURCE, str(path), "exec"), namespace)
    codes = [namespace[n].__code__ for n in ("one", "two", "three")]
    codes.append(namespace["Four"].method.__code__)
    for code in codes:
        assert loc.function_location(code) == function_location_before(code)
    missing = codes[0].replace(co_filename=str(tmp_path / "gone.py"))
    assert loc.function_location(missing) == function_location_before(missing)
    beyond = codes[0].replace(co_firstlineno=10_000)
    assert loc.function_location(beyond) == function_location_before(beyond)
    zero = codes[0].replace(co_firstlineno=0)
    assert loc.function_location(zero) == function_location_before(zero)


@pytest.mark.parametrize(
    ("head", "newline"),
    [
        (b"", b"\n"),
        (b"", b"\r\n"),
        (b"", b"\r"),
        (b"\xef\xbb\xbf", b"\n"),  # a byte-order mark
        (b"# -*- coding: latin-1 -*-\n", b"\n"),  # read by linecache
        (b"\x0c\n", b"\n"),  # a form feed ends no line, for the compiler either
    ],
)
def test_def_lines_are_numbered_as_the_compiler_numbers_them(
    tmp_path: Path, head: bytes, newline: bytes
) -> None:
    path = tmp_path / f"defs_{len(head)}_{len(newline)}.py"
    text = head + SOURCE.encode().replace(b"\n", newline) + b"# caf\xe9\n" * (b"latin" in head)
    path.write_bytes(text)
    loc.forget_source_lines()
    linecache.checkcache()
    namespace: dict[str, Any] = {}
    exec(compile(text, str(path), "exec"), namespace)
    for name in ("one", "two", "three"):
        code = namespace[name].__code__
        assert loc.function_location(code) == function_location_before(code), name


def test_a_second_discovery_reads_an_edited_file_afresh(tmp_path: Path) -> None:
    """The lines are kept per file while a compile runs; a new import session drops them."""
    from compiler.discovery.importer import isolated_imports

    path = tmp_path / "edited.py"
    path.write_text(SOURCE)
    namespace: dict[str, Any] = {}
    exec(compile(SOURCE, str(path), "exec"), namespace)
    line = SOURCE.splitlines().index("def three(): ...") + 1
    assert loc.function_location(namespace["three"].__code__).line == line
    edited = "\n\n" + SOURCE
    path.write_text(edited)
    with isolated_imports([tmp_path]):
        exec(compile(edited, str(path), "exec"), namespace)
        assert loc.function_location(namespace["three"].__code__).line == line + 2


@contextlib.contextmanager
def definition_context_before(task_name: str | None, where: Any) -> Iterator[None]:
    try:
        yield
    except DefinitionError as err:
        raise err.with_context(location=where(), task=task_name) from None


def _fail(context: Any) -> DefinitionError:
    try:
        with context("pkg.mod.t", lambda: SourceLocation("pkg/mod.py", 7)):
            try:
                raise KeyError("context")
            except KeyError:
                raise DefinitionError("bad", code="CT199") from None
    except DefinitionError as err:
        return err
    raise AssertionError("no error")


def test_definition_context_unchanged() -> None:
    new, old = _fail(loc.definition_context), _fail(definition_context_before)
    assert (new.render(), new.task, new.location) == (old.render(), old.task, old.location)
    assert (new.__cause__, new.__suppress_context__) == (old.__cause__, old.__suppress_context__)
    assert type(new.__context__) is type(old.__context__)
    frames = [(f.name, f.line) for f in traceback.extract_tb(new.__traceback__)]
    assert frames == [(f.name, f.line) for f in traceback.extract_tb(old.__traceback__)]


def test_definition_context_passes_other_errors_through() -> None:
    with pytest.raises(KeyError), loc.definition_context("t", lambda: None):
        raise KeyError("x")
    with loc.definition_context("t", lambda: None):
        pass


# -- TaskMetadata's exact-type check ------------------------------------------------------------

VALUES = [True, False, 0, 1, "", "v1", None, 1.5, b"x", ("a",), [], {}]


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries({option: st.sampled_from(VALUES) for option in _FIELD_TYPES}))
def test_exact_type_check_only_skips_passing_loops(values: dict[str, Any]) -> None:
    probe = TaskMetadata()
    for option, value in values.items():
        object.__setattr__(probe, option, value)
    if probe._has_exact_types():
        for option, allowed in _FIELD_TYPES.items():
            _check_type(getattr(probe, option), allowed, option)  # must not raise


def test_metadata_errors_unchanged() -> None:
    with pytest.raises(DefinitionError) as info:
        TaskMetadata(cache="yes", retries=-1)  # type: ignore[arg-type]
    assert (info.value.code, info.value.param) == ("CT119", "cache")
    with pytest.raises(DefinitionError) as info:
        TaskMetadata(interruptible=1)  # type: ignore[arg-type]
    assert (info.value.code, info.value.param) == ("CT119", "interruptible")


# -- the decorator's update_wrapper ---------------------------------------------------------------


def test_task_carries_the_function_identity_as_update_wrapper_does() -> None:
    def body(a: int) -> int:
        """Doc."""
        return a

    def marked(a: int) -> int:
        return a

    marked.extra = "kept"  # type: ignore[attr-defined]
    for func in (body, marked):
        made = task(func)
        reference = object.__new__(type(made))
        functools.update_wrapper(reference, func)
        for attr in (*functools.WRAPPER_ASSIGNMENTS, "__wrapped__"):
            assert getattr(made, attr) == getattr(reference, attr), attr
        assert getattr(made, "extra", None) == getattr(func, "extra", None)


# -- relative_to ------------------------------------------------------------------------------


def relative_to_before(location: SourceLocation, root: str) -> SourceLocation:
    try:
        rel = os.path.relpath(location.file, root)
    except ValueError:
        return location
    if rel.startswith(".."):
        return location
    return SourceLocation(rel.replace(os.sep, "/"), location.line)


PATHS = ["/a/b/c.py", "/a/b", "/a", "/", "a/b.py", "b.py", "", "/a/b/../c.py", "/a//b/c.py"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), st.sampled_from(PATHS), st.integers(0, 3))
def test_relative_to_unchanged(file: str, root: str, line: int) -> None:
    if not root:
        root = "."
    location = SourceLocation(file, line)
    try:
        expected: Any = relative_to_before(location, root)
    except ValueError as exc:
        expected = repr(exc)
    for _ in range(2):  # the second answer comes from the memo for absolute paths
        try:
            got: Any = location.relative_to(root)
        except ValueError as exc:
            got = repr(exc)
        assert got == expected


def test_relative_to_follows_the_working_folder_for_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "x").mkdir()
    location = SourceLocation("mod.py", 3)
    monkeypatch.chdir(tmp_path)
    first = location.relative_to(str(tmp_path))
    monkeypatch.chdir(tmp_path / "x")
    second = location.relative_to(str(tmp_path))
    assert (first.file, second.file) == ("mod.py", "x/mod.py")


# -- the decorator leaves out None options for PythonFunctionTask --------------------------------

OPTION_NAMES = [
    "container_image",
    "environment",
    "requests",
    "limits",
    "resources",
    "secret_requests",
    "task_resolver",
    "docs",
    "pod_template",
    "accelerator",
    "shared_memory",
]


def test_every_left_out_option_defaults_to_none() -> None:
    from compiler.sdk import PythonAutoContainerTask, PythonTask

    defaults = {}
    for cls in (PythonTask, PythonAutoContainerTask):
        for param in inspect.signature(cls.__init__).parameters.values():
            defaults[param.name] = param.default
    for name in OPTION_NAMES:
        if name == "docs":
            continue  # PythonFunctionTask pops it with a default of None
        assert defaults[name] is None, name


def test_none_options_give_the_same_task_as_left_out_ones() -> None:
    from compiler.sdk import PythonFunctionTask

    def body(a: int) -> int:
        """Doc."""
        return a

    explicit = PythonFunctionTask(
        None, body, metadata=TaskMetadata(), **dict.fromkeys(OPTION_NAMES, None)
    )
    omitted = PythonFunctionTask(None, body, metadata=TaskMetadata())
    assert vars(explicit).keys() == vars(omitted).keys()
    for key, value in vars(explicit).items():
        other = vars(omitted)[key]
        if key == "python_interface":
            assert (value.inputs, value.outputs, value.defaults) == (
                other.inputs,
                other.outputs,
                other.defaults,
            )
        else:
            assert value == other, key
    assert explicit.docs == omitted.docs


def test_option_list_covers_the_decorator() -> None:
    metadata_options = {
        "cache",
        "cache_serialize",
        "cache_version",
        "cache_ignore_input_vars",
        "retries",
        "interruptible",
        "deprecated",
        "timeout",
        "pod_template_name",
        "disable_deck",
        "enable_deck",
        "labels",
        "annotations",
    }
    params = set(inspect.signature(task).parameters) - {"_task_function", "task_config"}
    assert params - metadata_options == set(OPTION_NAMES)


@pytest.mark.parametrize("cls", sorted(itf._PLAIN_BUILTINS, key=repr), ids=repr)
def test_plain_builtins_cannot_gain_args(cls: type) -> None:
    with pytest.raises(TypeError):
        cls.__args__ = ("Later",)  # type: ignore[attr-defined]
    assert itf._has_forward_ref(cls) is has_forward_ref_before(cls) is False
    assert itf._has_forward_ref(list[cls]) is has_forward_ref_before(list[cls]) is False


# -- Resources: the precomputed field table vs the fields() loop (still used by subclasses) -------

QUANTITIES = [None, "1", "500m", "2Gi", "256Mi", 2, 0.5, "2 cores", -1, True, ("1", "2"), ["1"], ()]


@dataclasses.dataclass(frozen=True)
class SubResources(Resources):
    """No extra field: only takes the generic ``fields()`` path."""


def _outcome(cls: type, values: dict[str, Any]) -> Any:
    try:
        res = cls(**values)
    except DefinitionError as err:
        return (err.code, err.param, err.message)
    return [(name, value) for name, value in res.items()]


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {f: st.sampled_from(QUANTITIES) for f in ("cpu", "mem", "gpu", "ephemeral_storage")}
    )
)
def test_resources_table_matches_the_fields_loop(values: dict[str, Any]) -> None:
    assert _outcome(Resources, values) == _outcome(SubResources, values)
