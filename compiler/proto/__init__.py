"""Pure proto builders used by the task hooks of :mod:`compiler.sdk`.

Each module takes plain, already validated values and returns flyteidl messages (or the dicts
that become Structs): ``resources``, ``images``, ``env``, ``security``, ``extended``, ``pod``,
``metadata``, ``container``. Nothing here knows about task objects.
"""
