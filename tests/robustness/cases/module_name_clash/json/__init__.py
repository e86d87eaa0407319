from compiler import task


@task
def dumps(x: int) -> int:
    return x
