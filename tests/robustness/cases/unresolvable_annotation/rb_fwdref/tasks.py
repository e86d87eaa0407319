from compiler import task


@task
def load(cfg: "OrderConfigThatDoesNotExist") -> int:  # noqa: F821
    return 1
