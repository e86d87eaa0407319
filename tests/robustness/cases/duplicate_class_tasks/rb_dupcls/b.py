from compiler import ContainerTask


second = ContainerTask(
    name="resize",
    image="registry.example.com/r:2",
    command=["resize"],
)
