"""Probes of the rest of flytekit's authoring surface: ImageSpec, shell tasks, task-template
tasks, instance tasks, shared task options and documentation links."""
