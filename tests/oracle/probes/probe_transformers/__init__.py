"""Oracle probe: custom transformers written in flytekit's shape."""
