from compiler import task


@task(retries=-3)
def first(x: int) -> int:
    return x
