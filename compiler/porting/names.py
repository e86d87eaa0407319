"""The map between compile-tasks' public names and flytekit's modules.

:data:`FLYTEKIT_HOME` maps each public name of ``compiler`` (and ``compiler.accelerators``) to
the flytekit module that defines it. ``compile-tasks port`` turns a flytekit import of one of
these names into an import from :func:`compiler_module`; the oracle tests turn our examples into
flytekit modules with the same map. A name users import from flytekit that is not here has no
equivalent yet: the porting command lists it with its file and line.
"""

from __future__ import annotations

from compiler import accelerators
from compiler.memo import cached

__all__ = ["FLYTEKIT_HOME", "MIRRORED_MODULES", "compiler_module"]

_TYPES_FILE = "flytekit.types.file"
_TYPES_DIR = "flytekit.types.directory"
_ACCEL = "flytekit.extras.accelerators"

#: Our public name -> the flytekit module that provides the same name.
FLYTEKIT_HOME: dict[str, str] = {
    # authoring API (compiler / compiler.sdk)
    "task": "flytekit",
    "workflow": "flytekit",
    "WorkflowFailurePolicy": "flytekit",
    "conditional": "flytekit",
    "Workflow": "flytekit",
    "create_node": "flytekit.core.node_creation",
    "reference_task": "flytekit",
    "reference_launch_plan": "flytekit",
    "LaunchPlanReference": "flytekit",
    "reference_workflow": "flytekit",
    "TaskReference": "flytekit",
    "WorkflowReference": "flytekit",
    "PythonFunctionWorkflow": "flytekit.core.workflow",
    "dynamic": "flytekit",
    "eager": "flytekit",
    "EagerException": "flytekit.exceptions.eager",
    "map_task": "flytekit",
    "approve": "flytekit",
    "sleep": "flytekit",
    "wait_for_input": "flytekit",
    "Echo": "flytekit.core.task",
    # launch plans (compiler / compiler.workflow)
    "LaunchPlan": "flytekit",
    "CronSchedule": "flytekit",
    "FixedRate": "flytekit",
    "Email": "flytekit",
    "Slack": "flytekit",
    "PagerDuty": "flytekit",
    "Options": "flytekit",
    "Labels": "flytekit",
    "Annotations": "flytekit",
    "AuthRole": "flytekit",
    "ConcurrencyPolicy": "flytekit",
    "ConcurrencyLimitBehavior": "flytekit",
    "WorkflowExecutionPhase": "flytekit",
    "SecurityContext": "flytekit",
    "Identity": "flytekit.models.security",
    "OAuth2Client": "flytekit.models.security",
    "RawOutputDataConfig": "flytekit.models.common",
    "Resources": "flytekit",
    "Secret": "flytekit",
    "ContainerTask": "flytekit",
    "kwtypes": "flytekit",
    "TaskMetadata": "flytekit",
    "Cache": "flytekit",
    "CachePolicy": "flytekit",
    "VersionParameters": "flytekit",
    "Documentation": "flytekit",
    "Description": "flytekit",
    "PodTemplate": "flytekit",
    "IgnoreOutputs": "flytekit.core.base_task",
    "SQLTask": "flytekit.core.base_sql_task",
    "PythonFunctionTask": "flytekit.core.python_function_task",
    "TaskPlugins": "flytekit.core.task",
    "FlyteRecoverableException": "flytekit.exceptions.user",
    # images, class-instantiated and task-template tasks, shared options (compiler / compiler.sdk)
    "ImageSpec": "flytekit",
    "CopyFileDetection": "flytekit.constants",
    "PythonInstanceTask": "flytekit",
    "Environment": "flytekit",
    "SourceCode": "flytekit",
    "get_reference_entity": "flytekit",
    "ShellTask": "flytekit.extras.tasks.shell",
    "OutputLocation": "flytekit.extras.tasks.shell",
    "RawShellTask": "flytekit.extras.tasks.shell",
    "get_raw_shell_task": "flytekit.extras.tasks.shell",
    "PythonCustomizedContainerTask": "flytekit.extend",
    "Interface": "flytekit.core.interface",
    "ShimTaskExecutor": "flytekit.extend",
    "SQLite3Task": "flytekit.extras.sqlite3.task",
    "SQLite3Config": "flytekit.extras.sqlite3.task",
    # unit-test helpers (compiler.testing)
    "task_mock": "flytekit.testing",
    "patch": "flytekit.testing",
    # run time (compiler.context)
    "current_context": "flytekit",
    "new_context": "flytekit",
    "Checkpoint": "flytekit",
    "FlyteContext": "flytekit",
    "FlyteContextManager": "flytekit",
    "Deck": "flytekit",
    "Artifact": "flytekit",
    # types (compiler / compiler.types)
    "FlyteAnnotation": "flytekit.core.annotation",
    "StructuredDataset": "flytekit.types.structured",
    "FlyteSchema": "flytekit.types.schema",
    "FlyteFile": _TYPES_FILE,
    "FlyteDirectory": _TYPES_DIR,
    "CSVFile": _TYPES_FILE,
    "HDF5EncodedFile": _TYPES_FILE,
    "HTMLPage": _TYPES_FILE,
    "JoblibSerializedFile": _TYPES_FILE,
    "JPEGImageFile": _TYPES_FILE,
    "JSONLFile": _TYPES_FILE,
    "ONNXFile": _TYPES_FILE,
    "PDFFile": _TYPES_FILE,
    "PNGImageFile": _TYPES_FILE,
    "PythonNotebook": _TYPES_FILE,
    "PythonPickledFile": _TYPES_FILE,
    "SVGImageFile": _TYPES_FILE,
    "TFRecordFile": _TYPES_FILE,
    "TensorboardLogs": _TYPES_DIR,
    "TFRecordsDirectory": _TYPES_DIR,
    "HashMethod": "flytekit",
    "BatchSize": "flytekit",
    "JSON": "flytekit.types.iterator",
    "FlyteIterator": "flytekit.types.iterator",
    "JSONIterator": "flytekit.types.iterator.json_iterator",
    # the type engine's extension points (compiler.types, compiler.models)
    "TypeEngine": "flytekit.core.type_engine",
    "TypeTransformer": "flytekit.core.type_engine",
    "StructuredDatasetEncoder": "flytekit.types.structured.structured_dataset",
    "StructuredDatasetDecoder": "flytekit.types.structured.structured_dataset",
    "StructuredDatasetTransformerEngine": "flytekit.types.structured.structured_dataset",
    "StructuredDatasetType": "flytekit.types.structured.structured_dataset",
    "StructuredDatasetFormat": "flytekit.types.structured.structured_dataset",
    "PARQUET": "flytekit.types.structured.structured_dataset",
    "CSV": "flytekit.types.structured.structured_dataset",
    "Literal": "flytekit.models.literals",
    "Scalar": "flytekit.models.literals",
    "Primitive": "flytekit.models.literals",
    "Blob": "flytekit.models.literals",
    "BlobMetadata": "flytekit.models.literals",
    "BlobType": "flytekit.models.core.types",
    "LiteralType": "flytekit.models.types",
    "SimpleType": "flytekit.models.types",
    # accelerators (compiler.accelerators): every public name, where flytekit has it too
    **{name: _ACCEL for name in accelerators.__all__},
}

