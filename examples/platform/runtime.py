"""Tasks that use what a running task gets: secrets, decks, checkpoints, async code, artifacts."""

import asyncio
from typing import Annotated

from compiler import Artifact, Deck, Secret, current_context, task

#: The daily report, partitioned by region, as other pipelines query it.
DailyReport = Artifact(name="daily_report", partition_keys=["region"])


@task(secret_requests=[Secret(group="warehouse", key="token")])
def warehouse_token_length() -> int:
    """Read the warehouse token Flyte injects (environment variable or mounted file)."""
    return len(current_context().secrets.get("warehouse", "token"))


@task(enable_deck=True)
def render_summary(rows: list[str]) -> str:
    """Summarise rows, with a deck listing them next to the input and output decks."""
    Deck("Rows", "<ul>" + "".join(f"<li>{row}</li>" for row in rows) + "</ul>")
    return f"{len(rows)} rows"


@task(retries=2)
def resumable_total(n: int) -> int:
    """Add n to what a previous attempt checkpointed, and checkpoint the new total."""
    checkpoint = current_context().checkpoint
    previous = checkpoint.read()
    total = (int(previous.decode()) if previous else 0) + n
    checkpoint.write(str(total).encode())
    return total


@task
async def fetch_prices(skus: list[str]) -> dict[str, float]:
    """Fetch prices concurrently (one coroutine per SKU)."""

    async def price(sku: str) -> float:
        await asyncio.sleep(0)
        return round(len(sku) * 1.5, 2)

    values = await asyncio.gather(*(price(sku) for sku in skus))
    return dict(zip(skus, values, strict=True))


@task
def publish_report(region: str) -> Annotated[str, DailyReport]:
    """Write the region's daily report; its output is the region's partition of the artifact."""
    return DailyReport.create_from(f"report for {region}", region=region)
