from compiler import task


@task
def visible(x: int) -> int:
    return x


# ghost.py beside this file is made a dangling symlink by the test.