#: flytekit modules whose names live in a compile-tasks module of the same shape (imported as
#: modules: ``from flytekit.models import common``).
MIRRORED_MODULES: dict[str, str] = {
    "flytekit.models.common": "compiler.models.common",
    "flytekit.models.security": "compiler.models.security",
    "flytekit.models.concurrency": "compiler.models.concurrency",
    "flytekit.models.core.execution": "compiler.models.core.execution",
    "flytekit.models.literals": "compiler.models.literals",
    "flytekit.models.types": "compiler.models.types",
    "flytekit.models.core.types": "compiler.models.core.types",
    "flytekit.extras.accelerators": "compiler.accelerators",
    "flytekit.testing": "compiler.testing",
}


@cached("porting.public_names", maxsize=1)
def _public() -> dict[str, str]:
    """Our public name -> the module to import it from (the top level when it is there)."""
    import importlib

    found: dict[str, str] = {}
    for module_name in ("compiler", "compiler.types", *sorted(set(MIRRORED_MODULES.values()))):
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            found.setdefault(name, module_name)
    return found


def compiler_module(name: str, flytekit_module: str = "flytekit") -> str | None:
    """The compile-tasks module to import ``name`` from, or ``None`` when there is none.

    Args:
        name: The name a flytekit import brings in.
        flytekit_module: The module it is imported from (a mirrored module maps whole).
    """
    mirrored = MIRRORED_MODULES.get(flytekit_module)
    public = _public()
    if mirrored is not None and public.get(name) == mirrored:
        return mirrored
    if name in FLYTEKIT_HOME and name in public:
        return public[name]
    return None
