from compiler import task


@task(cache_serialize=True)
def serial(x: int) -> int:
    return x
