"""Platform tasks: syncing, indexing and housekeeping, with secrets and pod settings."""
