from compiler import Resources, task

BIG = Resources(cpu="2", mem="lots of memory")


@task(requests=BIG)
def heavy(x: int) -> int:
    return x
