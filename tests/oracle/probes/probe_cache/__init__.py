"""Oracle probe: cache versions computed by ``Cache(policies=...)``."""
