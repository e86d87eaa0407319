from compiler import task


class Opaque:
    pass


@task
def second(x: Opaque) -> int:
    return 1
