"""The README's first command installs everything ``examples/`` imports.

That command (``pip install ".[extras]" && compile-tasks examples/ ...``) runs on a fresh
machine, where only compile-tasks, its dependencies and the named extras are installed. The
test venv has more (the test extra adds polars, mashumaro, ...), so an example that imported
one of those would compile here and fail for a new user. Every import of every example module
(module level or inside a function, since the compile imports and runs the module) must be
the standard library, this project, the examples themselves, or a module installed by what
the first command installs (with everything those distributions require in turn).
"""

from __future__ import annotations

import ast
import re
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

from markdown_files import REPO, SHELL_LANGUAGES, blocks
from packaging.requirements import Requirement

EXAMPLES = REPO / "examples"


def _first_command() -> str:
    block = next(b for b in blocks(REPO / "README.md") if b.language in SHELL_LANGUAGES)
    return block.text.splitlines()[0]


def _named_extras(command: str) -> set[str]:
    """The extras of ``pip install ".[a,b]"`` in ``command`` (none for a plain ``.``)."""
    match = re.search(r"""pip install (?:-e )?["']?\.(?:\[([^\]]*)\])?""", command)
    assert match, f"the README's first command installs nothing from this checkout: {command}"
    return {name.strip() for name in (match.group(1) or "").split(",") if name.strip()}


def _requirements(distribution: str, extras: set[str]) -> list[Requirement]:
    """What ``distribution[extras]`` requires on this Python (markers evaluated)."""
    try:
        texts = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:  # required only where this machine is not
        return []
    found = []
    for text in texts:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": e}) for e in extras or {""}):
            found.append(requirement)
    return found


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_distributions(extras: set[str]) -> set[str]:
    """compile-tasks[extras] and everything it requires, transitively (normalised names)."""
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = [("compile-tasks", frozenset(extras))]
    while pending:
        name, wanted = pending.pop()
        if (_normalised(name), wanted) in seen:
            continue
        seen.add((_normalised(name), wanted))
        for requirement in _requirements(name, set(wanted)):
            pending.append((requirement.name, frozenset(requirement.extras)))
    return {name for name, _ in seen}


@cache
def _modules_of_distributions() -> dict[str, set[str]]:
    """Top-level import names by normalised distribution name (of the test venv)."""
    by_distribution: dict[str, set[str]] = {}
    for module, distributions in metadata.packages_distributions().items():
        for distribution in distributions:
            by_distribution.setdefault(_normalised(distribution), set()).add(module)
    return by_distribution


def _imported_modules(source: Path) -> dict[str, int]:
    """Top-level modules ``source`` imports (absolute imports), with the first line of each."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            found.setdefault(name.partition(".")[0], node.lineno)
    return found


def test_the_first_command_installs_every_third_party_module_the_examples_import() -> None:
    extras = _named_extras(_first_command())
    modules = _modules_of_distributions()
    allowed = set(sys.stdlib_module_names) | {"compiler", "examples", "__future__"}
    for distribution in _installed_distributions(extras):
        allowed |= modules.get(distribution, set())
    strays = [
        f"{source.relative_to(REPO)}:{line}: imports {module!r}"
        for source in sorted(EXAMPLES.rglob("*.py"))
        for module, line in _imported_modules(source).items()
        if module not in allowed
    ]
    assert not strays, (
        "the README's first command does not install what these examples import; add the "
        f"extra that provides it to that command (it installs {sorted(extras)}):\n"
        + "\n".join(strays)
    )


def test_the_guard_sees_the_extras_and_what_they_bring() -> None:
    """The check above is not vacuous: the extras add modules, a test-only one is refused."""
    extras = _named_extras(_first_command())
    assert {"dataframe", "pydantic"} <= extras
    modules = _modules_of_distributions()
    installed = _installed_distributions(extras)
    plain = _installed_distributions(set())
    assert {"pandas", "pyarrow", "pydantic", "numpy"} <= installed - plain
    assert "polars" not in installed and "mashumaro" not in installed
    assert "yaml" in modules["pyyaml"] and "pyyaml" in plain
