import datetime

from compiler import task


@task
def third(when: datetime.tzinfo) -> int:
    return 1
