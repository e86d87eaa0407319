from compiler import ContainerTask, Resources, kwtypes, task


@task(retries=2, requests=Resources(cpu="1", mem="1Gi"))
def count(names: list[str], limit: int = 10) -> int:
    """Count names, at most ``limit``."""
    return min(len(names), limit)


@task(cache=True, cache_version="1")
def greet(name: str) -> str:
    return f"hello {name}"


resize = ContainerTask(
    name="resize_images",
    image="registry.example.com/tools/resize:1.2",
    command=["resize", "--width", "640"],
    inputs=kwtypes(path=str),
)
