"""``flytekit.models.security``: who an execution runs as, and the secrets it gets."""

from compiler.sdk import Secret
from compiler.workflow import Identity, OAuth2Client, SecurityContext

__all__ = ["Identity", "OAuth2Client", "Secret", "SecurityContext"]
