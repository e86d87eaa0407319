"""compile-tasks: author Flyte tasks and compile them into deterministic bundles.

The authoring API keeps flytekit's names, so a task module ports by changing its imports::

    from compiler import Resources, task

    @task(retries=2, requests=Resources(cpu="1", mem="2Gi"))
    def load_orders(day: str) -> int: ...

Accelerator constants live in :mod:`compiler.accelerators`.
"""

from typing import Any

from compiler._version import __version__
from compiler.context import Artifact, Deck, current_context
from compiler.sdk import (
    Cache,
    ContainerTask,
    CopyFileDetection,
    Description,
    Documentation,
    Echo,
    FlyteRecoverableException,
    IgnoreOutputs,
    ImageSpec,
    Interface,
    PodTemplate,
    PythonAutoContainerTask,
    PythonFunctionTask,
    PythonInstanceTask,
    PythonTask,
    Resources,
    Secret,
    SerializationSettings,
    SourceCode,
    SQLTask,
    Task,
    TaskMetadata,
    TaskPlugins,
    TaskResolverMixin,
    kwtypes,
    task,
)
from compiler.types import (
    BatchSize,
    CSVFile,
    FlyteAnnotation,
    FlyteDirectory,
    FlyteFile,
    FlyteSchema,
    HashMethod,
    HDF5EncodedFile,
    HTMLPage,
    JoblibSerializedFile,
    JPEGImageFile,
    JSONLFile,
    ONNXFile,
    PDFFile,
    PNGImageFile,
    PythonNotebook,
    PythonPickledFile,
    StructuredDataset,
    SVGImageFile,
    TensorboardLogs,
    TFRecordFile,
    TFRecordsDirectory,
)
from compiler.workflow import (
    LaunchPlanReference,
    PythonFunctionWorkflow,
    TaskReference,
    Workflow,
    WorkflowFailurePolicy,
    WorkflowReference,
    approve,
    conditional,
    create_node,
    get_reference_entity,
    map_task,
    reference_launch_plan,
    reference_task,
    reference_workflow,
    signal_values,
    sleep,
    wait_for_input,
    workflow,
)

#: Launch plan, ``@dynamic`` and ``@eager`` names, loaded from :mod:`compiler.workflow` on first
#: use.
_LAZY_WORKFLOW_NAMES = frozenset(
    {
        "Annotations",
        "AuthRole",
        "ConcurrencyLimitBehavior",
        "ConcurrencyPolicy",
        "CronSchedule",
        "EagerException",
        "Email",
        "FixedRate",
        "Identity",
        "Labels",
        "LaunchPlan",
        "OAuth2Client",
        "Options",
        "PagerDuty",
        "RawOutputDataConfig",
        "SecurityContext",
        "Slack",
        "WorkflowExecutionPhase",
        "dynamic",
        "eager",
        "Environment",
    }
)


#: Task classes and flytekit's context classes, loaded from these packages on first use.
_LAZY_NAMES: dict[str, str] = {
    **dict.fromkeys(_LAZY_WORKFLOW_NAMES, "compiler.workflow"),
    **dict.fromkeys(
        [
            "CachePolicy",
            "OutputLocation",
            "PythonCustomizedContainerTask",
            "RawShellTask",
            "SQLite3Config",
            "SQLite3Task",
            "ShellTask",
            "ShimTaskExecutor",
            "VersionParameters",
            "get_raw_shell_task",
        ],
        "compiler.sdk",
    ),
    **dict.fromkeys(
        ["Checkpoint", "FlyteContext", "FlyteContextManager", "new_context"], "compiler.context"
    ),
}


def __getattr__(name: str) -> Any:
    """Load a lazily exported name the first time it is asked for (``import compiler`` stays
    fast)."""
    package = _LAZY_NAMES.get(name)
    if package is None:
        raise AttributeError(f"module 'compiler' has no attribute {name!r}")
    import importlib  # ``compiler.workflow`` the attribute is the decorator, not the package

    value = getattr(importlib.import_module(package), name)
    globals()[name] = value
    return value


__all__ = [
    "Annotations",
    "Artifact",
    "AuthRole",
    "BatchSize",
    "CSVFile",
    "Cache",
    "CachePolicy",
    "Checkpoint",
    "ConcurrencyLimitBehavior",
    "ConcurrencyPolicy",
    "ContainerTask",
    "CopyFileDetection",
    "CronSchedule",
    "Deck",
    "Description",
    "Documentation",
    "EagerException",
    "Echo",
    "Email",
    "Environment",
    "FixedRate",
    "FlyteAnnotation",
    "FlyteContext",
    "FlyteContextManager",
    "FlyteDirectory",
    "FlyteFile",
    "FlyteRecoverableException",
    "FlyteSchema",
    "HDF5EncodedFile",
    "HTMLPage",
    "HashMethod",
    "Identity",
    "IgnoreOutputs",
    "ImageSpec",
    "Interface",
    "JPEGImageFile",
    "JSONLFile",
    "JoblibSerializedFile",
    "Labels",
    "LaunchPlan",
    "LaunchPlanReference",
    "OAuth2Client",
    "ONNXFile",
    "Options",
    "OutputLocation",
    "PDFFile",
    "PNGImageFile",
    "PagerDuty",
    "PodTemplate",
    "PythonAutoContainerTask",
    "PythonCustomizedContainerTask",
    "PythonFunctionTask",
    "PythonFunctionWorkflow",
    "PythonInstanceTask",
    "PythonNotebook",
    "PythonPickledFile",
    "PythonTask",
    "RawOutputDataConfig",
    "RawShellTask",
    "Resources",
    "SQLTask",
    "SQLite3Config",
    "SQLite3Task",
    "SVGImageFile",
    "Secret",
    "SecurityContext",
    "SerializationSettings",
    "ShellTask",
    "ShimTaskExecutor",
    "Slack",
    "SourceCode",
    "StructuredDataset",
    "TFRecordFile",
    "TFRecordsDirectory",
    "Task",
    "TaskMetadata",
    "TaskPlugins",
    "TaskReference",
    "TaskResolverMixin",
    "TensorboardLogs",
    "VersionParameters",
    "Workflow",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
    "WorkflowReference",
    "__version__",
    "approve",
    "conditional",
    "create_node",
    "current_context",
    "dynamic",
    "eager",
    "get_raw_shell_task",
    "get_reference_entity",
    "kwtypes",
    "map_task",
    "new_context",
    "reference_launch_plan",
    "reference_task",
    "reference_workflow",
    "signal_values",
    "sleep",
    "task",
    "wait_for_input",
    "workflow",
]
