"""Oracle probe: typing.Iterator[T], Iterator[JSON] and BatchSize, as flytekit maps them."""
