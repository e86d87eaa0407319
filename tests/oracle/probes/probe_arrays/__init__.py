"""Oracle probe: numpy arrays, tuple-literal return annotations, HashMethod outputs."""
