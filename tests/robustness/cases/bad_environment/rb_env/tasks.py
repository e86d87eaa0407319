from compiler import task


@task(environment={"THREADS": 4})
def work(x: int) -> int:
    return x
