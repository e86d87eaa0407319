from compiler import task


@task(accelerator="nvidia-tesla-t4")
def train(x: int) -> int:
    return x
