from compiler import task


@task
def ok(x: int) -> int:
    return x
