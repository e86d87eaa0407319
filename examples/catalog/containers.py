"""Raw container tasks: tools that are not Python functions."""

from datetime import timedelta

from compiler import (
    ContainerTask,
    FlyteDirectory,
    FlyteFile,
    PodTemplate,
    Resources,
    Secret,
    TaskMetadata,
    kwtypes,
)

resize_images = ContainerTask(
    name="resize_images",
    image="registry.example.com/tools/resizer:3.1",
    command=["resize", "--width", "{{.inputs.width}}", "/var/inputs/src", "/var/outputs/out.png"],
    inputs=kwtypes(src=FlyteFile, width=int),
    outputs=kwtypes(out=FlyteFile),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    metadata_format=ContainerTask.MetadataFormat.YAML,
    environment={"OMP_THREADS": "2"},
    limits=Resources(cpu="2"),
    io_strategy=(ContainerTask.IOStrategy.DOWNLOAD_STREAM, ContainerTask.IOStrategy.UPLOAD_EAGER),
)

checksum_catalog = ContainerTask(
    name="catalog.checksum",
    image="{{.image.default.fqn}}:tools-{{.image.default.version}}",
    command=["sha256sum"],
    arguments=["--tag", "{{.inputs.listing}}"],
    inputs=kwtypes(listing=str),
    output_data_dir="/var/outputs",
    metadata_format=ContainerTask.MetadataFormat.PROTO,
    requests=Resources(cpu="250m", mem="64Mi"),
    metadata=TaskMetadata(retries=2, timeout=timedelta(minutes=10), interruptible=True),
    pod_template_name="tools-pool",
)

publish_feed = ContainerTask(
    name="publish_feed",
    image="registry.example.com/tools/feed-publisher:1.4",
    command=["publish", "--dir", "/var/inputs/feed", "--channel", "{{.inputs.channel}}"],
    inputs=kwtypes(feed=FlyteDirectory, channel=str),
    outputs=kwtypes(published=int, report=FlyteFile),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    secret_requests=[Secret(group="feeds", key="sftp-password", env_var="SFTP_PASSWORD")],
    metadata=TaskMetadata(
        cache=True, cache_version="feed-1", retries=1, deprecated="Publish through the API."
    ),
    resources=Resources(cpu=("500m", "1"), mem=("256Mi", "512Mi")),
)

scan_uploads = ContainerTask(
    name="scan_uploads",
    image="registry.example.com/tools/scanner:0.9",
    command=["scan", "/var/inputs"],
    inputs=kwtypes(uploads=FlyteDirectory),
    outputs=kwtypes(infected=int),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    requests=Resources(cpu="1", mem="1Gi"),
    environment={"SIGNATURES": "daily"},
    pod_template=PodTemplate(
        primary_container_name="scanner",
        labels={"app": "scanner"},
        pod_spec={
            "containers": [
                {"name": "scanner", "securityContext": {"readOnlyRootFilesystem": True}}
            ],
            "nodeSelector": {"pool.example.com/tier": "sandbox"},
        },
    ),
)
