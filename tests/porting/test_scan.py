"""``flytekit_imports``: the flytekit import statements of a source, found without importing it."""

from __future__ import annotations

from compiler.porting import FlytekitImport, flytekit_imports, port_source


def test_every_kind_of_flytekit_import_is_found_in_line_order() -> None:
    source = (
        "import os\n"
        "import flytekit as fl\n"
        "from flytekit.types.file import FlyteFile\n"
        "from . import flytekit\n"  # a relative import of the user's own module
        "def f():\n"
        "    from flytekit import task\n"
        "import flytekitplugins_x, flytekit.models.common\n"
    )
    assert flytekit_imports(source) == [
        FlytekitImport(2, "flytekit"),
        FlytekitImport(3, "flytekit.types.file"),
        FlytekitImport(6, "flytekit"),
        FlytekitImport(7, "flytekit.models.common"),
    ]


def test_sources_without_flytekit_or_that_do_not_parse_give_nothing() -> None:
    assert flytekit_imports("from compiler import task\n# flytekit in a comment\n") == []
    assert flytekit_imports(b"import flytekit\n") == [FlytekitImport(1, "flytekit")]
    assert flytekit_imports("import flytekit\ndef (:\n") == []


def test_a_ported_source_has_no_flytekit_import_left() -> None:
    source = "from flytekit import Resources, task\nimport flytekit as fl\n"
    assert flytekit_imports(port_source(source).text) == []


def test_scanning_for_flytekit_loads_no_rewriter() -> None:
    # A compile warns about modules that import flytekit; the rewriter (tokenize, its tables)
    # is the port command's alone.
    import subprocess
    import sys

    code = (
        "import sys; from compiler.porting import flytekit_imports\n"
        "print(flytekit_imports(b'import flytekit'), "
        "sorted(m for m in sys.modules if m.startswith('compiler.porting')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "[FlytekitImport(line=1, module='flytekit')] ['compiler.porting', 'compiler.porting.scan']"
    )
