from compiler import task


@task
def add(*numbers: int) -> int:
    return sum(numbers)
