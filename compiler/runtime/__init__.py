"""Running compiled tasks: the container entrypoint and the local runner.

* :mod:`compiler.runtime.entrypoint` — ``compile-tasks-execute``, what Flyte runs in the task's
  container (reads ``inputs.pb``, runs the task, writes ``outputs.pb`` or ``error.pb``);
* :mod:`compiler.runtime.execute` — the steps of one execution, callable in-process;
* :mod:`compiler.runtime.failure` — ``error.pb`` documents and the recoverable-error marker;
* :mod:`compiler.runtime.blobs` — file inputs and outputs under the raw output prefix (local
  paths and ``fsspec`` URIs through :mod:`compiler.context.storage`);
* :mod:`compiler.runtime.bundle_reader`, :mod:`compiler.runtime.literal_json`,
  :mod:`compiler.runtime.local_run` — ``compile-tasks run``: read a bundle safely, turn JSON
  values into literals by literal type, run the container args in a subprocess.

This package imports nothing heavy at import time, so the entrypoint starts fast.
"""

__all__: list[str] = []
