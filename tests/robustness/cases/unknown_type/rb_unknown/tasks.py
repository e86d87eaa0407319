from compiler import task


class OrderConfig:
    pass


@task
def load(count: int, cfg: OrderConfig) -> int:
    return count
