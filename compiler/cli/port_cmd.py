"""``compile-tasks port PATH...``: rewrite flytekit imports to compile-tasks imports.

Walks the ``.py`` files under each PATH (hidden folders, virtual environments and
``__pycache__`` are skipped), rewrites their flytekit imports with
:func:`compiler.porting.port_source`, and lists every flytekit name that has no equivalent yet
as ``file:line: warning``. ``--diff`` prints a unified diff; ``--check`` writes nothing and
exits 1 when a file would change (for CI). Each file is replaced atomically.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from compiler.cli.guard import handled
from compiler.cli.options import ConsoleFlags, console_options
from compiler.cli.output import Console
from compiler.cli.usage import Mode, given_flags, ineffective_flags
from compiler.errors import CompileErrors, ConfigError, ExitCode

if TYPE_CHECKING:
    from compiler.porting import PortResult

__all__ = ["port_command"]

_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


def _python_files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIPPED_DIRS
            and not (Path(folder) / d / "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder) / name


def _write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode
    import tempfile  # loaded where used: every command's start stays short

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _port_file(path: Path) -> tuple[str, PortResult]:
    from compiler.porting import port_source  # loaded by this command only

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(
            f"cannot read {path}: {err}", code="CT817", hint="pass readable UTF-8 .py files"
        ) from None
    try:
        return text, port_source(text, str(path))
    except SyntaxError as err:
        raise ConfigError(
            f"{path}:{err.lineno or 0}: not valid Python ({err.msg})",
            code="CT817",
            hint="fix the syntax error first; nothing was rewritten",
        ) from None


def _run_port(paths: tuple[str, ...], diff: bool, check: bool, console: Console) -> int:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise ConfigError(
                f"{raw} does not exist", code="CT817", hint="pass package folders or .py files"
            )
        files.extend(_python_files(path))
    results = [(path, *_port_file(path)) for path in files]  # every file parses before any write
    changed = 0
    for path, before, result in results:
        for item in result.unported:
            console.warn(
                f"{path}:{item.line}: warning: flytekit name '{item.name}' (from {item.module}) "
                "has no compile-tasks equivalent yet; the import is left as it was"
            )
        if not result.changed:
            continue
        changed += 1
        if diff:
            import difflib  # only for --diff

            click.echo(
                "".join(
                    difflib.unified_diff(
                        before.splitlines(keepends=True),
                        result.text.splitlines(keepends=True),
                        fromfile=f"a/{path}",
                        tofile=f"b/{path}",
                    )
                ),
                nl=False,
            )
        if not check:
            _write_atomically(path, result.text)
        console.detail(f"{'would rewrite' if check else 'rewrote'} {path}")
    verb = "would rewrite" if check else "rewrote"
    console.info(f"{verb} {changed} of {len(files)} file(s)")
    return ExitCode.DRIFT if check and changed else ExitCode.OK


@click.command("port")
@console_options
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--diff", is_flag=True, help="Print a unified diff of every change.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file would change.")
@click.pass_context
def port_command(
    ctx: click.Context, console: ConsoleFlags, paths: tuple[str, ...], diff: bool, check: bool
) -> None:
    """Rewrite the flytekit imports under PATH... to compile-tasks imports.

    Names without an equivalent stay imported from flytekit and are listed as warnings.
    """
    out = console.console()
    with handled(out, console.debug) as box:
        problems = ineffective_flags(Mode("port", given_flags(ctx)))
        if problems:
            raise problems[0] if len(problems) == 1 else CompileErrors(problems)
        box[0] = int(_run_port(paths, diff, check, out))
    ctx.exit(box[0])
