"""A flytekit module using the rest of the authoring surface (ported by tests/sdk)."""

import flytekit
from flytekit import Environment, ImageSpec, PythonInstanceTask, SourceCode, kwtypes
from flytekit.extend import PythonCustomizedContainerTask, ShimTaskExecutor
from flytekit.extras.sqlite3.task import SQLite3Config, SQLite3Task
from flytekit.extras.tasks.shell import OutputLocation, ShellTask
from flytekit.testing import patch, task_mock
from flytekit.types.file import FlyteFile

image = ImageSpec(name="tools", registry="ghcr.io/acme", packages=["pyarrow"])
env = Environment(container_image=image, retries=1)

say = ShellTask(
    name="tooling.say",
    script="echo {inputs.word} > {outputs.out}",
    inputs=kwtypes(word=str),
    output_locs=[OutputLocation(var="out", var_type=FlyteFile, location="said.txt")],
)

tracks = SQLite3Task(
    name="tooling.tracks",
    query_template="select 1",
    task_config=SQLite3Config(uri="/data/db.sqlite"),
    container_image=image,
)


@env.task
def shout(word: str) -> str:
    return word.upper()


EXPORTED = (PythonInstanceTask, SourceCode, PythonCustomizedContainerTask, ShimTaskExecutor)
MOCKS = (patch, task_mock, flytekit.current_context)
