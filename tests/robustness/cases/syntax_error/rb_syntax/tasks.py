from compiler import task


@task
def broken(x: int) -> int:
    return (x +


def after() -> None:
    pass
