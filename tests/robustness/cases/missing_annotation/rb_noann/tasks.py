from compiler import task


@task
def total(prices, tax: float) -> float:
    return sum(prices) * tax
