"""The compile pipeline (below the CLI): discover, serialize by entity kind, write the bundle.

One call compiles a package::

    from compiler.pipeline import CompileOptions, compile_package
    from compiler.settings import ImageConfig, SerializationSettings

    settings = SerializationSettings(image_config=ImageConfig.from_specs(["registry/app:1.0"]))
    result = compile_package(["shop/"], settings, out="bundle/", options=CompileOptions(jobs=0))
    for entity in result.entities:
        print(entity.file, entity.source)

``out="bundle.tgz"`` writes the archive alone (:func:`is_archive_path`). ``list_package``
compiles and writes nothing (``compile-tasks list`` / ``--dry-run``). Entity
kinds dispatch through one table (:class:`EntityHandlers`, built by :func:`default_handlers`):
a new kind is a registered serializer and renderer. Problems are raised as
``compiler.errors.CompileErrors`` (each error carries its exit code); nothing here reads argv,
the environment or configuration files.
"""

from compiler.pipeline.kinds import EntityHandler, EntityHandlers, default_handlers, task_facts
from compiler.pipeline.model import CompiledEntity, CompileOptions, CompileResult, Progress
from compiler.pipeline.run import compile_package, is_archive_path, list_package
from compiler.pipeline.workers import user_code_forked

__all__ = [
    "CompileOptions",
    "CompileResult",
    "CompiledEntity",
    "EntityHandler",
    "EntityHandlers",
    "Progress",
    "compile_package",
    "default_handlers",
    "is_archive_path",
    "list_package",
    "task_facts",
    "user_code_forked",
]
