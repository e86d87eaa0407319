"""Order ingestion and validation tasks."""
