"""compile-tasks: author Flyte tasks and compile them into deterministic bundles.

The authoring API keeps flytekit's names, so a task module ports by changing its imports::

    from compiler import Resources, task

    @task(retries=2, requests=Resources(cpu="1", mem="2Gi"))
    def load_orders(day: str) -> int: ...

Accelerator constants live in :mod:`compiler.accelerators`.
"""

from compiler._version import __version__
from compiler.context import Artifact, Deck, current_context
from compiler.sdk import (
    Cache,
    ContainerTask,
    Description,
    Documentation,
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
    TaskResolverMixin,
    kwtypes,
    task,
)
from compiler.sdk.exceptions import FlyteRecoverableException
from compiler.sdk.plugins import TaskPlugins
from compiler.types import (
    CSVFile,
    FlyteAnnotation,
    FlyteDirectory,
    FlyteFile,
    FlyteSchema,
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
from compiler.workflow import PythonFunctionWorkflow, WorkflowFailurePolicy, workflow

__all__ = [
    "Artifact",
    "CSVFile",
    "Cache",
    "ContainerTask",
    "Deck",
    "Description",
    "Documentation",
    "FlyteAnnotation",
    "FlyteDirectory",
    "FlyteFile",
    "FlyteRecoverableException",
    "FlyteSchema",
    "HDF5EncodedFile",
    "HTMLPage",
    "IgnoreOutputs",
    "JPEGImageFile",
    "JSONLFile",
    "JoblibSerializedFile",
    "ONNXFile",
    "PDFFile",
    "PNGImageFile",
    "PodTemplate",
    "PythonAutoContainerTask",
    "PythonFunctionTask",
    "PythonFunctionWorkflow",
    "PythonNotebook",
    "PythonPickledFile",
    "PythonTask",
    "Resources",
    "SQLTask",
    "SVGImageFile",
    "Secret",
    "SerializationSettings",
    "StructuredDataset",
    "TFRecordFile",
    "TFRecordsDirectory",
    "Task",
    "TaskMetadata",
    "TaskPlugins",
    "TaskResolverMixin",
    "TensorboardLogs",
    "WorkflowFailurePolicy",
    "__version__",
    "current_context",
    "kwtypes",
    "task",
    "workflow",
]
