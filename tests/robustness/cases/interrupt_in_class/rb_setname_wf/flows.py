from compiler import task, workflow


class Landing:
    """A descriptor whose ``__set_name__`` is interrupted (see ``rb_setname``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        raise KeyboardInterrupt


@task
def upload(x: int) -> int:
    return x


@workflow
def pipeline(x: int) -> int:
    class Settings:  # made while the compile runs the workflow's body
        bucket = Landing()

    return upload(x=x)
