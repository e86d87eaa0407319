"""Oracle probe: every ``with_overrides(...)`` option flytekit accepts on a task node."""
