"""Generate a synthetic task package for the compile benchmark.

``python benchmarks/generate.py OUT_DIR [--modules 100] [--tasks 50]`` writes
``OUT_DIR/benchpkg/`` with ``modules`` modules of ``tasks`` tasks each. Every module declares
its own dataclasses, an enum and a NamedTuple; the tasks rotate through ten shapes (scalars,
defaults, lists/dicts, dataclasses, enums, NamedTuple outputs, files, Optional, options such as
retries, caching, resources, timeouts, environment, secrets and named images) so that type
conversion, metadata and container building are all exercised.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

HEADER = '''"""Synthetic module {index} of the compile benchmark."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple, Optional

from compiler import FlyteFile, Resources, Secret, task


class Tier{index}(enum.Enum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


@dataclass
class Address{index}:
    street: str
    city: str
    zip_code: str = ""


@dataclass
class Customer{index}:
    customer_id: int
    name: str
    tier: Tier{index}
    address: Address{index}
    tags: list[str] = field(default_factory=list)
    score: float = 0.0


class Split{index}(NamedTuple):
    train: int
    test: int

'''

SHAPES = [
    '''
@task
def count_{m}_{t}(names: list[str], limit: int = {t}) -> int:
    """Count names, at most ``limit``.

    :param names: The names.
    :param limit: Upper bound.
    :return: How many.
    """
    return min(len(names), limit)
''',
    """
@task(retries={r}, requests=Resources(cpu="{c}", mem="{mem}Mi"))
def load_customer_{m}_{t}(customer_id: int, region: str = "eu") -> Customer{m}:
    return Customer{m}(customer_id, region, Tier{m}.GOLD, Address{m}("s", "c"))
""",
    '''
@task(cache=True, cache_version="v{t}")
def grade_{m}_{t}(customer: Customer{m}, tier: Tier{m} = Tier{m}.SILVER) -> Tier{m}:
    """Grade a customer."""
    return tier
''',
    """
@task
def split_{m}_{t}(rows: int, ratio: float = 0.8) -> Split{m}:
    train = int(rows * ratio)
    return Split{m}(train, rows - train)
""",
    '''
@task(timeout=timedelta(minutes={t}), environment={{"STAGE": "bench", "SHARD": "{m}"}})
def export_{m}_{t}(report: FlyteFile, suffix: str = ".csv") -> FlyteFile:
    """Copy a report."""
    return report
''',
    """
@task(secret_requests=[Secret(group="db", key="password")], retries=1)
def lookup_{m}_{t}(keys: dict[str, int], fallback: Optional[int] = None) -> dict[str, float]:
    return {{k: float(v) for k, v in keys.items()}}
""",
    """
@task(limits=Resources(cpu="{c}", mem="{mem}Mi"), interruptible=True)
def stamp_{m}_{t}(when: datetime, pause: timedelta, label: str = "x") -> str:
    return f"{{label}}@{{when.isoformat()}}"
""",
    """
@task(container_image="{{{{.image.tools.fqn}}}}:{{{{.image.tools.version}}}}")
def tool_{m}_{t}(paths: list[FlyteFile], dry_run: bool = False) -> list[str]:
    return [str(p) for p in paths]
""",
    '''
@task(cache=True, cache_version="2", cache_serialize=True, retries=3)
def merge_{m}_{t}(left: list[Customer{m}], right: list[Customer{m}]) -> list[Customer{m}]:
    """Merge two customer lists.

    Args:
        left: First list.
        right: Second list.

    Returns:
        The merged list.
    """
    return left + right
''',
    """
@task
def address_{m}_{t}(address: Address{m}, verbose: bool = False) -> tuple[str, int]:
    return address.city, len(address.street)
""",
]


def module_source(index: int, tasks: int) -> str:
    """The source of module ``index`` with ``tasks`` tasks."""
    parts = [HEADER.format(index=index)]
    for t in range(tasks):
        shape = SHAPES[(index + t) % len(SHAPES)]
        parts.append(shape.format(m=index, t=t, r=t % 4, c=1 + t % 3, mem=128 * (1 + t % 5)))
    return "".join(parts)


def generate(out: Path, modules: int, tasks: int) -> Path:
    """Write the package ``out/benchpkg`` and return its folder."""
    package = out / "benchpkg"
    if package.exists():
        shutil.rmtree(package)
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Synthetic benchmark package."""\n')
    for index in range(modules):
        (package / f"mod_{index:03d}.py").write_text(module_source(index, tasks))
    return package


def main() -> None:
    """Command line: generate OUT [--modules N] [--tasks N]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=50)
    args = parser.parse_args()
    package = generate(args.out, args.modules, args.tasks)
    print(f"wrote {args.modules * args.tasks} tasks in {args.modules} modules to {package}")


if __name__ == "__main__":
    main()
