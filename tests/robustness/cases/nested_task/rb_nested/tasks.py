from compiler import task


def make_task():
    @task
    def inner(x: int) -> int:
        return x

    return inner


MADE = make_task()
