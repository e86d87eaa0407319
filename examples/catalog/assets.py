"""Files and directories of the product catalog."""

import csv
import os
import shutil
import tempfile
from typing import Optional, TypeVar

from compiler import FlyteDirectory, FlyteFile, task
from compiler.types import CSVFile, JPEGImageFile, JSONLFile, PNGImageFile, TFRecordsDirectory


@task
def export_catalog(skus: list[str], prices: list[float]) -> CSVFile:
    """Write the catalog as a CSV file with one row per SKU.

    :param skus: Product ids.
    :param prices: Unit prices, in the order of ``skus``.
    :return: The CSV file.
    """
    if len(skus) != len(prices):
        raise ValueError("skus and prices must have the same length")
    path = os.path.join(tempfile.mkdtemp(prefix="catalog-"), "catalog.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sku", "price"])
        writer.writerows(zip(skus, prices, strict=True))
    return CSVFile(path)


@task
def count_rows(report: FlyteFile) -> int:
    """Count the data rows of a CSV file (the header is not counted).

    :param report: A CSV file with a header row.
    :return: The number of data rows.
    """
    with open(report, encoding="utf-8") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


@task
def make_thumbnail(image: PNGImageFile, width: int = 128) -> JPEGImageFile:
    """Make a thumbnail of a product image.

    The thumbnail is a copy of the image until the imaging library is wired in.

    :param image: The full-size image.
    :param width: Width of the thumbnail in pixels.
    :return: The thumbnail.
    """
    out = os.path.join(tempfile.mkdtemp(prefix="thumb-"), f"thumb-{width}.jpeg")
    shutil.copyfile(image, out)
    return JPEGImageFile(out)


@task
def bundle_feed(pages: FlyteDirectory) -> FlyteDirectory[TypeVar("jsonl")]:
    """Collect the feed pages of a directory into a JSONL directory.

    :param pages: A directory of ``*.jsonl`` pages.
    :return: A directory with the pages in name order.
    """
    out = tempfile.mkdtemp(prefix="feed-")
    names = sorted(n for n in os.listdir(pages) if n.endswith(".jsonl"))
    for index, name in enumerate(names):
        shutil.copyfile(os.path.join(pages, name), os.path.join(out, f"{index:04d}.jsonl"))
    return FlyteDirectory(out)


@task
def latest_snapshot(
    snapshots: Optional[FlyteDirectory] = None,  # noqa: UP045
) -> Optional[JSONLFile]:  # noqa: UP045
    """Pick the newest snapshot file of a directory, if there is one.

    :param snapshots: Directory of ``*.jsonl`` snapshots; none means no snapshot yet.
    :return: The newest snapshot, or nothing.
    """
    if snapshots is None:
        return None
    names = sorted(n for n in os.listdir(snapshots) if n.endswith(".jsonl"))
    return JSONLFile(os.path.join(snapshots, names[-1])) if names else None


@task
def shard_count(records: TFRecordsDirectory, per_shard: int = 1000) -> int:
    """Count the shards of a TFRecord directory.

    :param records: The TFRecord shards.
    :param per_shard: Records per shard (informational).
    :return: The number of shard files.
    """
    return len([n for n in os.listdir(records) if not n.startswith(".")])
