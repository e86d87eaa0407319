from compiler import Cache, task


@task(cache=Cache(version="1"), cache_version="2")
def cached(x: int) -> int:
    return x
