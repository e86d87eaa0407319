"""Oracle probe: conditionals (branch nodes), nested, chained and failing."""
