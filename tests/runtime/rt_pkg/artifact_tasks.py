"""Tasks whose outputs are artifacts; ``make_artifact_oracle.py`` runs the same source under
flytekit (imports swapped) to record the interfaces and output literals flytekit writes."""

import datetime
from typing import Annotated

from flyteidl.core.artifact_id_pb2 import Granularity

from compiler import Artifact, task
from compiler.context.artifact import Inputs

Pricing = Artifact(name="pricing", partition_keys=["region", "tier"])
Daily = Artifact(name="daily_stats", time_partitioned=True)
Hourly = Artifact(
    name="hourly",
    time_partitioned=True,
    time_partition_granularity=Granularity.HOUR,
    partition_keys=["ds"],
)
Plain = Artifact(name="plain")
Fixed = Artifact(name="fixed", partitions={"a": "x"})
MAY_FIRST = datetime.datetime(2024, 5, 1, 6, 0, tzinfo=datetime.UTC)


@task
def t_plain(x: int) -> Annotated[int, Plain]:
    return Plain.create_from(x)


@task
def t_bound(region: str) -> Annotated[str, Pricing(region=Inputs.region, tier="gold")]:
    return Pricing.create_from(region + "!", tier="silver")


@task
def t_unbound(region: str) -> Annotated[str, Pricing]:
    return Pricing.create_from(region + "?", region="eu", tier="gold")


@task
def t_time(x: int) -> Annotated[int, Daily]:
    return Daily.create_from(x + 1000, time_partition=MAY_FIRST)


@task
def t_time_bound(
    day: datetime.datetime,
) -> Annotated[int, Hourly(time_partition=Inputs.day, ds="z")]:
    return Hourly.create_from(day.year * 1000, ds="run")


@task
def t_fixed() -> Annotated[int, Fixed]:
    return 1


@task
def t_two(x: int) -> tuple[Annotated[int, Plain], Annotated[str, Pricing(region="eu")]]:
    return x, Pricing.create_from(f"s{x}", tier="t")
