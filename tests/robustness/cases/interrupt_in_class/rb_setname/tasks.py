from compiler import task


class Landing:
    """Where a Ctrl-C can land while Python makes a class: its descriptors' ``__set_name__``.

    Python 3.11 hands what is raised there on as a ``RuntimeError`` caused by it.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        raise KeyboardInterrupt


class Settings:
    bucket = Landing()


@task
def upload(x: int) -> int:
    return x
