"""Re-exports ``count``: it is compiled once, under its home module."""

from compiler import ContainerTask, kwtypes
from minishop.orders import count as count_again  # noqa: F401

resize = ContainerTask(
    name="resize_images",
    image="registry.example.com/tools/resize:1.2",
    command=["resize", "--width", "640"],
    inputs=kwtypes(path=str),
)
