"""User code that tries to wedge or fool the compiler at import.

Each package holds a good task module and one hostile module: it retries in a bare
``except:``, blocks the timer's signal, waits in a C call (``os.system``, a socket), ends the
process (``os._exit``), exits (``sys.exit(0)``), leaves a non-daemon thread running, or is
named like a standard-library module. With ``--import-timeout 1`` and ``--jobs 1`` or ``2``
the compile must end promptly (the import is watched from outside its process), with the
documented code naming the module, exit 3, ``out/`` untouched, and no process left behind; a
thread left running is a warning (CT421) naming the module, and the compile succeeds.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from robust_helpers import (
    Outcome,
    Scenario,
    assert_documented_errors,
    assert_no_traceback,
    check_bundle,
    compile_args,
    documented_codes,
    run_cli,
    run_scenarios,
)

GOOD_MODULE = "from compiler import task\n\n\n@task\ndef ok(x: int) -> int:\n    return x\n"

HOSTILE: dict[str, str] = {
    "bare_except_retry": (
        "import time\n\nwhile True:\n    try:\n        time.sleep(100)\n"
        "    except:  # noqa: E722\n        pass\n"
    ),
    "signals_blocked": (
        "import signal\nimport time\n\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\ntime.sleep(100)\n"
    ),
    "c_call_os_system": 'import os\n\nos.system("sleep 100")\n',
    "c_call_socket": (
        "import signal\nimport socket\n\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n"
        "a, b = socket.socketpair()\na.recv(1)\n"
    ),
    "os_exit_0": "import os\n\nos._exit(0)\n",
    "os_exit_3": "import os\n\nos._exit(3)\n",
    "sys_exit_0": "import sys\n\nsys.exit(0)\n",
    "non_daemon_thread": (
        "import threading\nimport time\n\n"
        "threading.Thread(target=time.sleep, args=(100,)).start()\n"
    ),
}


@dataclass(frozen=True)
class Expect:
    """Exit code, error code, the text the error must hold; the longest run allowed."""

    exit: int
    code: str | None
    says: str
    seconds: float = 6.0


TIMEOUT = Expect(3, "CT407", "importing module 'rb_hostile.b_bad' took longer than 1 s")
EXPECTED: dict[str, Expect] = {
    "bare_except_retry": TIMEOUT,
    "signals_blocked": TIMEOUT,
    "c_call_os_system": TIMEOUT,
    "c_call_socket": TIMEOUT,
    "os_exit_0": Expect(3, "CT420", "module 'rb_hostile.b_bad' ended the compile process"),
    "os_exit_3": Expect(3, "CT420", "(exit status 3;"),
    "sys_exit_0": Expect(3, "CT404", "module 'rb_hostile.b_bad' raised SystemExit: 0"),
    "non_daemon_thread": Expect(
        0, "CT421", "module 'rb_hostile.b_bad' left a non-daemon thread running after import"
    ),
}

#: A warning line: ``file: warning CODE: message. hint: ...`` (the compile still succeeds).
WARNING_LINE = re.compile(
    r"^(?P<file>[^:\s][^:]*?): warning (?P<code>CT\d{3}): (?P<message>.+?)\. hint: (?P<hint>.+)$"
)


def _package(name: str, hostile: str | None):
    def setup(work: Path) -> None:
        pkg = work / name
        pkg.mkdir()
        (pkg / "__init__.py").write_text("", encoding="utf-8")
        (pkg / "a_ok.py").write_text(GOOD_MODULE, encoding="utf-8")
        if hostile is not None:
            (pkg / "b_bad.py").write_text(hostile, encoding="utf-8")

    return setup


def _scenarios() -> dict[str, Scenario]:
    found = {}
    for name, source in HOSTILE.items():
        for jobs in ("1", "2"):
            args = compile_args(["rb_hostile"], "out", "--import-timeout", "1", "--jobs", jobs)
            found[f"{name}-j{jobs}"] = Scenario(args=args, setup=_package("rb_hostile", source))
    for jobs in ("1", "2"):
        args = compile_args(["statistics"], "out", "--jobs", jobs)
        found[f"stdlib_name-j{jobs}"] = Scenario(args=args, setup=_package("statistics", None))
    return found


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, good_bundle: Path) -> dict[str, Outcome]:
    """Every scenario run once, two at a time (the timing assertions need the cores)."""
    started = time.monotonic()
    found = run_scenarios(_scenarios(), tmp_path_factory.mktemp("hostile"), good_bundle, 2)
    assert time.monotonic() - started < 60
    return found


def _processes_in(folder: Path) -> list[str]:
    """Command lines of live processes whose working directory is ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "cwd") == str(folder):
                    found.append((entry / "cmdline").read_bytes().decode(errors="replace"))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_module_is_stopped_and_named(
    name: str, jobs: str, outcomes: dict[str, Outcome]
) -> None:
    want, outcome = EXPECTED[name], outcomes[f"{name}-j{jobs}"]
    stderr = outcome.done.stderr
    assert outcome.done.returncode == want.exit, stderr
    assert_no_traceback(stderr)
    if want.exit == 0:  # compiled, with a warning naming the module; no thread waited for
        (line,) = stderr.splitlines()
        match = WARNING_LINE.match(line)
        assert match and match["code"] == want.code, stderr
        assert match["file"] == "rb_hostile/b_bad.py" and want.says in match["message"]
        assert match["code"] in documented_codes()
        check_bundle(outcome.work / "out")
        assert "00_rb_hostile.a_ok.ok_1.pb" in {p.name for p in (outcome.work / "out").iterdir()}
        assert _processes_in(outcome.work) == [], "the thread's process outlived the compile"
        return
    assert assert_documented_errors(stderr) == [want.code], stderr
    assert want.says in stderr
    assert "rb_hostile/b_bad.py" in stderr
    assert outcome.after == outcome.before
    assert outcome.new_entries == []
    assert _processes_in(outcome.work) == [], "a worker or its child outlived the compile"


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e.code == "CT407"))
def test_hostile_module_is_stopped_within_a_second_of_the_limit(
    name: str, outcomes: dict[str, Outcome]
) -> None:
    """One more run, timed: start-up, the 1 s limit, the watchdog's grace, the report."""
    work = outcomes[f"{name}-j1"].work
    started = time.monotonic()
    done = run_cli(
        compile_args(["rb_hostile"], "out2", "--import-timeout", "1", "--jobs", "1"), work
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    assert elapsed < EXPECTED[name].seconds, f"took {elapsed:.1f} s"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stdlib_names_are_refused_with_every_jobs(jobs: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[f"stdlib_name-j{jobs}"]
    assert outcome.done.returncode == 3, outcome.done.stderr
    codes = assert_documented_errors(outcome.done.stderr)
    assert codes == ["CT408"], outcome.done.stderr
    assert "standard-library module 'statistics'" in outcome.done.stderr
    assert outcome.after == outcome.before


@pytest.mark.parametrize("name", ["os_exit_0", "bare_except_retry"])
def test_list_runs_user_code_under_the_same_watch(name: str, outcomes: dict[str, Outcome]) -> None:
    """``list`` imports the package too: the same watchdog, the same error, exit 3."""
    work = outcomes[f"{name}-j1"].work
    args = ["list", "rb_hostile", "--image", "registry.example.com/team/app:2.0"]
    done = run_cli([*args, "--import-timeout", "1"], work)
    assert done.returncode == 3, done.stderr
    assert assert_documented_errors(done.stderr) == [EXPECTED[name].code], done.stderr
    assert done.stdout == ""
