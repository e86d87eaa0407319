from compiler import task


@task(retries=-1)
def flaky(x: int) -> int:
    return x
