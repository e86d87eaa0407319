"""Shell tasks: a script or a script file, file and folder outputs."""

from compiler import (
    FlyteDirectory,
    FlyteFile,
    ImageSpec,
    OutputLocation,
    ShellTask,
    get_raw_shell_task,
    kwtypes,
)
from compiler.types import CSVFile

tools = ImageSpec(name="tools", registry="ghcr.io/acme", apt_packages=["coreutils"])

count_lines = ShellTask(
    name="authoring.count_lines",
    debug=True,
    script="wc -l < {inputs.data} > {outputs.count}",
    inputs=kwtypes(data=FlyteFile),
    output_locs=[OutputLocation(var="count", var_type=FlyteFile, location="{inputs.data}.count")],
)

from_file = ShellTask(
    name="authoring.from_file",
    script_file="probe_authoring/scripts/count.sh",
    inputs=kwtypes(data=CSVFile),
    output_locs=[OutputLocation(var="count", var_type=FlyteFile, location="/tmp/count.txt")],
    container_image=tools,
)

split = ShellTask(
    name="authoring.split",
    script="mkdir -p {outputs.parts} && split -l {inputs.lines} {inputs.data} {outputs.parts}/",
    inputs=kwtypes(data=FlyteFile, lines=int),
    output_locs=[
        OutputLocation(var="parts", var_type=FlyteDirectory, location="/tmp/parts"),
        OutputLocation(var="copy", var_type=CSVFile, location="/tmp/copy.csv"),
    ],
    environment={"LC_ALL": "C"},
)

no_outputs = ShellTask(name="authoring.say", script="echo {inputs.word}", inputs=kwtypes(word=str))

raw_runner = get_raw_shell_task("authoring.raw_runner")
