from compiler import task

from badraise.config import load_settings

SETTINGS = load_settings()


@task
def uses(x: int) -> int:
    return x
