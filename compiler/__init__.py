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
    Description,
    Documentation,
    Echo,
    FlyteRecoverableException,
    IgnoreOutputs,
    PodTemplate,
    PythonAutoContainerTask,
    PythonFunctionTask,
    PythonTask,
    Resources,
    Secret,
    SerializationSettings,
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
    map_task,
    reference_launch_plan,
    reference_task,
    reference_workflow,
    signal_values,
    sleep,
    wait_for_input,
    workflow,
)

#: Cache policy names, loaded from :mod:`compiler.sdk.cache_policy` on first use.
_LAZY_SDK_NAMES = frozenset({"CachePolicy", "VersionParameters"})

#: Launch plan names, loaded from :mod:`compiler.workflow` on first use.
_LAZY_WORKFLOW_NAMES = frozenset(
    {
        "Annotations",
        "AuthRole",
        "ConcurrencyLimitBehavior",
        "ConcurrencyPolicy",
        "CronSchedule",
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
    }
)


def __getattr__(name: str) -> Any:
    """Load a launch plan name the first time it is asked for (``import compiler`` stays fast)."""
    if name in _LAZY_SDK_NAMES:
        from compiler import sdk

        value = getattr(sdk, name)
        globals()[name] = value
        return value
    if name not in _LAZY_WORKFLOW_NAMES:
        raise AttributeError(f"module 'compiler' has no attribute {name!r}")
    import importlib  # ``compiler.workflow`` the attribute is the decorator, not the package

    value = getattr(importlib.import_module("compiler.workflow"), name)
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
    "ConcurrencyLimitBehavior",
    "ConcurrencyPolicy",
    "ContainerTask",
    "CronSchedule",
    "Deck",
    "Description",
    "Documentation",
    "Echo",
    "Email",
    "FixedRate",
    "FlyteAnnotation",
    "FlyteDirectory",
    "FlyteFile",
    "FlyteRecoverableException",
    "FlyteSchema",
    "HDF5EncodedFile",
    "HTMLPage",
    "HashMethod",
    "Identity",
    "IgnoreOutputs",
    "JPEGImageFile",
    "JSONLFile",
    "JoblibSerializedFile",
    "Labels",
    "LaunchPlan",
    "LaunchPlanReference",
    "OAuth2Client",
    "ONNXFile",
    "Options",
    "PDFFile",
    "PNGImageFile",
    "PagerDuty",
    "PodTemplate",
    "PythonAutoContainerTask",
    "PythonFunctionTask",
    "PythonFunctionWorkflow",
    "PythonNotebook",
    "PythonPickledFile",
    "PythonTask",
    "RawOutputDataConfig",
    "Resources",
    "SQLTask",
    "SVGImageFile",
    "Secret",
    "SecurityContext",
    "SerializationSettings",
    "Slack",
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
    "kwtypes",
    "map_task",
    "reference_launch_plan",
    "reference_task",
    "reference_workflow",
    "signal_values",
    "sleep",
    "task",
    "wait_for_input",
    "workflow",
]
