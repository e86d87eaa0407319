"""Oracle probe: failure nodes (``@workflow(on_failure=...)``) of tasks and workflows."""
