"""Two tasks and a re-export."""

from compiler import task


@task
def count(names: list[str], limit: int = 10) -> int:
    """Count names, at most ``limit``."""
    return min(len(names), limit)


@task(retries=2)
def greet(name: str) -> str:
    return f"hello {name}"
