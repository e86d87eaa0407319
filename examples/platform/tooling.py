"""Build tooling: a task in a declared image, and shell steps that compress and count files.

The image is declared, not built here: the compile writes the image name flytekit would
register (``registry/name:tag``, the tag a hash of the spec), and a CI job builds the images
``compile-tasks images examples/ --json`` lists.
"""

from compiler import (
    FlyteFile,
    ImageSpec,
    OutputLocation,
    Resources,
    ShellTask,
    kwtypes,
    task,
    workflow,
)

#: The shared base: Python and the libraries every tooling task needs.
tooling_base = ImageSpec(
    name="tooling-base",
    registry="ghcr.io/acme",
    python_version="3.11",
    packages=["compile-tasks"],
    apt_packages=["gzip"],
)

#: The reports image, built on the base.
reports_image = ImageSpec(
    name="reports",
    registry="ghcr.io/acme",
    base_image=tooling_base,
    packages=["jinja2==3.1.4"],
    env={"REPORTS_LOCALE": "en_GB"},
)


@task(container_image=reports_image, requests=Resources(cpu="500m", mem="512Mi"))
def write_manifest(names: list[str]) -> FlyteFile:
    """Write one name per line into a manifest file."""
    manifest = FlyteFile.new("manifest.txt")
    with open(manifest, "w", encoding="utf-8") as out:
        out.write("".join(f"{name}\n" for name in names))
    return manifest


compress_manifest = ShellTask(
    name="examples.platform.tooling.compress_manifest",
    script="gzip -c {inputs.manifest} > {outputs.archive}",
    inputs=kwtypes(manifest=FlyteFile),
    output_locs=[
        OutputLocation(var="archive", var_type=FlyteFile, location="{inputs.manifest}.gz")
    ],
    container_image=tooling_base,
)

count_manifest = ShellTask(
    name="examples.platform.tooling.count_manifest",
    script="wc -l < {inputs.manifest} | tr -d ' ' > {outputs.count}",
    inputs=kwtypes(manifest=FlyteFile),
    output_locs=[
        OutputLocation(var="count", var_type=FlyteFile, location="{inputs.manifest}.count")
    ],
    container_image=tooling_base,
)


@task(container_image=reports_image)
def read_count(count: FlyteFile) -> int:
    """Read the number a counting step wrote."""
    with open(count, encoding="utf-8") as src:
        return int(src.read().strip())


@workflow
def package_manifest(names: list[str]) -> tuple[FlyteFile, int]:
    """Write a manifest, compress it and count its lines."""
    manifest = write_manifest(names=names)
    archive = compress_manifest(manifest=manifest)
    return archive, read_count(count=count_manifest(manifest=manifest))
