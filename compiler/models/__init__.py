"""flytekit's ``flytekit.models`` import paths, so ``from flytekit.models.X import Y`` ports.

Each module re-exports the SDK's own classes under the path flytekit users import them from;
nothing here is defined twice.
"""

__all__: list[str] = []
