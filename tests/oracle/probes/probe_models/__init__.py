"""Oracle probe: pydantic v2 models as task inputs and outputs."""
