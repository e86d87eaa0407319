"""Regenerate ``fixtures/flytekit_artifacts.json`` with flytekit 1.16.31 (the oracle): the
interfaces of ``rt_pkg/artifact_tasks.py`` and the output literal metadata of running them
with ``pyflyte-execute``.

Run in a venv that has flytekit (never in ours)::

    python tests/runtime/make_artifact_oracle.py > tests/runtime/fixtures/flytekit_artifacts.json
"""

import json
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path

from flyteidl.core import literals_pb2
from google.protobuf import json_format

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from artifact_cases import CASES, decoded_metadata  # noqa: E402 - after the path insert

MODULE = "artifact_tasks_flytekit"


def _flytekit_module(folder: str) -> None:
    source = (HERE / "rt_pkg" / "artifact_tasks.py").read_text()
    source = source.replace(
        "from compiler import Artifact, task", "from flytekit import Artifact, task"
    )
    source = source.replace(
        "from compiler.context.artifact import Inputs", "from flytekit.core.artifact import Inputs"
    )
    Path(folder, f"{MODULE}.py").write_text(source)


def _run(folder: str, name: str) -> dict:
    work = Path(folder, name)
    work.mkdir()
    (work / "inputs.pb").write_bytes(
        literals_pb2.LiteralMap(literals=CASES[name]).SerializeToString()
    )
    execute = Path(sys.executable).parent / "pyflyte-execute"
    args = [
        str(execute),
        "--inputs",
        str(work / "inputs.pb"),
        "--output-prefix",
        str(work / "out"),
        "--raw-output-data-prefix",
        str(work / "raw"),
        "--resolver",
        "flytekit.core.python_auto_container.default_task_resolver",
        "--",
        "task-module",
        MODULE,
        "task-name",
        name,
    ]
    subprocess.run(
        args, cwd=folder, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": folder}
    )
    outputs = literals_pb2.LiteralMap.FromString((work / "out" / "outputs.pb").read_bytes())
    return decoded_metadata(outputs)


def main() -> None:
    from flytekit.configuration import ImageConfig, SerializationSettings
    from flytekit.tools.translator import get_serializable

    with tempfile.TemporaryDirectory() as folder:
        _flytekit_module(folder)
        sys.path.insert(0, folder)
        module = __import__(MODULE)
        settings = SerializationSettings(image_config=ImageConfig.auto_default_image())
        interfaces = {}
        for name in sorted(CASES):
            spec = get_serializable(OrderedDict(), settings, getattr(module, name))
            interfaces[name] = json_format.MessageToDict(spec.template.interface.to_flyte_idl())
        outputs = {name: _run(folder, name) for name in sorted(CASES)}
    json.dump({"interfaces": interfaces, "outputs": outputs}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
