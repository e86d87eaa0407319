"""Oracle probe: polars DataFrame / LazyFrame through StructuredDataset (flytekit polars plugin)."""
