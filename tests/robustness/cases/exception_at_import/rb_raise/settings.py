import os


def required(name: str) -> str:
    return os.environ[name]
