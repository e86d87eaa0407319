from compiler import task


@task(cache=True)
def cached(x: int) -> int:
    return x
