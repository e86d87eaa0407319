from compiler import SQLTask, kwtypes

report = SQLTask(
    name="daily_report",
    query_template=None,
    inputs=kwtypes(day=str),
)
