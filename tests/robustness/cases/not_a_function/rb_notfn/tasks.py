from compiler import task

NOT_A_FUNCTION = task(retries=1)(42)
