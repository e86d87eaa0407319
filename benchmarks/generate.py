"""Generate a synthetic task package for the compile benchmark.

``python benchmarks/generate.py OUT_DIR [--modules 100] [--tasks 50] [--workflows]`` writes
``OUT_DIR/benchpkg/`` with ``modules`` modules of ``tasks`` tasks each. Every module declares
its own dataclasses, an enum and a NamedTuple; the tasks rotate through ten shapes (scalars,
defaults, lists/dicts, dataclasses, enums, NamedTuple outputs, files, Optional, options such as
retries, caching, resources, timeouts, environment, secrets and named images) so that type
conversion, metadata and container building are all exercised.

With ``--workflows`` every module also declares one workflow of ten nodes (its ``count`` and
``split`` tasks in a chain, a NamedTuple output read by field) and a named launch plan for it
with a default input and a cron schedule; each workflow also gets its default launch plan.

``--flavor flytekit`` writes the same package importing from flytekit instead of compiler (only
the import lines differ), for ``pyflyte package``.
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

{imports}


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


IMPORTS = {
    "compiler": (
        "from compiler import CronSchedule, FlyteFile, LaunchPlan, Resources, Secret, task, "
        "workflow"
    ),
    "flytekit": (
        "from flytekit import CronSchedule, LaunchPlan, Resources, Secret, task, workflow\n"
        "from flytekit.types.file import FlyteFile"
    ),
}

#: Shape numbers (in ``SHAPES``) of the tasks a workflow chains.
COUNT_SHAPE, SPLIT_SHAPE = 0, 3
WORKFLOW_NODES = 10


def _tasks_of_shape(index: int, tasks: int, shape: int) -> list[int]:
    return [t for t in range(tasks) if (index + t) % len(SHAPES) == shape]


def workflow_source(index: int, tasks: int) -> str:
    """One workflow of ten nodes over module ``index``'s tasks, and a named launch plan."""
    counts = _tasks_of_shape(index, tasks, COUNT_SHAPE)
    splits = _tasks_of_shape(index, tasks, SPLIT_SHAPE)
    lines = [
        "",
        "",
        "@workflow",
        f"def flow_{index}(names: list[str], rows: int = 100) -> int:",
        f'    """Chain the counts and splits of module {index}."""',
        "    total = rows",
    ]
    for node in range(WORKFLOW_NODES):
        if node % 2 == 0:
            t = counts[(node // 2) % len(counts)]
            lines.append(f"    total = count_{index}_{t}(names=names, limit=total)")
        else:
            t = splits[(node // 2) % len(splits)]
            lines.append(f"    total = split_{index}_{t}(rows=total).train")
    lines += [
        "    return total",
        "",
        "",
        f"flow_{index}_nightly = LaunchPlan.get_or_create(",
        f"    flow_{index},",
        f'    name="benchpkg.mod_{index:03d}.flow_{index}_nightly",',
        f'    default_inputs={{"names": ["a", "b"], "rows": {index + 1}}},',
        f'    schedule=CronSchedule(schedule="{index % 60} 3 * * *"),',
        ")",
        "",
    ]
    return "\n".join(lines)


def module_source(
    index: int, tasks: int, *, workflows: bool = False, flavor: str = "compiler"
) -> str:
    """The source of module ``index`` with ``tasks`` tasks (and a workflow, a launch plan)."""
    parts = [HEADER.format(index=index, imports=IMPORTS[flavor])]
    for t in range(tasks):
        shape = SHAPES[(index + t) % len(SHAPES)]
        parts.append(shape.format(m=index, t=t, r=t % 4, c=1 + t % 3, mem=128 * (1 + t % 5)))
    if workflows:
        parts.append(workflow_source(index, tasks))
    return "".join(parts)


def generate(
    out: Path,
    modules: int,
    tasks: int,
    *,
    workflows: bool = False,
    flavor: str = "compiler",
    name: str = "benchpkg",
) -> Path:
    """Write the package ``out/<name>`` and return its folder."""
    if workflows and tasks < len(SHAPES):
        raise SystemExit(f"--workflows needs at least {len(SHAPES)} tasks per module")
    package = out / name
    if package.exists():
        shutil.rmtree(package)
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Synthetic benchmark package."""\n')
    for index in range(modules):
        source = module_source(index, tasks, workflows=workflows, flavor=flavor)
        (package / f"mod_{index:03d}.py").write_text(source)
    return package


def main() -> None:
    """Command line: generate OUT [--modules N] [--tasks N] [--workflows] [--flavor F]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--workflows", action="store_true")
    parser.add_argument("--flavor", choices=sorted(IMPORTS), default="compiler")
    args = parser.parse_args()
    package = generate(
        args.out, args.modules, args.tasks, workflows=args.workflows, flavor=args.flavor
    )
    print(f"wrote {args.modules * args.tasks} tasks in {args.modules} modules to {package}")


if __name__ == "__main__":
    main()
