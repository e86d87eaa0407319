"""Oracle probe: types flytekit pickles (we only do so with allow_pickle)."""
