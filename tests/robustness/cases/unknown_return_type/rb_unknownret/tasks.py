from compiler import task


class Report:
    pass


@task
def build(n: int) -> Report:
    return Report()
