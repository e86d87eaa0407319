from compiler import task
from rb_raise.settings import required

BUCKET = required("RB_BUCKET_THAT_IS_NOT_SET")


@task
def upload(x: int) -> int:
    return x
