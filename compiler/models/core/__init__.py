"""``flytekit.models.core``."""

__all__: list[str] = []
