"""Oracle probe: map tasks (array nodes), gate nodes and echo tasks."""
