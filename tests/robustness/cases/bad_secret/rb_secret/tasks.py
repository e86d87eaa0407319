from compiler import Secret, task


@task(secret_requests=[Secret(group="db", key="pw", mount_requirement="floppy")])
def connect(x: int) -> int:
    return x
