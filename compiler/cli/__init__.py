"""The command line (L7): parses flags and config, delegates, maps errors to exit codes."""

__all__: list[str] = []  # the top layer: no other layer imports from the command line
