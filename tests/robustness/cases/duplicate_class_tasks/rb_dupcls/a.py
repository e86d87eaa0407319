from compiler import ContainerTask

first = ContainerTask(name="resize", image="registry.example.com/r:1", command=["resize"])
