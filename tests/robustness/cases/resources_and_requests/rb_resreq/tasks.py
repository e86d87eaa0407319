from compiler import Resources, task


@task(resources=Resources(cpu="1"), requests=Resources(mem="1Gi"))
def both(x: int) -> int:
    return x
