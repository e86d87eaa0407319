from compiler import PodTemplate, task

TEMPLATE = PodTemplate(pod_spec={"containers": "primary"})


@task(pod_template=TEMPLATE)
def in_pod(x: int) -> int:
    return x
