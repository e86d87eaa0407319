"""Tasks that use what a task reads at run time: ``current_context()``, files, decks,
checkpoints, async bodies. Loaded by the default resolver (``task-module M task-name N``)."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

from compiler import Deck, FlyteDirectory, FlyteFile, current_context, task
from compiler.sdk.exceptions import FlyteRecoverableException


@task
def read_secret(group: str, key: str) -> str:
    return current_context().secrets.get(group, key)


@task
def secret_names(group: str, key: str) -> list[str]:
    secrets = current_context().secrets
    return [secrets.get_secrets_env_var(group, key), secrets.get_secrets_file(group, key)]


@task
def describe_context() -> dict[str, str]:
    ctx = current_context()
    scratch = os.path.join(ctx.working_directory, "scratch.txt")
    with open(scratch, "w") as out:
        out.write("ok")
    ctx.logging.info("described")
    exe, tid = ctx.execution_id, ctx.task_id
    return {
        "execution": f"{exe.project}/{exe.domain}/{exe.name}",
        "task": f"{tid.project}/{tid.domain}/{tid.name}/{tid.version}",
        "raw": ctx.raw_output_prefix,
        "date_tz": str(ctx.execution_date.tzinfo),
        "workdir_writable": str(os.path.exists(scratch)),
    }


@task
def upper_file(f: FlyteFile) -> FlyteFile:
    local = f.download()
    with open(local) as src:
        text = src.read()
    out = FlyteFile.new_remote_file("upper.txt")
    with out.open("w") as dst:
        dst.write(text.upper())
    return out


@task
def file_facts(f: FlyteFile) -> list[str]:
    with f.open("rb") as src:
        head = src.read(5).decode()
    return [head, f.remote_source or "", str(os.path.exists(os.fspath(f))), f.path]


@task
def keep_file(f: FlyteFile) -> FlyteFile:
    return f


@task
def local_output() -> FlyteFile:
    path = os.path.join(current_context().working_directory, "made.txt")
    with open(path, "w") as out:
        out.write("made here")
    return FlyteFile(path)


@task
def dir_listing(d: FlyteDirectory) -> list[str]:
    names = [os.path.basename(e.path.rstrip("/")) for e in FlyteDirectory.listdir(d)]
    crawled = [rel for _, rel in d.crawl()]
    walked = [
        f"{os.path.basename(folder.rstrip('/'))}:{','.join(files)}" for folder, _, files in d.walk()
    ]
    return [*names, "|", *crawled, "|", *walked]


@task
def make_dir() -> FlyteDirectory:
    d = FlyteDirectory.new_remote("made")
    with d.new_file("a.txt").open("w") as out:
        out.write("a")
    with d.new_dir("sub").new_file("b.txt").open("w") as out:
        out.write("b")
    return d


@task
async def async_double(x: int) -> int:
    await asyncio.sleep(0)
    return x * 2


@task
async def async_boom(x: int) -> int:
    await asyncio.sleep(0)
    raise ValueError(f"async bad x: {x}")


@task
def sync_boom(x: int) -> int:
    raise ValueError(f"async bad x: {x}")


@task(retries=2)
def resumable(n: int) -> int:
    cp = current_context().checkpoint
    previous = cp.read()
    done = int(previous.decode()) if previous else 0
    if done < n:
        cp.write(str(done + 1).encode())
        raise FlyteRecoverableException(f"interrupted after step {done + 1}")
    return done


@task(enable_deck=True)
def with_deck(name: str, count: int) -> str:
    Deck("Notes", "<p id='note'>hand-written note</p>")
    current_context().default_deck.append("<p id='default'>from the default deck</p>")
    return f"hello {name} x{count}"


@task(enable_deck=True)
def deck_then_fail(x: int) -> int:
    Deck("Before failure", "<p>written before the error</p>")
    raise ValueError("deck task failed")


@dataclass
class Holder:
    label: str
    f: FlyteFile


@task
def read_held(h: Holder) -> str:
    with open(h.f) as src:  # a file field of a dataclass input downloads on first use
        return f"{h.label}:{src.read()}:{h.f.remote_source is not None}"
