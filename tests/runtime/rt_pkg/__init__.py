"""Small tasks the runtime tests execute in a subprocess (independent of ``@task``)."""
