"""Order batches whose shape is known only at run time: a dynamic fan-out and an eager loop.

``load_in_batches`` (``@dynamic``) decides in its container how many ``load_orders`` nodes to
run, one per batch, and writes that workflow for Flyte to run next; ``nightly_load`` uses it as
one node. ``reload_until_done`` (``@eager``) is plain async Python: it loads, checks, and loads
again while orders are left, and stops on the first failure it cannot handle.
"""

from compiler import EagerException, Resources, dynamic, eager, workflow
from examples.orders.ingest import dedupe_order_ids, load_orders


@dynamic(retries=1, requests=Resources(cpu="500m", mem="256Mi"))
def load_in_batches(order_ids: list[str], batch_size: int = 2) -> int:
    """Load orders in batches, one load node per batch.

    Args:
        order_ids: Orders to load (already deduplicated).
        batch_size: Orders per load node.

    Returns:
        The number of rows the batches wrote.
    """
    loaded = [
        load_orders(order_ids=order_ids[start : start + batch_size], limit=batch_size)
        for start in range(0, len(order_ids), batch_size)
    ]
    return count_rows(counts=loaded)


@dynamic
def count_rows(counts: list[int]) -> int:
    """Add up row counts (no nodes: the sum is written as the task's outputs)."""
    return sum(counts)


@workflow
def nightly_load(order_ids: list[str], batch_size: int = 2) -> int:
    """Deduplicate the night's order ids, then load them in batches."""
    unique = dedupe_order_ids(order_ids=order_ids)
    return load_in_batches(order_ids=unique, batch_size=batch_size)


@eager(environment={"LOAD_MODE": "eager"})
async def reload_until_done(order_ids: list[str], rounds: int = 3) -> int:
    """Load orders again until every order is in, at most ``rounds`` times.

    Args:
        order_ids: Orders to load.
        rounds: Most load rounds.

    Returns:
        The number of rows loaded in total.
    """
    unique = dedupe_order_ids(order_ids=order_ids)
    total = 0
    for _ in range(rounds):
        try:
            loaded = load_orders(order_ids=unique[total:], limit=2)
        except EagerException:
            break
        total += loaded
        if total >= len(unique):
            break
    return total
