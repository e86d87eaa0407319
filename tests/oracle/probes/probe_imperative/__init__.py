"""Oracle probe: imperative workflows (``Workflow(name=...)``) and ``create_node``."""
