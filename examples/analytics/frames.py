"""Sales analytics on dataframes: parquet tables in and out, report settings as a pydantic
model, and an amount of money as a custom type with its own transformer."""

from typing import Annotated

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, Field

from compiler import FlyteFile, StructuredDataset, kwtypes, task, workflow
from compiler.models.literals import Literal, Primitive, Scalar
from compiler.models.types import LiteralType, SimpleType
from compiler.types import TypeEngine, TypeTransformer

SalesFrame = Annotated[pd.DataFrame, kwtypes(sku=str, quantity=int, unit_price=float)]
RevenueFrame = Annotated[pd.DataFrame, kwtypes(sku=str, revenue=float)]
TopProducts = Annotated[StructuredDataset, "csv", kwtypes(sku=str, revenue=float)]


class Money:
    """An amount in cents with its currency, written as ``"1250 EUR"``."""

    def __init__(self, cents: int, currency: str = "EUR") -> None:
        self.cents = cents
        self.currency = currency

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and (self.cents, self.currency) == (
            other.cents,
            other.currency,
        )

    def __repr__(self) -> str:
        return f"Money({self.cents}, {self.currency!r})"


class MoneyTransformer(TypeTransformer[Money]):
    """``Money`` <-> a string literal ``"<cents> <currency>"``."""

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


TypeEngine.register(MoneyTransformer())


class ReportSettings(BaseModel):
    """How a sales report is cut and presented."""

    title: str
    currency: str = "EUR"
    top_n: int = Field(default=3, ge=1)
    min_revenue: float | None = None
    template: FlyteFile | None = None


@task
def load_sales(skus: list[str], quantities: list[int], prices: list[float]) -> SalesFrame:
    """Build the sales table of one day from its three columns.

    :param skus: Product of each sale.
    :param quantities: Units sold.
    :param prices: Price of one unit.
    :return: One row per sale.
    """
    if not len(skus) == len(quantities) == len(prices):
        raise ValueError("skus, quantities and prices must have the same length")
    return pd.DataFrame({"sku": skus, "quantity": quantities, "unit_price": prices})


@task
def revenue_by_sku(sales: SalesFrame) -> RevenueFrame:
    """Revenue per product, largest first."""
    revenue = (sales["quantity"] * sales["unit_price"]).groupby(sales["sku"]).sum()
    frame = revenue.rename("revenue").reset_index()
    return frame.sort_values(["revenue", "sku"], ascending=[False, True], ignore_index=True)


@task
def top_products(revenue: RevenueFrame, settings: ReportSettings) -> TopProducts:
    """The best sellers above the report's threshold, as a CSV table."""
    kept = revenue
    if settings.min_revenue is not None:
        kept = kept[kept["revenue"] >= settings.min_revenue]
    return StructuredDataset(dataframe=kept.head(settings.top_n).reset_index(drop=True))


@task
def total_revenue(revenue: RevenueFrame, settings: ReportSettings) -> Money:
    """All revenue of the table in the report's currency."""
    return Money(round(float(revenue["revenue"].sum()) * 100), settings.currency)


@task
def as_arrow(sales: SalesFrame) -> pa.Table:
    """The sales table as an arrow table (for engines that read arrow)."""
    return pa.Table.from_pandas(sales, preserve_index=False)


@task
def quantity_histogram(sales: pa.Table, bins: int = 4) -> np.ndarray:
    """How many sales fall into each of ``bins`` equal quantity ranges."""
    counts, _ = np.histogram(sales.column("quantity").to_numpy(), bins=bins)
    return counts


@workflow
def sales_report(
    skus: list[str], quantities: list[int], prices: list[float], settings: ReportSettings
) -> tuple[TopProducts, Money]:
    """Top products and total revenue of one day of sales."""
    sales = load_sales(skus=skus, quantities=quantities, prices=prices)
    revenue = revenue_by_sku(sales=sales)
    return top_products(revenue=revenue, settings=settings), total_revenue(
        revenue=revenue, settings=settings
    )
