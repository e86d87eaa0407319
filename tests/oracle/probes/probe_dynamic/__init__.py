"""Oracle probe: ``@dynamic`` tasks (compiled and run) and ``@eager`` workflows."""
