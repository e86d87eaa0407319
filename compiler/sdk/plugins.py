"""Task plugins: ``@task(task_config=X(...))`` builds the plugin's task class for ``type(X)``.

flytekit's mechanism, kept so plugin modules port: a plugin registers its
``PythonFunctionTask`` subclass for its config type, and ``@task`` picks it by the type of
``task_config``. The registry is an object (:data:`task_plugins`); ``TaskPlugins`` keeps
flytekit's class-level spelling for ported code.
"""

from __future__ import annotations

from typing import Any

from compiler.errors import DefinitionError
from compiler.sdk.function_task import PythonFunctionTask

__all__ = ["PluginRegistry", "TaskPlugins", "task_plugins"]


class PluginRegistry:
    """Config type -> ``PythonFunctionTask`` subclass, exact type match."""

    def __init__(self) -> None:
        self._plugins: dict[type, type[PythonFunctionTask[Any]]] = {}

    def register(self, config_type: type, plugin: type[PythonFunctionTask[Any]]) -> None:
        """Register ``plugin`` for configs of exactly ``config_type``.

        Raises:
            DefinitionError: CT163 when another plugin holds the type, or ``plugin`` is not a
                ``PythonFunctionTask`` subclass.
        """
        if not (isinstance(plugin, type) and issubclass(plugin, PythonFunctionTask)):
            raise DefinitionError(
                f"task plugin {plugin!r} is not a PythonFunctionTask subclass",
                code="CT163",
                hint="subclass compiler.PythonFunctionTask",
            )
        found = self._plugins.get(config_type)
        if found is not None and found is not plugin:
            raise DefinitionError(
                f"config type {config_type.__name__} already has the task plugin "
                f"{found.__name__}; cannot register {plugin.__name__}",
                code="CT163",
                hint="register one plugin per config type",
            )
        self._plugins[config_type] = plugin

    def find(self, config_type: type) -> type[PythonFunctionTask[Any]]:
        """The plugin for ``config_type``, or ``PythonFunctionTask``."""
        return self._plugins.get(config_type, PythonFunctionTask)


#: The registry ``@task`` consults.
task_plugins = PluginRegistry()


class TaskPlugins:
    """flytekit's spelling: ``TaskPlugins.register_pythontask_plugin(ConfigType, PluginTask)``."""

    @staticmethod
    def register_pythontask_plugin(
        plugin_config_type: type, plugin: type[PythonFunctionTask[Any]]
    ) -> None:
        task_plugins.register(plugin_config_type, plugin)

    @staticmethod
    def find_pythontask_plugin(plugin_config_type: type) -> type[PythonFunctionTask[Any]]:
        return task_plugins.find(plugin_config_type)
