"""The public API of ``compiler`` is declared once and pinned here."""

import subprocess
import sys

import pytest

import compiler
import compiler.accelerators

EXPECTED = [
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

ACCELERATORS = [
    "A10G", "A100", "A100_80GB", "H100", "H200", "K80", "L4", "L4_VWS", "L40S", "M60", "P4",
    "P100", "RTX_PRO_6000", "T4", "V5E", "V5P", "V6E", "V100",
    "BaseAccelerator", "GPUAccelerator", "MultiInstanceGPUAccelerator",
]  # fmt: skip


def test_all_is_pinned():
    assert compiler.__all__ == EXPECTED


def test_every_name_exists():
    for name in compiler.__all__:
        assert hasattr(compiler, name), name
    for name in compiler.accelerators.__all__:
        assert hasattr(compiler.accelerators, name), name


def test_accelerators_all():
    assert sorted(compiler.accelerators.__all__) == sorted(ACCELERATORS)


def test_star_import_gives_exactly_all():
    namespace: dict = {}
    exec("from compiler import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(EXPECTED)


def test_import_does_not_load_heavy_modules():
    heavy = ["docstring_parser", "click", "jinja2", "yaml", "mashumaro", "fsspec", "msgpack"]
    code = f"import sys, compiler; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_import_loads_no_part_of_the_sdk():
    # The command line starts its work (listing the package) before the SDK is loaded.
    code = (
        "import sys, compiler; "
        "print(sorted(m for m in sys.modules if m.startswith(('compiler.', 'google', 'flyteidl'))))"
    )
    assert _run(code) == "['compiler._version', 'compiler.lazy']"


def test_each_name_loads_from_its_package_on_first_use():
    import importlib

    for name in EXPECTED:
        if name == "__version__":
            continue
        home = importlib.import_module(compiler._EXPORTS[name])
        assert getattr(compiler, name) is getattr(home, name), name


#: The packages whose names load on first use from an ``_EXPORTS`` table, with the imports
#: type checkers read under ``TYPE_CHECKING``.
LAZY_PACKAGES = ["compiler", "compiler.discovery", "compiler.porting"]


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_type_checkers_see_the_same_names_as_the_lazy_table(package: str) -> None:
    import ast
    import importlib
    import typing
    from pathlib import Path

    module = importlib.import_module(package)
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    seen = {
        alias.name: node.module
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == module._EXPORTS
    assert not typing.TYPE_CHECKING


@pytest.mark.parametrize("package", LAZY_PACKAGES[1:])
def test_a_subpackage_exports_its_table_and_loads_each_name_from_its_module(package: str) -> None:
    import importlib

    module = importlib.import_module(package)
    assert sorted(module._EXPORTS) == sorted(module.__all__)
    assert set(module.__all__) <= set(dir(module))
    for name in module.__all__:
        home = importlib.import_module(module._EXPORTS[name])
        assert getattr(module, name) is getattr(home, name), name


def test_the_workflow_decorator_wins_over_the_subpackage_whatever_is_imported_first():
    for first in ("import compiler.workflow.imperative", "from compiler import task"):
        code = (
            f"{first}; import compiler; from compiler import workflow; "
            "print(callable(workflow), compiler.workflow is workflow, "
            "type(workflow).__name__)"
        )
        assert _run(code) == "True True function", first


def test_an_exported_name_can_be_patched_once_the_sdk_is_loaded():
    # A user's test replaces compiler.task (monkeypatch, unittest.mock.patch): loading the
    # compiler.types subpackage must not have broken setting attributes of the package.
    code = (
        "import compiler; from compiler import task, types; from unittest import mock\n"
        "with mock.patch('compiler.task', 'stand-in'): print(compiler.task)\n"
        "print(compiler.task is task, compiler.types.__name__)"
    )
    assert _run(code) == "stand-in\nTrue compiler.types"
