import os

from compiler import task

# A hostile (or careless) module: changes the working directory while being imported.
os.chdir(os.path.join(os.path.dirname(__file__), "..", "elsewhere"))


@task
def moved(x: int) -> int:
    return x
