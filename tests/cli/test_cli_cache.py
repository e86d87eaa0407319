"""The compile cache: unchanged modules are reused, not imported; the bytes never differ.

Every test compiles the same small package with the cache (``--cache-dir``) and without it
(``--no-cache``) and compares the two bundles byte for byte, after each edit.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from cli_helpers import IMAGES, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/common.py": """\
        from compiler import task

        RETRIES = 1


        @task(retries=RETRIES)
        def base(x: int) -> int:
            return x
    """,
    "pkg/a.py": """\
        from compiler import task

        from pkg import common


        @task(retries=common.RETRIES + 1)
        def double(x: int) -> int:
            return 2 * x
    """,
    "pkg/b.py": """\
        import os

        from compiler import task


        @task(retries=int(os.environ.get("CT_CACHE_TEST_RETRIES", "0")))
        def from_env(x: int) -> int:
            return x
    """,
    "pkg/c.py": """\
        from pathlib import Path

        from compiler import task

        LIMIT = int((Path(__file__).parent / "limit.txt").read_text())


        @task(retries=LIMIT)
        def from_file(x: int) -> int:
            return x
    """,
    "pkg/limit.txt": "3",
    "pkg/flow.py": """\
        from compiler import workflow

        from pkg.a import double
        from pkg.b import from_env


        @workflow
        def flow(x: int) -> int:
            return from_env(x=double(x=x))
    """,
}
MODULES = 6  # pkg, pkg.a, pkg.b, pkg.c, pkg.common, pkg.flow
_REUSED = re.compile(r"\((\d+) from the compile cache\)")


def _package(root: Path, files: dict[str, str] = PACKAGE) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _reused(stdout: str) -> int:
    match = _REUSED.search(stdout)
    return int(match.group(1)) if match else 0


class Compiler:
    """Compiles ``root/pkg`` with the cache and without; checks both bundles are equal."""

    def __init__(self, cli, root: Path, env: dict[str, str] | None = None) -> None:
        self.cli, self.root, self.env = cli, root, dict(env or {})
        self.cache = root / "cache"

    def run(self, *extra: str, out: str = "cached") -> int:
        """Compile with the cache; assert its bundle equals a --no-cache one; the reuse count."""
        cached = self.cli(
            "pkg", "--out", out, "--cache-dir", str(self.cache), *IMAGES, *extra,
            cwd=self.root, env=self.env,
        )  # fmt: skip
        assert cached.returncode == 0, cached.stderr
        plain = self.cli(
            "pkg", "--out", "plain", "--no-cache", *IMAGES, *extra, cwd=self.root, env=self.env
        )
        assert plain.returncode == 0, plain.stderr
        assert _reused(plain.stdout) == 0
        assert tree(self.root / out) == tree(self.root / "plain")
        return _reused(cached.stdout)


def test_a_second_compile_reuses_every_module(cli, tmp_path: Path) -> None:
    compiler = Compiler(cli, _package(tmp_path))
    assert compiler.run() == 0
    assert compiler.run() == MODULES
    assert compiler.run("--jobs", "2") == MODULES  # whichever worker stored a module
    assert compiler.run("--jobs", "3", "--rebuild") == MODULES


def test_an_edit_recompiles_the_module_and_its_importers(cli, tmp_path: Path) -> None:
    compiler = Compiler(cli, _package(tmp_path))
    compiler.run()
    common = tmp_path / "pkg" / "common.py"
    common.write_text(common.read_text().replace("RETRIES = 1", "RETRIES = 2"))
    # common, a (imports common) and flow (imports a) are compiled again
    assert compiler.run() == MODULES - 3


def test_an_environment_variable_read_at_import_is_an_input(cli, tmp_path: Path) -> None:
    compiler = Compiler(cli, _package(tmp_path), {"CT_CACHE_TEST_RETRIES": "1"})
    compiler.run()
    compiler.env["CT_CACHE_TEST_RETRIES"] = "4"
    assert compiler.run() == MODULES - 2  # b and flow
    del compiler.env["CT_CACHE_TEST_RETRIES"]
    assert compiler.run() == MODULES - 2


def test_a_file_read_at_import_is_an_input(cli, tmp_path: Path) -> None:
    compiler = Compiler(cli, _package(tmp_path))
    compiler.run()
    (tmp_path / "pkg" / "limit.txt").write_text("5")
    assert compiler.run() == MODULES - 1  # c


def test_the_settings_are_part_of_the_key(cli, tmp_path: Path) -> None:
    compiler = Compiler(cli, _package(tmp_path))
    compiler.run()
    assert compiler.run("--project", "other") == 0
    assert compiler.run("--render") == 0
    assert compiler.run("--render") == MODULES


def test_archive_output_and_listing_reuse_the_cache(cli, tmp_path: Path) -> None:
    compiler = Compiler(cli, _package(tmp_path))
    compiler.run()
    archive = cli(
        "pkg", "--out", "b.tgz", "--cache-dir", str(compiler.cache), *IMAGES, cwd=tmp_path
    )
    assert archive.returncode == 0 and _reused(archive.stdout) == MODULES
    plain = cli("pkg", "--out", "p.tgz", "--no-cache", *IMAGES, cwd=tmp_path)
    assert (tmp_path / "b.tgz").read_bytes() == (tmp_path / "p.tgz").read_bytes()
    assert plain.returncode == 0
    listed = cli("list", "pkg", "--cache-dir", str(compiler.cache), *IMAGES, cwd=tmp_path)
    unlisted = cli("list", "pkg", "--no-cache", *IMAGES, cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout == unlisted.stdout


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("import subprocess\nsubprocess.run(['true'])\n", "starts a process"),
        ("open(__file__ + '.log', 'a').close()\n", "writes a file"),
    ],
)
def test_a_module_with_side_effects_is_never_reused(
    cli, tmp_path: Path, code: str, why: str
) -> None:
    files = dict(PACKAGE)
    files["pkg/common.py"] = code + textwrap.dedent(PACKAGE["pkg/common.py"])
    compiler = Compiler(cli, _package(tmp_path, files))
    compiler.run()
    # common, a and flow (which import it) are imported every time
    assert compiler.run() == MODULES - 3, why


def test_a_module_with_warnings_is_not_reused(cli, tmp_path: Path) -> None:
    files = dict(PACKAGE)
    files["pkg/b.py"] = (
        "import threading, time\nthreading.Thread(target=time.sleep, args=(0.2,)).start()\n"
    ) + textwrap.dedent(PACKAGE["pkg/b.py"])
    _package(tmp_path, files)
    cache = str(tmp_path / "cache")
    args = ("pkg", "--out", "o", "--cache-dir", cache, *IMAGES, "--jobs", "1")
    first = cli(*args, cwd=tmp_path)
    second = cli(*args, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "CT421" in first.stderr and "CT421" in second.stderr  # imported again
    assert _reused(second.stdout) == MODULES - 1  # only b, whose import warned


def test_broken_or_unwritable_caches_only_cost_time(cli, tmp_path: Path) -> None:
    compiler = Compiler(cli, _package(tmp_path))
    compiler.run()
    for entry in compiler.cache.rglob("*.entry"):
        entry.write_bytes(b"not marshal data")
    assert compiler.run() == 0
    assert compiler.run() == MODULES
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder's parent would be")
    below = str(blocked / "cache")
    result = cli("pkg", "--out", "o", "--cache-dir", below, *IMAGES, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert tree(tmp_path / "o") == tree(tmp_path / "plain")


def test_the_default_folder_and_turning_the_cache_off(cli, tmp_path: Path) -> None:
    _package(tmp_path)
    home = tmp_path / "xdg"
    env = {"XDG_CACHE_HOME": str(home), "COMPILE_TASKS_CACHE_DIR": ""}
    assert cli("pkg", "--out", "o", *IMAGES, cwd=tmp_path, env=env).returncode == 0
    folder = home / "compile-tasks"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    assert (folder / ".gitignore").read_text() == "*\n"
    assert len(list(folder.rglob("*.entry"))) == MODULES
    again = cli("pkg", "--out", "o", *IMAGES, cwd=tmp_path, env=env)
    assert _reused(again.stdout) == MODULES
    (tmp_path / "compile-tasks.yaml").write_text("cache: false\n")
    off = cli("pkg", "--out", "o", *IMAGES, cwd=tmp_path, env=env)
    assert off.returncode == 0 and _reused(off.stdout) == 0
    (tmp_path / "compile-tasks.yaml").write_text("cache: elsewhere\n")
    assert cli("pkg", "--out", "o", *IMAGES, cwd=tmp_path, env=env).returncode == 0
    assert len(list((tmp_path / "elsewhere").rglob("*.entry"))) == MODULES


EDITS = st.lists(
    st.sampled_from(["common", "env", "limit", "doc", "new_task", "nothing"]),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits=EDITS)
def test_any_sequence_of_edits_gives_the_bytes_of_a_compile_without_cache(
    cli, tmp_path_factory: pytest.TempPathFactory, edits: list[str]
) -> None:
    root = _package(tmp_path_factory.mktemp("edits"))
    compiler = Compiler(cli, root, {"CT_CACHE_TEST_RETRIES": "0"})
    compiler.run()
    for step, edit in enumerate(edits, 1):
        if edit == "common":
            path = root / "pkg" / "common.py"
            path.write_text(re.sub(r"RETRIES = \d+", f"RETRIES = {step + 1}", path.read_text()))
        elif edit == "env":
            compiler.env["CT_CACHE_TEST_RETRIES"] = str(step)
        elif edit == "limit":
            (root / "pkg" / "limit.txt").write_text(str(step + 3))
        elif edit == "doc":
            path = root / "pkg" / "a.py"
            path.write_text(
                path.read_text().replace("return 2 * x", f'"""Step {step}."""\n    return 2 * x')
            )
        elif edit == "new_task":
            (root / "pkg" / f"extra_{step}.py").write_text(
                f"from compiler import task\n\n\n@task\ndef extra_{step}(x: int) -> int:\n"
                "    return x\n"
            )
        compiler.run()


def test_verbose_says_why_a_module_was_compiled_again_or_not_stored(cli, tmp_path: Path) -> None:
    files = dict(PACKAGE)
    files["pkg/c.py"] = "import subprocess\nsubprocess.run(['true'])\n" + textwrap.dedent(
        PACKAGE["pkg/c.py"]
    )
    _package(tmp_path, files)
    args = ("pkg", "--out", "o", "--cache-dir", "cache", *IMAGES, "-v")
    env = {"CT_CACHE_TEST_RETRIES": "1"}
    first = cli(*args, cwd=tmp_path, env=env)
    assert "compile cache: pkg.c: not stored: it starts a process at import" in first.stdout
    common = tmp_path / "pkg" / "common.py"
    common.write_text(common.read_text() + "\n")
    second = cli(*args, cwd=tmp_path, env={"CT_CACHE_TEST_RETRIES": "2"})
    lines = [line for line in second.stdout.splitlines() if line.startswith("compile cache")]
    assert lines == [
        "compile cache: pkg.a: compiled again: pkg/common.py changed",
        "compile cache: pkg.b: compiled again: environment variable CT_CACHE_TEST_RETRIES changed",
        "compile cache: pkg.c: not stored: it starts a process at import",
        "compile cache: pkg.common: compiled again: pkg/common.py changed",
        # the first changed input is named (flow imports both a and b)
        "compile cache: pkg.flow: compiled again: environment variable CT_CACHE_TEST_RETRIES "
        "changed",
    ]


def test_new_modification_times_with_the_same_bytes_still_hit(cli, tmp_path: Path) -> None:
    """A fresh checkout rewrites every file: the project's files are known by their bytes."""
    compiler = Compiler(cli, _package(tmp_path))
    compiler.run()
    for path in (tmp_path / "pkg").rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes())
    assert compiler.run() == MODULES


