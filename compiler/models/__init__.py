"""flytekit's ``flytekit.models`` import paths, so ``from flytekit.models.X import Y`` ports.

``compiler.models.common``, ``security``, ``concurrency`` and ``core.execution`` re-export the
launch plan option classes under the paths flytekit users import them from.
``compiler.models.literals`` mirrors ``flytekit.models.literals``, ``compiler.models.types``
mirrors ``flytekit.models.types`` and ``compiler.models.core.types`` mirrors
``flytekit.models.core.types``, so a custom transformer ports by changing its imports. The
literal classes are the flyteidl protobuf messages themselves (flytekit wraps them): they take
the same keyword arguments (``Blob(metadata=BlobMetadata(type=BlobType(format="csv",
dimensionality=BlobType.BlobDimensionality.SINGLE)), uri=...)``) and the same attribute reads
(``lv.scalar.blob.uri``). Nothing here is defined twice.
"""

__all__: list[str] = []
