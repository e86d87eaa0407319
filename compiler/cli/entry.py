"""The console script ``compile-tasks``: a head start for the compile, then the command line.

Loading the command line takes tens of milliseconds while the second core waits. Before it
loads, the arguments that name package folders or ``.py`` files are handed to a helper that
lists their modules and compiles their sources (``compiler.discovery.precompile.speculate``);
the compile takes that helper over when it lists the same modules. The guess reads no option
table, so it is cautious: only arguments that do not follow an option (whose value they
could be), of the compile and ``list`` commands.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see compiler/__init__)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["end_now", "main", "package_paths"]

#: The subcommands that import no package (``compile`` and ``list`` do): kept equal to the
#: command line's own list by ``tests/cli/test_entry.py``.
NO_PACKAGE_COMMANDS = frozenset({"diff", "images", "port", "run", "show-config"})
#: The first words of a command that imports a package (the default command has none).
PACKAGE_COMMANDS = frozenset({"compile", "list"})


def package_paths(args: list[str]) -> list[str]:
    """The arguments a compile of ``args`` most likely imports: existing folders and ``.py``
    files that do not follow an option (``--out bundle/`` is an option's value)."""
    if not args or args[0] in NO_PACKAGE_COMMANDS:
        return []
    if args[0] in PACKAGE_COMMANDS:
        args = args[1:]
    paths: list[str] = []
    after_option = False
    for arg in args:
        if arg == "--":
            after_option = False
            continue
        if arg.startswith("-"):
            after_option = "=" not in arg
            continue
        if not after_option and (
            os.path.isdir(arg) or (arg.endswith(".py") and os.path.isfile(arg))
        ):
            paths.append(arg)
        after_option = False
    return paths


def main() -> Any:
    """Start compiling the guessed package's sources, then run the command line.

    Ctrl-C while the command line loads (nothing read or written yet) ends as an interrupted
    command does, with exit code 130 and no traceback; once it runs, the command line reports
    interruptions itself. After a compile in workers the process ends here (:func:`end_now`),
    unless it had compiled in workers before this call (then it is not the console script's
    own process: a test calling this entry); where it returns, what was deferred for a
    process that lives on is done first (``compiler.lifetime``). No Ctrl-C is lost on the way
    (:func:`_keep_interrupts`).
    """
    from compiler.lifetime import end_with_command, lives_on

    # A process that compiled in workers before (a test calling this entry) is not the
    # console script's own: it goes on after the command.
    fresh = not _user_code_forked()
    if fresh:
        end_with_command()
    before = sys.unraisablehook
    sys.unraisablehook = _keep_interrupts(before)
    try:
        code = _run()
        if fresh:
            end_now(code)
        return code
    finally:
        sys.unraisablehook = before
        lives_on()


def _keep_interrupts(report: Callable[[Any], object]) -> Callable[[Any], object]:
    """A ``sys.unraisablehook`` that delivers a swallowed Ctrl-C again.

    Python cannot raise from a weakref callback or a ``__del__``: it prints "Exception ignored
    in ..." and goes on. A SIGINT that lands in one is lost that way, and the import system runs
    such a callback for each module it loads (its module locks), so a Ctrl-C while the tool
    loads could print a traceback and let the compile run to its end. Instead the interrupt is
    delivered again from a helper thread a moment later (:func:`_interrupt_again`), once the
    main thread has left the callback (raising it from here would land in this hook, and be
    swallowed again); the command then handles it as any Ctrl-C (exit code 130). Should it
    land in such a callback again, this hook sends it once more. Anything else goes to
    ``report``.
    """

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            import _thread

            _thread.start_new_thread(_interrupt_again, ())
            return
        report(unraisable)

    return hook


#: How long :func:`_interrupt_again` waits: the main thread leaves a callback in microseconds.
REDELIVER_SECONDS = 0.005


def _interrupt_again() -> None:
    import _thread
    import time

    time.sleep(REDELIVER_SECONDS)
    _thread.interrupt_main()


def _run() -> Any:
    try:
        from compiler.lifetime import paused_collector

        with paused_collector():
            from compiler.discovery import end_speculation, speculate

            speculate(package_paths(sys.argv[1:]))
            from compiler.cli.main import main as run
    except BaseException as exc:
        from compiler.signals import interruption_in  # a leaf module: safe to load here

        if interruption_in(exc) is None:  # also a Ctrl-C handed on inside another error
            raise
        return _interrupted()
    try:
        return run()
    except SystemExit as exc:  # how the command line ends, whatever happened
        return exc.code
    finally:
        end_speculation()


def end_now(code: object) -> None:
    """End the process at once after a compile whose user code ran in forked workers.

    What such a process holds is the tool's own objects (``user_code_forked``): the
    interpreter's teardown would only free them one by one (10-15 ms after a 5,000-task
    compile, while the cores idle). The exit handlers run as they would (``atexit``), the
    standard streams are flushed, and the process ends with ``code``. Anything else returns,
    for the interpreter to end as usual: no forked compile ran, ``code`` is not a number (it
    is printed), a thread that the interpreter would wait for still runs, there are no exit
    handlers to run, or a stream cannot be flushed (a closed pipe, reported as usual).
    """
    if not _user_code_forked() or _threads_to_wait_for():
        return
    if code is not None and (not isinstance(code, int) or isinstance(code, bool)):
        return
    import atexit

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or not _flushed():
        return
    run_exit_handlers()
    if _flushed():
        os._exit(code or 0)


def _user_code_forked() -> bool:
    """Whether a compile in this process ran the user's code in forked workers."""
    pipeline = sys.modules.get("compiler.pipeline")  # not loaded: no compile ran
    return pipeline is not None and bool(pipeline.user_code_forked())


def _threads_to_wait_for() -> bool:
    """Whether a thread the interpreter joins before it ends (not a daemon) is still alive."""
    threading = sys.modules.get("threading")
    if threading is None:
        return False
    main = threading.main_thread()
    return any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate())


def _flushed() -> bool:
    """Flush the standard streams; whether that worked."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


def _interrupted() -> int:
    precompile = sys.modules.get("compiler.discovery.precompile")
    if precompile is not None:
        precompile.end_speculation()
    from compiler.errors import INTERRUPTED_NOTE, ExitCode  # a leaf module: safe to load here

    sys.stderr.write(INTERRUPTED_NOTE + "\n")
    return int(ExitCode.INTERRUPTED)
