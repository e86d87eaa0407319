from compiler import task
import no_such_dependency_xyz


@task
def uses(x: int) -> int:
    return no_such_dependency_xyz.f(x)
