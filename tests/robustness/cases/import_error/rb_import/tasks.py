from compiler import task

import rb_no_such_dependency_xyz  # noqa: F401


@task
def uses_it(x: int) -> int:
    return x
