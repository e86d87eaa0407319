"""A flytekit-style custom type: a transformer registered with ``TypeEngine.register``."""

from __future__ import annotations

import os

from compiler.models.core.types import BlobType
from compiler.models.literals import Blob, BlobMetadata, Literal, Primitive, Scalar
from compiler.models.types import LiteralType, SimpleType
from compiler.types import TypeEngine, TypeTransformer


class Money:
    def __init__(self, cents: int, currency: str = "EUR") -> None:
        self.cents = cents
        self.currency = currency

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and (self.cents, self.currency) == (
            other.cents,
            other.currency,
        )


class MoneyTransformer(TypeTransformer[Money]):
    def __init__(self) -> None:
        super().__init__(name="Money", t=Money)

    def get_literal_type(self, t: type[Money]) -> LiteralType:
        return LiteralType(simple=SimpleType.STRING)

    def to_literal(self, ctx, python_val: Money, python_type, expected) -> Literal:
        text = f"{python_val.cents} {python_val.currency}"
        return Literal(scalar=Scalar(primitive=Primitive(string_value=text)))

    def to_python_value(self, ctx, lv: Literal, expected_python_type) -> Money:
        cents, currency = lv.scalar.primitive.string_value.split()
        return Money(int(cents), currency)

    def guess_python_type(self, literal_type: LiteralType) -> type[Money]:
        return Money

    def to_html(self, ctx, python_val: Money, expected_python_type) -> str:
        return f"<b>{python_val.cents / 100:.2f} {python_val.currency}</b>"


class Report:
    """A document stored as a file of format ``report``."""

    def __init__(self, path: str) -> None:
        self.path = path


class ReportTransformer(TypeTransformer[Report]):
    def __init__(self) -> None:
        super().__init__(name="Report", t=Report)

    def get_literal_type(self, t: type[Report]) -> LiteralType:
        return LiteralType(
            blob=BlobType(format="report", dimensionality=BlobType.BlobDimensionality.SINGLE)
        )

    def to_literal(self, ctx, python_val: Report, python_type, expected) -> Literal:
        remote = ctx.file_access.put_raw_data(python_val.path)
        meta = BlobMetadata(type=expected.blob)
        return Literal(scalar=Scalar(blob=Blob(metadata=meta, uri=remote)))

    def to_python_value(self, ctx, lv: Literal, expected_python_type) -> Report:
        local = ctx.file_access.get_random_local_path(os.path.basename(lv.scalar.blob.uri))
        ctx.file_access.get_data(lv.scalar.blob.uri, local)
        return Report(local)


TypeEngine.register(MoneyTransformer())
TypeEngine.register(ReportTransformer())
