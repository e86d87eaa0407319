"""Task-template tasks: SQLite3Task and a custom PythonCustomizedContainerTask."""

from typing import Any

from compiler import (
    FlyteSchema,
    ImageSpec,
    Interface,
    PythonCustomizedContainerTask,
    Resources,
    Secret,
    ShimTaskExecutor,
    SQLite3Config,
    SQLite3Task,
    kwtypes,
)

runner = ImageSpec(name="sql-runner", registry="ghcr.io/acme", packages=["pyarrow"])

tracks = SQLite3Task(
    name="authoring.tracks",
    query_template="""select TrackId, Name
        from tracks
        limit {{ .inputs.limit }}""",
    inputs=kwtypes(limit=int),
    output_schema_type=FlyteSchema[kwtypes(TrackId=int, Name=str)],
    task_config=SQLite3Config(uri="https://example.com/chinook.zip", compressed=True),
    container_image="ghcr.io/acme/sql-runner:1.0",
)

plain = SQLite3Task(
    name="authoring.plain",
    query_template="select count(*) from orders",
    task_config=SQLite3Config(uri="/data/orders.db"),
    container_image=runner,
)


class EchoExecutor(ShimTaskExecutor):
    def execute_from_model(self, tt: Any, **kwargs: Any) -> Any:
        return kwargs["word"] * int(tt.custom["times"])


class EchoTask(PythonCustomizedContainerTask):
    def __init__(self, name: str, times: int, **kwargs: Any) -> None:
        self.times = times
        super().__init__(
            name=name,
            task_config=None,
            container_image="ghcr.io/acme/echo:2",
            executor_type=EchoExecutor,
            task_type="echo",
            interface=Interface(inputs=kwtypes(word=str), outputs=kwtypes(o0=str)),
            **kwargs,
        )

    def get_custom(self, settings: Any) -> dict[str, Any]:
        return {"times": self.times}


echo_twice = EchoTask(
    name="authoring.echo_twice",
    times=2,
    requests=Resources(cpu="500m"),
    limits=Resources(mem="1Gi"),
    environment={"MODE": "fast"},
    secret_requests=[Secret(group="echo", key="token", mount_requirement=Secret.MountType.ENV_VAR)],
)
