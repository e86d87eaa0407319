"""The classes transformers build literals with, at flytekit's module paths.

``compiler.models.literals`` mirrors ``flytekit.models.literals``, ``compiler.models.types``
mirrors ``flytekit.models.types`` and ``compiler.models.core.types`` mirrors
``flytekit.models.core.types``, so a custom transformer ports by changing its imports. The
classes are the flyteidl protobuf messages themselves (flytekit wraps them): they take the same
keyword arguments (``Blob(metadata=BlobMetadata(type=BlobType(format="csv",
dimensionality=BlobType.BlobDimensionality.SINGLE)), uri=...)``) and the same attribute reads
(``lv.scalar.blob.uri``).
"""

__all__: list[str] = []
