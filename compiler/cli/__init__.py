"""The command line (L7): parses flags and config, delegates, maps errors to exit codes."""
