"""Suite-wide pytest options and fixtures.

``pytest --update-goldens`` regenerates the goldens of ``examples/`` in ``golden/`` (refused when
the ``CI`` environment variable is true: CI checks goldens, it never writes them).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Regenerate golden/ from examples/ before checking (refused when CI is set).",
    )


@pytest.fixture(scope="session")
def update_goldens_requested(request: pytest.FixtureRequest) -> bool:
    """True when pytest runs with ``--update-goldens``."""
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(autouse=True)
def own_compile_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test's compiles get an empty compile cache of their own (outside its tmp_path).

    Without it, every compile-tasks run of the suite would share ``~/.cache/compile-tasks``:
    a test's outcome would depend on which tests ran before it (a reused module is not
    imported). The cache's own tests name their folders with ``--cache-dir``.
    """
    monkeypatch.setenv("COMPILE_TASKS_CACHE_DIR", str(tmp_path_factory.mktemp("compile-cache")))
