"""Oracle probe: reference tasks and workflows bound to remote ids."""
