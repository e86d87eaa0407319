from compiler import task


@task
def fine(x: int) -> int:
    return x