MAPS = {
    "mpkg/__init__.py": "",
    "mpkg/base.py": """\
        from compiler import task


        @task
        def square(x: int) -> int:
            return x * x
    """,
    **{
        f"mpkg/flow_{name}.py": f"""\
            from compiler import map_task, workflow

            from mpkg.base import square

            STEP = 0


            @workflow
            def flow_{name}(xs: list[int]) -> list[int]:
                return map_task(square)(x=xs)
        """
        for name in ("a", "b", "c")
    },
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_map_task_used_by_reused_and_fresh_modules_is_written_once(
    cli, tmp_path: Path, jobs: str
) -> None:
    """The mapped task's template has no home module: each module using it reports it."""
    root = _package(tmp_path, MAPS)
    args = ("mpkg", "--jobs", jobs, *IMAGES)
    cached = ("--out", "cached", "--cache-dir", str(root / "cache"))
    assert cli(*args, *cached, cwd=root).returncode == 0
    flow_b = root / "mpkg" / "flow_b.py"
    flow_b.write_text(flow_b.read_text().replace("STEP = 0", "STEP = 1"))
    again = cli(*args, *cached, cwd=root)
    assert again.returncode == 0, again.stderr
    assert _reused(again.stdout) == 4  # all but flow_b
    plain = cli(*args, "--out", "plain", "--no-cache", cwd=root)
    assert plain.returncode == 0, plain.stderr
    assert tree(root / "cached") == tree(root / "plain")
    assert len(list((root / "cached").glob("*arraynode*.pb"))) == 1
