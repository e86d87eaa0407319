"""Custom transformers in flytekit's shape, registered with ``TypeEngine.register``."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.errors import TypeMappingError
from compiler.models.literals import Literal, Primitive, Scalar
from compiler.models.types import LiteralType, SimpleType
from compiler.types import TypeEngine, TypeTransformer, default_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))
# The oracle probe's transformers (importing registers them on the default engine).
from probe_transformers.money import (
    Money,
    MoneyTransformer,
    Report,
    ReportTransformer,
)


def _engine() -> TypeEngine:
    engine = TypeEngine()
    engine.register(MoneyTransformer())
    engine.register(ReportTransformer())
    return engine


def test_literal_types_and_union_tag() -> None:
    engine = _engine()
    assert MessageToDict(engine.to_literal_type(Money)) == {"simple": "STRING"}
    variants = MessageToDict(engine.to_literal_type(Money | None))["unionType"]["variants"]
    assert variants[0]["structure"] == {"tag": "Money"}
    assert MessageToDict(engine.to_literal_type(Report)) == {"blob": {"format": "report"}}


_money = st.builds(Money, st.integers(-(2**40), 2**40), st.sampled_from(["EUR", "USD"]))


@settings(max_examples=50, deadline=None)
@given(value=_money, wrap=st.sampled_from(["plain", "list", "dict", "optional"]))
def test_round_trip_property(value: Money, wrap: str) -> None:
    engine = _engine()
    hint, data = {
        "plain": (Money, value),
        "list": (list[Money], [value, value]),
        "dict": (dict[str, Money], {"k": value}),
        "optional": (Money | None, value),
    }[wrap]
    assert engine.to_python(engine.to_literal(data, hint), hint) == data


def test_file_access_context(tmp_path: Path) -> None:
    engine = _engine()
    source = tmp_path / "q3.report"
    source.write_text("numbers")
    literal = engine.to_literal(Report(str(source)), Report)
    assert literal.scalar.blob.metadata.type.format == "report"
    back = engine.to_python(literal, Report)
    assert back.path != str(source) and Path(back.path).read_text() == "numbers"


def test_registering_on_the_class_uses_the_default_engine() -> None:
    class Celsius(float):
        pass

    class CelsiusTransformer(TypeTransformer[Celsius]):
        def __init__(self) -> None:
            super().__init__("Celsius", Celsius)

        def get_literal_type(self, t):
            return LiteralType(simple=SimpleType.FLOAT)

        def to_literal(self, ctx, python_val, python_type, expected):
            return Literal(scalar=Scalar(primitive=Primitive(float_value=float(python_val))))

        def to_python_value(self, ctx, lv, expected_python_type):
            return Celsius(lv.scalar.primitive.float_value)

    TypeEngine.register(CelsiusTransformer())
    assert default_engine().describe(Celsius).transformer.name == "Celsius"
    assert TypeEngine.to_literal_type(Celsius) == LiteralType(simple=SimpleType.FLOAT)
    literal = TypeEngine.to_literal(None, Celsius(2.5), Celsius, None)
    assert TypeEngine.to_python_value(None, literal, Celsius) == 2.5
    assert isinstance(default_engine().to_python_value(None, literal, Celsius), Celsius)


class _Broken(TypeTransformer[Money]):
    def __init__(self, result: object = None) -> None:
        super().__init__("Broken", Money)
        self.result = result

    def get_literal_type(self, t):
        return LiteralType(simple=SimpleType.STRING)

    def to_literal(self, ctx, python_val, python_type, expected):
        if self.result is None:
            raise KeyError("cents")  # the user's bug
        return self.result

    def to_python_value(self, ctx, lv, expected_python_type):
        return Money(int("not a number"))


def test_a_failing_transformer_is_reported_with_its_frame() -> None:
    engine = TypeEngine()
    engine.register(_Broken())
    with pytest.raises(TypeMappingError) as err:
        engine.to_literal(Money(1), Money)
    assert err.value.code == "CT228"
    assert "'Broken'.to_literal for Money raised KeyError" in err.value.message
    assert isinstance(err.value.__cause__, KeyError)
    frames = traceback.extract_tb(err.value.__cause__.__traceback__)
    assert frames[-1].name == "to_literal" and frames[-1].filename == __file__
    literal = Literal(scalar=Scalar(primitive=Primitive(string_value="1 EUR")))
    with pytest.raises(TypeMappingError, match="to_python_value for Money raised ValueError"):
        engine.to_python(literal, Money)


def test_wrong_values_and_results_are_errors() -> None:
    engine = TypeEngine()
    engine.register(_Broken(result="not a literal"))
    with pytest.raises(TypeMappingError) as err:
        engine.to_literal(Money(1), Money)
    assert err.value.code == "CT228" and "returned str" in err.value.message
    with pytest.raises(TypeMappingError) as err:
        _engine().to_literal(12.5, Money)
    assert err.value.code == "CT701" and "expected a Money, got float" in err.value.message


def test_flytekit_helpers_have_defaults() -> None:
    money = MoneyTransformer()
    assert money.flytekit_shaped and money.type_assertions_enabled
    assert money.guess_python_type(LiteralType(simple=SimpleType.STRING)) is Money
    assert money.to_html(None, Money(250), Money) == "<b>2.50 EUR</b>"
    with pytest.raises(ValueError, match="cannot guess"):
        ReportTransformer().guess_python_type(LiteralType(simple=SimpleType.STRING))
    assert ReportTransformer().to_html(None, 3, Report) == "3"
