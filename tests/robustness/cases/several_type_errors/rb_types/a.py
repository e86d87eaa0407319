from compiler import task


class Opaque:
    pass


@task
def first(x: Opaque) -> int:
    return 1


@task
def fine(x: int) -> int:
    return x


@task
def second(x: int) -> Opaque:
    return Opaque()
