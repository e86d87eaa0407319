"""Oracle probe: dataframes (pandas, pyarrow) and StructuredDataset columns and formats."""
