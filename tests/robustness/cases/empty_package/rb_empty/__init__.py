"""No tasks here."""
