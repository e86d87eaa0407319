from compiler import task


@task(cache_serialize=True)
def needs_cache(x: int) -> int:
    return x
