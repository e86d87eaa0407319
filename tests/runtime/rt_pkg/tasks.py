"""Tasks for the entrypoint tests, built on the SDK's ``Task`` base with a plain function body.

``resolver`` loads them with ``task-module M task-name N`` like the default resolver does.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import inspect
import os
import typing
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from compiler import FlyteRecoverableException
from compiler.sdk.base import IgnoreOutputs, Task
from compiler.sdk.interface import Interface
from compiler.sdk.metadata import TaskMetadata
from compiler.types import FlyteDirectory, FlyteFile


class FnTask(Task):
    """A python task whose body is ``fn``."""

    def __init__(self, fn: Any, outputs: dict[str, Any], environment: dict[str, str] | None = None):
        hints = typing.get_type_hints(fn)
        hints.pop("return", None)
        defaults = {
            name: p.default
            for name, p in inspect.signature(fn).parameters.items()
            if p.default is not inspect.Parameter.empty
        }
        super().__init__(
            "python-task",
            f"{fn.__module__}.{fn.__name__}",
            Interface(inputs=hints, outputs=outputs, defaults=defaults),
        )
        self.fn = fn
        self.environment = environment or {}

    def execute(self, **kwargs: Any) -> Any:
        return self.fn(**kwargs)


class Resolver:
    """``task-module M task-name N`` -> attribute N of module M."""

    def load_task(self, loader_args: list[str]) -> Any:
        args = dict(zip(loader_args[::2], loader_args[1::2], strict=True))
        return getattr(importlib.import_module(args["task-module"]), args["task-name"])


resolver = Resolver()


class Channel(enum.Enum):
    WEB = "web"
    STORE = "store"


@dataclass
class Endpoint:
    host: str
    port: int = 443
    tls: bool = True


@dataclass
class Batch:
    name: str
    endpoints: list[Endpoint] = field(default_factory=list)
    channel: Channel = Channel.WEB
    since: datetime.datetime | None = None


class Stats(NamedTuple):
    count: int
    mean: float


def _total(xs: list[int], scale: float = 1.0) -> float:
    return sum(xs) * scale


def _describe(batch: Batch) -> Batch:
    return Batch(batch.name.upper(), [*batch.endpoints, Endpoint("added", 1)], Channel.STORE)


def _stats(xs: list[float]) -> Stats:
    return Stats(len(xs), sum(xs) / len(xs))


def _maybe(x: int | None) -> str | None:
    return None if x is None else str(x)


def _boom(x: int) -> int:
    raise ValueError(f"bad x: {x}")


def _flaky(x: int) -> int:
    raise FlyteRecoverableException("try again")


def _ignore(x: int) -> int:
    raise IgnoreOutputs()


def _write_file(text: str) -> FlyteFile:
    path = os.path.join(os.environ["RT_TMP"], "out.txt")
    with open(path, "w") as out:
        out.write(text)
    return FlyteFile(path)


def _read_file(f: FlyteFile) -> str:
    with open(f) as src:
        return src.read()


def _list_dir(d: FlyteDirectory) -> list[str]:
    return sorted(os.listdir(d))


def _env() -> str:
    return os.environ.get("RT_GREETING", "")


def _wrong(x: int) -> int:
    return "not an int"  # type: ignore[return-value]


total = FnTask(_total, {"o0": float})
describe = FnTask(_describe, {"o0": Batch})
stats = FnTask(_stats, {"count": int, "mean": float})
stats.python_interface.output_tuple_name = "Stats"
maybe = FnTask(_maybe, {"o0": typing.Optional[str]})  # noqa: UP045 - spelled as users do
boom = FnTask(_boom, {"o0": int})
flaky = FnTask(_flaky, {"o0": int})
ignore = FnTask(_ignore, {"o0": int})
write_file = FnTask(_write_file, {"o0": FlyteFile})
read_file = FnTask(_read_file, {"o0": str})
list_dir = FnTask(_list_dir, {"o0": list[str]})
env = FnTask(_env, {"o0": str}, environment={"RT_GREETING": "hello"})
wrong = FnTask(_wrong, {"o0": int})


CALLS: list[dict[str, Any]] = []


def _counted(x: int, trace_id: str = "") -> int:
    CALLS.append({"x": x, "trace_id": trace_id})
    return x * 10


counted = FnTask(_counted, {"o0": int})
counted.metadata = TaskMetadata(
    cache=True, cache_version="1", cache_ignore_input_vars=("trace_id",)
)


@dataclass
class Report:
    title: str
    file: FlyteFile
    extras: list[FlyteFile] = field(default_factory=list)
    folder: FlyteDirectory | None = None
    link: FlyteFile | None = None


def _report(title: str) -> Report:
    base = os.environ["RT_TMP"]
    os.makedirs(os.path.join(base, "pages"), exist_ok=True)
    for name, text in (("report.txt", title), ("extra.txt", "x"), ("pages/p1.txt", "1")):
        with open(os.path.join(base, name), "w") as out:
            out.write(text)
    return Report(
        title,
        FlyteFile(os.path.join(base, "report.txt")),
        [FlyteFile(os.path.join(base, "extra.txt"))],
        FlyteDirectory(os.path.join(base, "pages")),
        FlyteFile("s3://bucket/already/remote.txt"),
    )


report = FnTask(_report, {"o0": Report})


def _slow(seconds: float) -> float:
    import time

    time.sleep(seconds)
    return seconds


slow = FnTask(_slow, {"o0": float})


def _pickled(blob: bytes) -> bytes:
    return blob[::-1]


pickled = FnTask(_pickled, {"o0": bytes})
