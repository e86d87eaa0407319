"""Tasks the probe failure workflows call, and their failure handlers."""

from __future__ import annotations

from compiler import task

CLEANED: list[str] = []


@task
def risky(n: int) -> int:
    if n < 0:
        raise ValueError("negative")
    return n + 1


@task(retries=2)
def clean_up(n: int, label: str) -> None:
    CLEANED.append(f"{label}:{n}")


@task
def clean_none() -> None:
    CLEANED.append("none")


@task
def notify(n: int, note: str | None) -> None:
    CLEANED.append(f"notify:{n}:{note}")
