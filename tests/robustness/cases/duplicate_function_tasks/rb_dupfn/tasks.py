from compiler import task


@task
def score(x: int) -> int:
    return x


first_score = score


@task
def score(x: int) -> int:  # noqa: F811
    return x + 1
