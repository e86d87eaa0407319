import os
import time

from compiler import task

MARKER = os.environ.get("RB_SLOW_MARKER")
if MARKER:
    open(MARKER, "w").close()
time.sleep(float(os.environ.get("RB_SLOW_SECONDS", "30")))


@task
def late(x: int) -> int:
    return x
