"""Model training on GPUs and TPUs."""

import json
import os
import tempfile

from compiler import FlyteDirectory, FlyteFile, Resources, task
from compiler.accelerators import A100, A100_80GB, T4, V5E
from examples.models import Customer, ModelConfig


@task(
    container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}",
    accelerator=A100.partition_3g_20gb,
    shared_memory="8Gi",
    resources=Resources(cpu=("4", "8"), mem=("16Gi", "32Gi"), gpu="1"),
    environment={"NCCL_DEBUG": "WARN"},
)
def train_ranker(features: FlyteDirectory, config: ModelConfig, epochs: int = 3) -> FlyteFile:
    """Train the product ranking model.

    Args:
        features: Directory of feature shards.
        config: Hyper-parameters.
        epochs: Passes over the data.

    Returns:
        The serialized model.
    """
    path = os.path.join(tempfile.mkdtemp(prefix="ranker-"), "model.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"epochs": epochs, "lr": config.learning_rate, "layers": config.layers}, handle)
    return FlyteFile(path)


@task(
    container_image="{{.image.default.fqn}}:cuda-{{.image.default.version}}",
    accelerator=T4,
    requests=Resources(cpu=2, mem="8Gi", gpu=1),
    limits=Resources(cpu=4.0, mem="12Gi", gpu=1),
)
def score_customers(model: FlyteFile, customers: list[Customer]) -> dict[str, float]:
    """Score customers with the ranking model.

    :param model: The trained model.
    :param customers: Customers to score.
    :return: Score per customer id.
    """
    return {c.customer_id: float(len(c.tags)) for c in customers}


@task(
    container_image="{{ .images.gpu.fqn }}:eval",
    accelerator=A100_80GB.unpartitioned,
    shared_memory=True,
    requests=Resources(cpu=0.5, mem=1024, ephemeral_storage="50Gi"),
)
def evaluate_ranker(model: FlyteFile, holdout: FlyteDirectory) -> dict[str, float]:
    """Evaluate the ranking model on held-out data.

    :param model: The trained model.
    :param holdout: Held-out feature shards.
    :return: Metric name to value.
    """
    return {"ndcg@10": 0.0, "recall@50": 0.0}


@task(container_image="registry.example.com/ml/tpu:2024.10", accelerator=V5E.slice_2x4)
def embed_products(descriptions: list[str], dim: int = 256) -> list[list[float]]:
    """Embed product descriptions on a TPU slice.

    :param descriptions: Product descriptions.
    :param dim: Embedding size.
    :return: One vector per description.
    """
    return [[float(len(text) % 7)] * dim for text in descriptions]


@task(accelerator=A100)
def warm_gpu_cache(model: FlyteFile) -> None:
    """Load a model once so the node's GPU cache is warm."""
    print(f"warming cache with {model}")
