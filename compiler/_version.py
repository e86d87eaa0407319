"""The package version; also written into every task's ``metadata.runtime.version``."""

__version__ = "0.1.0"
