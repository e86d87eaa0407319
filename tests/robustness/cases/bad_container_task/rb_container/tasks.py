from compiler import ContainerTask, kwtypes

resize = ContainerTask(
    name="resize",
    image="registry.example.com/tools/resize:1.2",
    command=["resize"],
    inputs=kwtypes(path=object),
)
