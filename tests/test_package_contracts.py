"""Each subpackage of ``compiler`` declares in its ``__all__`` what other layers may use.

The names are pinned here, so a change to a package's contract is a visible decision. And no
module outside a subpackage reaches into its deep modules: it imports the package's declared
names from the package itself (``from compiler.proto import build_container``), never
``from compiler.proto.container import ...`` nor a name the package does not declare. The few
places where going through the package is impossible are listed in ``DEEP_IMPORTS_ALLOWED``
with the reason. Imports are read with :mod:`ast` (those inside functions too).
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

import compiler

COMPILER = Path(compiler.__file__).resolve().parent
SUBPACKAGES = sorted(p.name for p in COMPILER.iterdir() if (p / "__init__.py").is_file())

EXPECTED_ALL: dict[str, list[str]] = {
    "bundle": [
        "ARCHIVE_NAME",
        "ArchiveLimitError",
        "ArchiveMember",
        "ArchiveWriter",
        "Blob",
        "BundleEntity",
        "BundleResult",
        "EntityWriter",
        "FORMAT_VERSION",
        "FileNames",
        "KeepOld",
        "LaidOut",
        "MANIFEST_NAME",
        "MAX_ARCHIVE_BYTES",
        "ManifestEntry",
        "PendingArchive",
        "PreviousBundle",
        "Renderer",
        "YAML_DIR",
        "build_tar",
        "bundle_write_error",
        "check_output_dir",
        "check_removable",
        "discard_dir",
        "entity_file_stem",
        "finish_archive",
        "finish_bundle",
        "folder_lock",
        "gzip_bytes",
        "is_bundle_dir",
        "keep_or_link",
        "load_manifest",
        "open_bounded_tar",
        "pb_file_name",
        "prepare_folder",
        "read_archive",
        "read_members",
        "replace_dir",
        "replace_file",
        "signals_blocked",
        "sigterm_as_interrupt",
        "start_archive",
        "swap_dir",
        "write_bundle",
        "write_entities",
        "yaml_file_name",
    ],
    "cli": [],
    "context": [
        "Artifact",
        "Checkpoint",
        "Deck",
        "ExecutionParameters",
        "ExecutionState",
        "FileAccessProvider",
        "FlyteContext",
        "FlyteContextManager",
        "Inputs",
        "SecretNotFoundError",
        "SecretsManager",
        "add_io_decks",
        "artifact_id_of",
        "attach_output_metadata",
        "container_parameters",
        "current_context",
        "execution_scope",
        "local_parameters",
        "new_context",
        "run_awaitable",
        "storage",
        "write_decks",
    ],
    "discovery": [
        "Discovery",
        "DiscoveryPlan",
        "EntitySite",
        "Fingerprints",
        "FoundEntity",
        "INSTALLED",
        "InputRecorder",
        "ModuleInputs",
        "ModuleSource",
        "ShareDiscovery",
        "SourceCompiler",
        "discover",
        "discover_share",
        "discovery_problems",
        "end_speculation",
        "find_source_root",
        "first_per_name",
        "list_modules",
        "plan_discovery",
        "precompiled_imports",
        "speculate",
    ],
    "golden": [
        "AcceptedChange",
        "BREAKING_RULES",
        "CHECKSUMS_FILE",
        "Category",
        "Change",
        "ChangeGroup",
        "Dag",
        "EntityDiff",
        "EntityFile",
        "EntityStatus",
        "FieldChange",
        "GoldenReport",
        "GoldenSet",
        "Impact",
        "REPORT_FORMAT_VERSION",
        "ReportFormat",
        "SideBySideRow",
        "accept_snippet",
        "apply_accepted",
        "categorize",
        "check_bundle",
        "ci_refusal",
        "compare",
        "github_annotations",
        "parse_accepted",
        "read_bundle",
        "read_golden_dir",
        "read_side",
        "render_report",
        "report_format_for",
        "semantic_changes",
        "summary_lines",
        "update_goldens",
        "workflow_command",
        "workflow_dag",
        "write_golden_dir",
        "write_report",
    ],
    "models": [],
    "pipeline": [
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
    ],
    "porting": [
        "FLYTEKIT_HOME",
        "FlytekitImport",
        "PortResult",
        "Unported",
        "compiler_module",
        "flytekit_imports",
        "port_source",
    ],
    "proto": [
        "AcceleratorSpec",
        "MetadataSpec",
        "PrimaryContainer",
        "ResourceName",
        "build_container",
        "build_extended_resources",
        "build_k8s_pod",
        "build_pod_spec",
        "build_resources",
        "build_security_context",
        "build_task_container",
        "build_task_metadata",
        "canonical_quantity",
        "merge_env",
        "python_task_args",
        "resolve_image",
        "scalar_metadata_bytes",
        "task_container_bytes",
        "task_image",
        "task_metadata_bytes",
        "to_pod_spec_dict",
    ],
    "render": [
        "FACTS_KEY",
        "HEADER",
        "Rendering",
        "dump_yaml",
        "load_yaml",
        "message_to_canonical_dict",
        "normalize_facts",
        "parse_rendering",
        "plain_value",
        "render_message",
        "render_task_spec",
    ],
    "runtime": [],
    "sdk": [
        "Cache",
        "CachePolicy",
        "ContainerTask",
        "CopyFileDetection",
        "DefaultTaskResolver",
        "Description",
        "Documentation",
        "Echo",
        "ExecutableTemplateShimTask",
        "FlyteRecoverableException",
        "IgnoreOutputs",
        "ImageEntry",
        "ImageSpec",
        "Interface",
        "OutputLocation",
        "PodTemplate",
        "ProcessResult",
        "PythonAutoContainerTask",
        "PythonCustomizedContainerTask",
        "PythonFunctionTask",
        "PythonInstanceTask",
        "PythonTask",
        "RawShellTask",
        "RecoverableError",
        "Resources",
        "SQLTask",
        "SQLite3Config",
        "SQLite3Task",
        "SQLite3TaskExecutor",
        "Secret",
        "SerializationSettings",
        "ShellTask",
        "ShimTaskExecutor",
        "SourceCode",
        "Task",
        "TaskMetadata",
        "TaskPlugins",
        "TaskResolverMixin",
        "TaskTemplateResolver",
        "VersionParameters",
        "active_builder",
        "bind_task_options",
        "building",
        "caller_frame",
        "caller_location",
        "check_accelerator",
        "collect_images",
        "default_task_resolver",
        "default_task_template_resolver",
        "definition_context",
        "forget_source_lines",
        "function_location",
        "function_task_decorator",
        "get_raw_shell_task",
        "image_uri",
        "interface_from_function",
        "is_recoverable",
        "kwtypes",
        "module_specs",
        "resolve_resources",
        "subproc_execute",
        "task",
    ],
    "serialize": [
        "compile_dynamic_job",
        "parse_task_spec",
        "serialize_launch_plan",
        "serialize_task",
        "serialize_workflow",
        "spec_bytes",
        "task_spec_bytes",
    ],
    "types": [
        "BatchSize",
        "CSV",
        "CSVFile",
        "ENTRY_POINT_GROUP",
        "FlyteAnnotation",
        "FlyteDirectory",
        "FlyteFile",
        "FlyteIterator",
        "FlyteSchema",
        "HDF5EncodedFile",
        "HTMLPage",
        "HashMethod",
        "JPEGImageFile",
        "JSON",
        "JSONIterator",
        "JSONLFile",
        "JoblibSerializedFile",
        "ONNXFile",
        "PARQUET",
        "PDFFile",
        "PNGImageFile",
        "PythonNotebook",
        "PythonPickledFile",
        "SVGImageFile",
        "StructuredDataset",
        "StructuredDatasetDecoder",
        "StructuredDatasetEncoder",
        "StructuredDatasetFormat",
        "StructuredDatasetTransformerEngine",
        "StructuredDatasetType",
        "TFRecordFile",
        "TFRecordsDirectory",
        "TensorboardLogs",
        "TypeDesc",
        "TypeEngine",
        "TypeTransformer",
        "class_hints",
        "compiled_annotation",
        "default_engine",
        "kwtypes",
    ],
    "workflow": [
        "Annotations",
        "ArrayNodeMapTask",
        "AuthRole",
        "BranchNode",
        "ConcurrencyLimitBehavior",
        "ConcurrencyPolicy",
        "CronSchedule",
        "DynamicJob",
        "DynamicTask",
        "EagerException",
        "EagerFailureHandlerTask",
        "EagerTask",
        "Email",
        "Environment",
        "FixedRate",
        "Gate",
        "Identity",
        "Labels",
        "LaunchPlan",
        "LaunchPlanOptions",
        "LaunchPlanReference",
        "MapTaskTemplate",
        "Notification",
        "OAuth2Client",
        "Options",
        "PagerDuty",
        "Promise",
        "PythonFunctionWorkflow",
        "RawOutputDataConfig",
        "SERIALIZED_CONTEXT_ENV",
        "Schedule",
        "SecurityContext",
        "Slack",
        "TaskReference",
        "VoidPromise",
        "Workflow",
        "WorkflowExecutionPhase",
        "WorkflowFailurePolicy",
        "WorkflowReference",
        "approve",
        "conditional",
        "create_node",
        "dynamic",
        "eager",
        "eager_failure_task_resolver",
        "expression_proto",
        "get_reference_entity",
        "map_task",
        "reference_launch_plan",
        "reference_task",
        "reference_workflow",
        "settings_from_transport",
        "settings_transport",
        "signal_values",
        "sleep",
        "wait_for_input",
        "workflow",
    ],
}

#: ``(importing module, deep module)`` pairs allowed to skip the package, with the reason.
DEEP_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {
    **{
        ("compiler.cli.run_task", f"compiler.runtime.{module}"): (
            "compiler.runtime keeps its __init__ empty so that the container entrypoint "
            "(compile-tasks-execute) imports only what one execution needs; `compile-tasks run` "
            "uses the runtime's modules directly"
        )
        for module in ("blobs", "bundle_reader", "literal_json", "local_run")
    },
    ("compiler.cli.run_container", "compiler.runtime.literal_json"): (
        "as for compiler.cli.run_task: a raw container task's outputs are converted by literal "
        "type with the runtime's own JSON conversion"
    ),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(COMPILER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _subpackage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUBPACKAGES else None


def _package_all(package: str) -> list[str]:
    importlib.import_module(f"compiler.{package}")
    # sys.modules, not the attribute: ``compiler.workflow`` is also the decorator's name.
    return list(sys.modules[f"compiler.{package}"].__all__)


def _cross_package_imports() -> list[tuple[str, str, str, int]]:
    """``(importing module, imported module, name or "", line)`` across subpackages."""
    found = []
    for path in sorted(COMPILER.rglob("*.py")):
        source = _module_name(path)
        home = _subpackage(source)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                pairs = [(node.module, alias.name) for alias in node.names]
            elif isinstance(node, ast.Import):
                pairs = [(alias.name, "") for alias in node.names]
            else:
                continue
            for target, name in pairs:
                package = _subpackage(target)
                if package is not None and package != home:
                    found.append((source, target, name, node.lineno))
    return found


def test_every_subpackage_is_pinned():
    assert sorted(EXPECTED_ALL) == SUBPACKAGES


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_declared_names_are_pinned_and_exist(package: str):
    declared = _package_all(package)
    assert sorted(declared) == EXPECTED_ALL[package]
    assert len(set(declared)) == len(declared)
    module = sys.modules[f"compiler.{package}"]
    assert [name for name in declared if not hasattr(module, name)] == []


def test_other_layers_import_only_declared_names_from_the_package():
    wrong = []
    for source, target, name, line in _cross_package_imports():
        package = _subpackage(target)
        assert package is not None
        where = f"{source}:{line} imports {target}{'.' + name if name else ''}"
        if (source, target) in DEEP_IMPORTS_ALLOWED:
            continue
        if target != f"compiler.{package}":
            wrong.append(f"{where}: import it from compiler.{package}")
        elif name not in EXPECTED_ALL[package]:
            wrong.append(f"{where}: not in compiler.{package}.__all__")
    assert wrong == []


def test_every_allowed_deep_import_is_still_made():
    made = {(source, target) for source, target, _, _ in _cross_package_imports()}
    assert set(DEEP_IMPORTS_ALLOWED) <= made  # an exception no longer needed is removed
