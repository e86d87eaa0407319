import os


def load_settings() -> dict:
    return {"region": os.environ["BADRAISE_REGION_NOT_SET"]}
