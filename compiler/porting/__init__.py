"""Port flytekit modules to compile-tasks by rewriting their imports.

:data:`FLYTEKIT_HOME` is the one map between the two APIs (our public name -> the flytekit
module that defines it); ``compile-tasks port`` reads it one way (flytekit imports become ours)
and the differential tests read it the other way (our examples become flytekit modules).
"""

from compiler.porting.names import FLYTEKIT_HOME, compiler_module
from compiler.porting.rewrite import PortResult, Unported, port_source
from compiler.porting.scan import FlytekitImport, flytekit_imports

__all__ = [
    "FLYTEKIT_HOME",
    "FlytekitImport",
    "PortResult",
    "Unported",
    "compiler_module",
    "flytekit_imports",
    "port_source",
]
