"""A flytekit-authored module ports by rewriting its import lines only."""

import ast
import importlib
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict

import compiler
from compiler import ContainerTask, PythonFunctionTask, SerializationSettings, SQLTask
from compiler.settings import ImageConfig

SOURCE = Path(__file__).parent / "data" / "flytekit_shop.py"

#: flytekit module -> the module our names come from.
MODULE_MAP = {
    "flytekit": "compiler",
    "flytekit.core.annotation": "compiler",
    "flytekit.core.base_sql_task": "compiler",
    "flytekit.core.base_task": "compiler",
    "flytekit.types.file": "compiler",
    "flytekit.types.structured": "compiler",
    "flytekit.extras.accelerators": "compiler.accelerators",
    "flytekit.models.task": "flyteidl.core.tasks_pb2",
}


def port_imports(source: str) -> str:
    """Rewrite ``from flytekit... import`` statements; every other line stays as it is."""
    lines = source.splitlines(keepends=True)
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module in MODULE_MAP:
            first = node.lineno - 1
            lines[first] = lines[first].replace(node.module, MODULE_MAP[node.module], 1)
    return "".join(lines)


def changed_lines(before: str, after: str) -> list[int]:
    pairs = zip(before.splitlines(), after.splitlines(), strict=True)
    return [i for i, (a, b) in enumerate(pairs, 1) if a != b]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    original = SOURCE.read_text()
    ported = port_imports(original)
    pkg = tmp_path_factory.mktemp("ported") / "ported_shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "tasks.py").write_text(ported)
    sys.path.insert(0, str(pkg.parent))
    try:
        yield importlib.import_module("ported_shop.tasks"), original, ported
    finally:
        sys.path.remove(str(pkg.parent))
        for name in [m for m in sys.modules if m.startswith("ported_shop")]:
            del sys.modules[name]


def test_only_import_lines_changed(shop):
    _, original, ported = shop
    tree = ast.parse(original)
    import_lines = {n.lineno for n in tree.body if isinstance(n, ast.ImportFrom)}
    changed = changed_lines(original, ported)
    assert changed and set(changed) <= import_lines
    assert "flytekit" not in ported.replace("flytekit 1.16", "")


def test_ported_module_defines_the_same_tasks(shop):
    module, _, _ = shop
    tasks = {name: obj for name, obj in vars(module).items() if isinstance(obj, compiler.Task)}
    assert {name: type(t).__name__ for name, t in tasks.items()} == {
        "load_orders": "PythonFunctionTask",
        "train": "PythonFunctionTask",
        "score": "PythonFunctionTask",
        "count_rows": "PythonFunctionTask",
        "legacy_total": "PythonFunctionTask",
        "thumbnail": "ContainerTask",
        "daily_revenue": "WarehouseQuery",
    }
    assert module.load_orders.name == "ported_shop.tasks.load_orders"
    assert isinstance(module.load_orders, PythonFunctionTask)
    assert isinstance(module.thumbnail, ContainerTask)
    assert isinstance(module.daily_revenue, SQLTask)
    assert module.daily_revenue.name == "shop.daily_revenue"


def test_ported_tasks_carry_their_options(shop, tmp_path):
    module, _, _ = shop
    settings = SerializationSettings(
        image_config=ImageConfig(
            default_image="registry.example.com/team/app:2.0",
            images={"gpu": "registry.example.com/team/gpu:cuda"},
        )
    )
    load = module.load_orders
    md = MessageToDict(load.metadata_proto(), preserving_proto_field_name=True)
    assert md["retries"] == {"retries": 3}
    assert md["discovery_version"] == "2024-05"
    assert md["cache_ignore_input_vars"] == ["trace_id"]
    assert load.python_interface.outputs == {"rows": int, "skipped": int}
    assert load.python_interface.output_descriptions == {
        "rows": "What happened.",
        "skipped": "What happened.",
    }
    container = MessageToDict(load.get_container(settings), preserving_proto_field_name=True)
    assert container["resources"] == {
        "requests": [{"name": "CPU", "value": "1"}, {"name": "MEMORY", "value": "2Gi"}],
        "limits": [{"name": "CPU", "value": "2"}, {"name": "MEMORY", "value": "4Gi"}],
    }
    assert container["args"][-4:] == [
        "task-module",
        "ported_shop.tasks",
        "task-name",
        "load_orders",
    ]
    ext = MessageToDict(module.train.get_extended_resources(settings))
    assert ext == {"gpuAccelerator": {"device": "nvidia-tesla-a100", "partitionSize": "2g.10gb"}}
    assert module.train.metadata.timeout == timedelta(hours=1)
    assert module.score.get_container(settings).image == "registry.example.com/team/gpu:latest"
    csv = tmp_path / "rows.csv"
    csv.write_text("a,b\n")
    assert module.train(epochs=1, data=compiler.CSVFile(str(csv))) is None  # IgnoreOutputs
    assert module.legacy_total(amounts={"a": 1.5, "b": 2.0}) == 3.5
    sql = MessageToDict(module.daily_revenue.get_sql(settings), preserving_proto_field_name=True)
    assert sql == {
        "statement": "SELECT day, SUM(total) FROM orders WHERE day = '{{ .inputs.day }}'",
        "dialect": "HIVE",
    }
    assert module.daily_revenue.get_custom(settings) == {"account": "shop", "database": "SALES"}
    data_config = module.thumbnail.get_container(settings).data_config
    assert MessageToDict(data_config, preserving_proto_field_name=True) == {
        "enabled": True,
        "format": "YAML",
        "input_path": "/var/inputs",
        "output_path": "/var/outputs",
    }
