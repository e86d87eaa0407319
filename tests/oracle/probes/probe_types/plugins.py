"""Class-instantiated tasks at their edges: SQL without hooks, bare raw containers."""

from typing import Any

from flyteidl.core.tasks_pb2 import Sql

from compiler import (
    ContainerTask,
    PodTemplate,
    Resources,
    Secret,
    SQLTask,
    StructuredDataset,
    TaskMetadata,
    kwtypes,
)


class BareSqlTask(SQLTask[dict]):
    """A SQL plugin that overrides no hook: no target at all."""


class DialectSqlTask(SQLTask[dict]):
    def get_sql(self, settings: Any) -> Sql:
        # 1 is the proto's ANSI (flytekit's own constant for it is called HIVE).
        return Sql(statement=self.query_template, dialect=1)

    def get_custom(self, settings: Any) -> dict[str, Any]:
        return {"limits": {"rows": 10, "ratio": 0.5}, "tags": ["a", 1, True, None]}


bare_sql = BareSqlTask(
    name="probe_types.plugins.bare_sql",
    query_template="  SELECT 1  ",
    outputs=kwtypes(results=StructuredDataset),
)

dialect_sql = DialectSqlTask(
    name="dialect_sql",
    query_template="SELECT *\n\n\tFROM t WHERE x = {{ .inputs.x }}",
    task_config={"k": "v"},
    inputs=kwtypes(x=int),
)

bare_container = ContainerTask(
    name="bare_container",
    image="busybox:1.36",
    command=["true"],
)

container_in_pod = ContainerTask(
    name="container_in_pod",
    image="busybox:1.36",
    command=["echo", "{{.inputs.word}}"],
    arguments=["--", "x"],
    inputs=kwtypes(word=str),
    outputs=kwtypes(n=int),
    output_data_dir="/out",
    environment={"A": "1"},
    pod_template=PodTemplate(
        pod_spec={"containers": [{"name": "sidecar", "image": "busybox:1.36"}]},
        annotations={"x": "y"},
    ),
)


outputs_only = ContainerTask(
    name="outputs_only",
    image="busybox:1.36",
    command=["sh", "-c", "echo 3 > /var/outputs/n"],
    arguments=[],
    outputs=kwtypes(n=int),
    output_data_dir="/var/outputs",
    metadata_format=ContainerTask.MetadataFormat.JSON,
    environment={},
    resources=Resources(cpu="1", mem=("1Gi", "2Gi")),
    secret_requests=[Secret(group="tls", key="ca.pem", mount_requirement=Secret.MountType.FILE)],
    metadata=TaskMetadata(
        cache=True,
        cache_serialize=True,
        cache_version="2",
        cache_ignore_input_vars=("n",),
        interruptible=False,
        deprecated="old",
    ),
)
