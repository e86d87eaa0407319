"""Tasks whose inputs and outputs are custom types."""

from compiler import task

from .money import Money, Report


@task
def price(sku: str) -> Money:
    return Money(1250)


@task
def total(prices: list[Money], discount: Money | None = None) -> dict[str, Money]:
    cents = sum(p.cents for p in prices) - (discount.cents if discount else 0)
    return {"total": Money(cents)}


@task
def publish(report: Report, amount: Money) -> Report:
    return report
