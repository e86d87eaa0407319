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
