"""Oracle probe: files, datasets, dataframes and arrays as fields of models and dataclasses."""
