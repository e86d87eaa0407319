from compiler import task


@task(timeout="ten minutes")
def slow(x: int) -> int:
    return x
