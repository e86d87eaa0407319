"""Array tasks and the return annotations a port from flytekit meets."""

from typing import Annotated

import numpy as np
import pandas as pd

from compiler import HashMethod, task


def hash_frame(df: pd.DataFrame) -> str:
    return str(pd.util.hash_pandas_object(df).sum())


@task
def scale(x: np.ndarray, factor: float = 2.0) -> np.ndarray:
    return x * factor


@task
def stack(parts: list[np.ndarray], mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    return {"all": np.concatenate(parts)}


@task
def split(x: np.ndarray) -> (np.ndarray, int):  # a tuple literal: two outputs, as flytekit
    return x, len(x)


@task
def stats(values: list[float]) -> (float, float, str):
    return min(values), max(values), "ok"


@task
def hashed(n: int) -> Annotated[pd.DataFrame, HashMethod(hash_frame)]:
    return pd.DataFrame({"n": [n]})


@task
def hashed_int(n: Annotated[int, HashMethod(str)]) -> Annotated[int, HashMethod(str)]:
    return n
