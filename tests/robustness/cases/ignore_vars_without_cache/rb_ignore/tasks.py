from compiler import task


@task(cache_ignore_input_vars=["x"])
def ignoring(x: int) -> int:
    return x
