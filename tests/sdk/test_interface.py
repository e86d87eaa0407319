"""Interface extraction: inputs, outputs, defaults, string hints, descriptions, errors."""

import sys
import typing
from pathlib import Path
from typing import Annotated

import pytest

from compiler import Description, Documentation, FlyteAnnotation, task
from compiler.errors import DefinitionError
from compiler.sdk import interface as interface_module

sys.path.insert(0, str(Path(__file__).parent / "data"))
import hints_module as hm


def test_string_annotations_resolve():
    itf = hm.stringly.python_interface
    assert itf.inputs == {"xs": list[int], "label": str | None}
    assert itf.outputs == {"o0": dict[str, int]}
    assert itf.defaults == {"label": None}


@pytest.mark.parametrize(
    ("t", "outputs", "tuple_name"),
    [
        (hm.class_tuple, {"count": int, "amount": float}, "Totals"),
        (hm.functional_tuple, {"label": str}, "Functional"),
        (hm.inline_tuple, {"count": int}, "Inline"),
        (hm.plain_tuple, {"o0": int, "o1": str}, None),
        (hm.nothing, {}, None),
        (hm.unannotated_return, {}, None),
    ],
)
def test_outputs(t, outputs, tuple_name):
    assert t.python_interface.outputs == outputs
    assert t.python_interface.output_tuple_name == tuple_name


def test_annotated_extras_are_kept():
    @task
    def f(n: Annotated[int, FlyteAnnotation({"min": 1})]) -> int:
        return n

    (hint,) = f.python_interface.inputs.values()
    assert typing.get_origin(hint) is Annotated


def rendered_error(fn) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        fn()
    return info.value


def test_missing_annotation_is_ct101_naming_the_parameter():
    def declare():
        @task
        def f(a: int, b) -> int:
            return a

    err = rendered_error(declare)
    assert (err.code, err.param, err.task) == ("CT101", "b", "test_interface.f")
    assert err.hint == "annotate it, e.g. 'b: int'"


@pytest.mark.parametrize("kind", ["args", "kwargs"])
def test_star_args_are_ct102(kind):
    def declare():
        if kind == "args":

            @task
            def f(*rows: int) -> None: ...
        else:

            @task
            def f(**rows: int) -> None: ...

    err = rendered_error(declare)
    assert (err.code, err.param) == ("CT102", "rows")


def test_unresolvable_forward_reference_is_ct103_naming_the_parameter():
    def declare():
        @task
        def f(a: int, cfg: "MissingConfig") -> int:  # noqa: F821
            return a

    err = rendered_error(declare)
    assert (err.code, err.param) == ("CT103", "cfg")
    assert "MissingConfig" in err.message


def test_unresolvable_return_hint_is_ct103_for_the_output():
    def declare():
        @task
        def f(a: int) -> "Nope":  # noqa: F821
            return a

    err = rendered_error(declare)
    assert (err.code, err.param) == ("CT103", None)


def test_variadic_tuple_return_is_ct105():
    def declare():
        @task
        def f() -> tuple[int, ...]:
            return (1,)

    assert rendered_error(declare).code == "CT105"


NESTED_SOURCE = """
from compiler import task

def factory():
    @task
    def inner() -> None: ...

    return inner
"""


def test_nested_tasks_outside_test_modules_are_ct106():
    namespace = {"__name__": "shop.orders"}
    exec(compile(NESTED_SOURCE, "/src/shop/orders.py", "exec"), namespace)
    err = rendered_error(namespace["factory"])
    assert (err.code, err.task) == ("CT106", "shop.orders.inner")
    assert err.location.file == "/src/shop/orders.py"


def test_not_a_function_is_ct107():
    assert rendered_error(lambda: task(42)).code == "CT107"


def test_descriptions_from_rest_docstring():
    @task
    def load_orders(order_ids: list[str], limit: int = 100, note: str = "") -> int:
        """Load orders into the staging table.

        Orders already present are skipped, so the task
        can be retried safely.

        :param order_ids: Orders to load.
        :param note:
        :return: Number of rows written.
        """
        return 0

    itf = load_orders.python_interface
    assert itf.input_descriptions == {"order_ids": "Orders to load.", "limit": "limit", "note": ""}
    assert itf.output_descriptions == {"o0": "Number of rows written."}
    assert load_orders.docs.short_description == "Load orders into the staging table."
    assert load_orders.docs.long_description == (
        "Orders already present are skipped, so the task\ncan be retried safely."
    )


def test_google_docstring_and_shared_return_text_for_every_output():
    @task
    def f(a: int, b: str) -> hm.Totals:
        """Summarise.

        Args:
            a (int): The first
                value.

        Returns:
            Totals: Both numbers.
        """
        return hm.Totals(1, 1.0)

    itf = f.python_interface
    assert itf.input_descriptions == {"a": "The first\nvalue.", "b": "b"}
    assert itf.output_descriptions == {"count": "Both numbers.", "amount": "Both numbers."}
    assert f.docs.short_description == "Summarise."
    assert f.docs.long_description == ""  # written as the format, without text


def test_no_docstring():
    @task
    def f(a: int) -> int:
        return a

    assert f.python_interface.input_descriptions == {"a": "a"}
    assert f.python_interface.output_descriptions == {"o0": "o0"}
    assert (f.docs.short_description, f.docs.long_description) == (None, "")


@pytest.mark.parametrize("doc", [None, "", "Only a summary.", ":param a: A."])
def test_descriptions_without_a_docstring_are_what_parsing_none_gives(doc):
    """A task without a docstring skips the parse; its descriptions are an empty parse's."""
    from compiler.sdk import docstring

    itf = interface_module.Interface({"a": int, "b": str}, {"o0": int, "o1": str}, docstring=doc)
    parsed = docstring.parse_docstring(doc)
    params = parsed.params
    assert itf.input_descriptions == {name: params.get(name, name) for name in ("a", "b")}
    assert itf.output_descriptions == docstring.describe_outputs(parsed, ["o0", "o1"])
    if not doc:
        assert "parsed_docstring" not in vars(itf)


def test_docstring_is_parsed_lazily():
    interface_module.load_docstring_module.cache_clear()
    sys.modules.pop("compiler.sdk.docstring", None)

    @task
    def f(a: int) -> int:
        """Doc.

        :param a: A.
        """
        return a

    assert "compiler.sdk.docstring" not in sys.modules
    assert f.python_interface.input_descriptions == {"a": "A."}
    assert "compiler.sdk.docstring" in sys.modules


def test_given_docs_fill_what_the_docstring_lacks():
    @task(docs=Documentation(short_description="Given.", long_description=Description("Body.")))
    def f() -> None:
        """From the docstring."""

    assert f.docs == Documentation("From the docstring.", "Body.")

    @task(docs=Documentation(short_description="Only given."))
    def g() -> None: ...

    assert g.docs == Documentation("Only given.", None)
