"""``--golden DIR --check`` against golden directories that are corrupt or hold foreign files.

The golden directory is built from the good bundle exactly as documented in
``compiler/golden/layout.py`` (``<stem>.yaml`` renderings and ``checksums.sha256``), then one
thing is broken. The check must fail with one ``error CT6xx`` line and a hint (exit 3; 2 for
usage problems), never a traceback, never follow a link or read an oversized or special file,
and never modify the golden directory. The bundle in ``out/`` stays complete and consistent.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import (
    Expected,
    Outcome,
    Scenario,
    assert_errors,
    assert_no_traceback,
    check_bundle,
    compile_args,
    examples,
    run_scenario,
    run_scenarios,
    unprivileged_prefix,
)

from compiler.errors import GoldenError
from compiler.golden import ReportFormat, render_report, summary_lines
from compiler.golden import check_bundle as golden_check

E = Expected
COUNT = "00_rb_good.orders.count_1.yaml"
CHECK = compile_args(["rb_good"], "out", "--golden", "g", "--check")


def make_golden(work: Path) -> Path:
    """``work/g``: the goldens of the bundle in ``work/out``."""
    golden = work / "g"
    shutil.copytree(work / "out" / "yaml", golden)
    sums = {
        pb.name: hashlib.sha256(pb.read_bytes()).hexdigest()
        for pb in sorted((work / "out").glob("*.pb"))
    }
    text = "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))
    (golden / "checksums.sha256").write_text(text, encoding="utf-8")
    return golden


def _broken(change: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(work: Path) -> None:
        change(make_golden(work))

    return setup


def _write(name: str, data: str | bytes) -> Callable[[Path], None]:
    def change(golden: Path) -> None:
        path = golden / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return change


def _append(name: str, text: str) -> Callable[[Path], None]:
    def change(golden: Path) -> None:
        with open(golden / name, "a", encoding="utf-8") as handle:
            handle.write(text)

    return change


def _subdir(golden: Path) -> None:
    (golden / "sub").mkdir()


def _symlink(golden: Path) -> None:
    (golden / COUNT).unlink()
    os.symlink("/etc/passwd", golden / COUNT)


def _fifo(golden: Path) -> None:
    os.mkfifo(golden / "00_extra_1.yaml")


def _oversized(golden: Path) -> None:
    with open(golden / "00_huge_1.yaml", "wb") as handle:
        handle.truncate(9 * 1024 * 1024)


def _bad_checksum_line(golden: Path) -> None:
    path = golden / "checksums.sha256"
    path.write_text("nothex  x.pb\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def _tamper_checksum(golden: Path) -> None:
    path = golden / "checksums.sha256"
    text = path.read_text(encoding="utf-8")
    path.write_text(("0" if text[0] != "0" else "1") + text[1:], encoding="utf-8")


def _golden_is_file(work: Path) -> None:
    (work / "g").write_text("not a folder\n", encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """A broken golden directory and the error it must produce."""

    setup: Callable[[Path], None] | None
    exit: int
    error: Expected
    args: tuple[str, ...] = tuple(CHECK)
    env: tuple[tuple[str, str], ...] = ()
    unprivileged: bool = False
    bug: str = ""


CORRUPTIONS: dict[str, Case] = {
    "intact": Case(_broken(lambda g: None), 0, E("", None)),
    "foreign_file": Case(
        _broken(_write("README.md", "notes\n")), 3, E("CT611", None, says="'g/README.md'")
    ),
    "sub_directory": Case(_broken(_subdir), 3, E("CT611", None, says="'g/sub'")),
    "symlink_rendering": Case(_broken(_symlink), 3, E("CT612", None, says="symbolic link")),
    "fifo_rendering": Case(_broken(_fifo), 3, E("CT611", None, says="00_extra_1.yaml")),
    "oversized_rendering": Case(_broken(_oversized), 3, E("CT614", None, says="9437184 bytes")),
    "bad_checksum_line": Case(
        _broken(_bad_checksum_line), 3, E("CT613", None, says="g/checksums.sha256:1")
    ),
    "truncated_yaml": Case(
        _broken(_append(COUNT, "garbage: [\n")), 3, E("CT610", None, says="not valid YAML")
    ),
    "yaml_not_a_mapping": Case(
        _broken(_write("00_x_1.yaml", "[1, 2]\n")), 3, E("CT610", None, says="found list")
    ),
    "yaml_alias_bomb": Case(
        _broken(_write("00_x_1.yaml", "a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n")),
        3,
        E("CT614", None, says="anchors or aliases"),
    ),
    "yaml_python_tag": Case(
        _broken(_write("00_x_1.yaml", "a: !!python/object/apply:os.system ['echo pwned']\n")),
        3,
        E("CT610", None, says="not valid YAML"),
    ),
    "yaml_binary_tag": Case(
        _broken(_append(COUNT, "extra: !!binary aGVsbG8=\n")),
        3,
        E("CT610", None, says="the tag '!!binary'"),
    ),
    "yaml_set_tag": Case(
        _broken(_append(COUNT, "extra: !!set {a: null}\n")),
        3,
        E("CT610", None, says="'!!set'"),
    ),
    "yaml_timestamp_tag": Case(
        _broken(_append(COUNT, "extra: !!timestamp 2024-01-01\n")),
        3,
        E("CT610", None, says="'!!timestamp'"),
    ),
    "yaml_local_tag": Case(
        _broken(_write("00_x_1.yaml", "a: !thing 1\n")), 3, E("CT610", None, says="'!thing'")
    ),
    "update_read_only_golden_dir": Case(
        _broken(lambda g: os.chmod(g, 0o555)),
        3,
        E("CT640", None, says="cannot write the golden directory 'g': Permission denied"),
        args=(
            "rb_good",
            "--out",
            "out",
            "--image",
            "registry.example.com/team/app:3.0",
            "--golden",
            "g",
            "--update-goldens",
        ),
        unprivileged=True,
    ),
    "not_utf8": Case(
        _broken(_write("00_x_1.yaml", b"\xff\xfe\x00a")), 3, E("CT610", None, says="not UTF-8")
    ),
    # Well-formed but wrong: reported as drift (exit 1), never accepted as equal.
    "tampered_checksum": Case(_broken(_tamper_checksum), 1, E("", None)),
    "checksums_missing": Case(_broken(lambda g: (g / "checksums.sha256").unlink()), 1, E("", None)),
    "foreign_rendering": Case(_broken(_write("00_x_1.yaml", "foo: bar\n")), 1, E("", None)),
    "unreadable_rendering": Case(
        _broken(lambda g: os.chmod(g / COUNT, 0)),
        3,
        E("CT610", None, says=COUNT),
        unprivileged=True,
    ),
    "golden_is_a_file": Case(_golden_is_file, 3, E("CT602", None, says="is not a directory")),
    "golden_missing": Case(None, 3, E("CT601", None, says="does not exist")),
    "update_under_ci": Case(
        _broken(lambda g: None),
        2,
        E("CT603", None, says="under CI"),
        args=tuple(compile_args(["rb_good"], "out", "--golden", "g", "--update-goldens")),
        env=(("CI", "true"),),
    ),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, good_bundle: Path) -> dict[str, Outcome]:
    """Every corruption checked once, concurrently."""
    scenarios = {
        name: Scenario(
            args=case.args,
            setup=case.setup,
            env=dict(case.env),
            watch=("g",),
            unprivileged=case.unprivileged,
        )
        for name, case in CORRUPTIONS.items()
        if not (case.unprivileged and _cannot_drop_privileges())
    }
    return run_scenarios(scenarios, tmp_path_factory.mktemp("goldens"), good_bundle)


def _cannot_drop_privileges() -> bool:
    return os.geteuid() == 0 and not unprivileged_prefix()


def _params() -> list[object]:
    params = []
    for name, case in sorted(CORRUPTIONS.items()):
        marks = []
        if case.bug:
            marks.append(pytest.mark.xfail(strict=True, reason=case.bug))
        if case.unprivileged and _cannot_drop_privileges():
            marks.append(pytest.mark.skip(reason="root without setpriv: chmod 000 blocks nothing"))
        params.append(pytest.param(name, marks=marks))
    return params


@pytest.mark.parametrize("name", _params())
def test_corrupt_golden_dir(name: str, outcomes: dict[str, Outcome]) -> None:
    case, outcome = CORRUPTIONS[name], outcomes[name]
    stderr = outcome.done.stderr
    assert outcome.done.returncode == case.exit, stderr + outcome.done.stdout
    assert_no_traceback(stderr)
    assert_errors(stderr, [case.error] if case.error.code else [])
    if case.exit == 1:
        assert "goldens: g differ from the bundle" in outcome.done.stdout
    assert outcome.after == outcome.before, "the golden directory was modified"
    assert outcome.new_entries == []
    check_bundle(outcome.work / "out")


def test_missing_golden_hint_gives_the_exact_update_command(
    outcomes: dict[str, Outcome],
) -> None:
    stderr = outcomes["golden_missing"].done.stderr
    assert (
        "hint: create it with: compile-tasks rb_good --out out --image "
        "registry.example.com/team/app:2.0 --golden g --update-goldens"
    ) in stderr


def test_report_into_a_missing_folder(tmp_path: Path, good_bundle: Path) -> None:
    """The report's folder is created (it once failed with CT890 FileNotFoundError)."""
    scenario = Scenario(
        args=[*CHECK, "--report", "nodir/r.md"], setup=_broken(lambda g: None), watch=("g",)
    )
    outcome = run_scenario(scenario, tmp_path / "work", good_bundle)
    assert outcome.done.returncode == 0, outcome.done.stderr
    assert outcome.done.stderr == ""
    assert (outcome.work / "nodir" / "r.md").is_file()
    assert "goldens: report written to nodir/r.md" in outcome.done.stdout


_YAML_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["python-task", "{{.input}}", "<script>", "task", "id", "name"])
)
_YAML_DOCS = st.recursive(
    _YAML_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["template", "id", "name", "interface", "x", "facts"])
            | st.text(max_size=6),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def _golden_edits(draw: st.DrawFn) -> list[tuple[str, str]]:
    """(file name, new text) edits: random documents, or a real rendering with a cut."""
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from([COUNT, "00_new_1.yaml", "00_lp_3.yaml", "00_wf_2.yaml"]))
        if draw(st.booleans()):
            text = yaml.safe_dump(draw(_YAML_DOCS))
        else:
            text = GOOD_RENDERING
            at = draw(st.integers(0, len(text)))
            text = (
                text[:at]
                + draw(st.sampled_from(["", "x: 1\n", "  - a\n", ":", "'"]))
                + text[at + draw(st.integers(0, 40)) :]
            )
        edits.append((name, text))
    return edits


GOOD_RENDERING = ""


@pytest.fixture(scope="module")
def golden_source(good_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder holding ``out/`` (the good bundle) and ``g/`` (its goldens)."""
    global GOOD_RENDERING
    work = tmp_path_factory.mktemp("golden-fuzz")
    shutil.copytree(good_bundle, work / "out")
    make_golden(work)
    GOOD_RENDERING = (work / "g" / COUNT).read_text(encoding="utf-8")
    return work


@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edits=_golden_edits())
def test_random_golden_content_is_compared_or_refused(
    edits: list[tuple[str, str]], golden_source: Path
) -> None:
    """The check and every report format handle any YAML in a golden file, or refuse it."""
    with tempfile.TemporaryDirectory() as folder:
        golden = Path(folder) / "g"
        shutil.copytree(golden_source / "g", golden)
        for name, text in edits:
            (golden / name).write_text(text, encoding="utf-8")
        try:
            report = golden_check(golden_source / "out", golden)
        except GoldenError as exc:
            assert exc.code.startswith("CT6"), exc.render()
            assert "\n" not in exc.render(), exc.render()
            return
        for fmt in ReportFormat:
            assert render_report(report, fmt)
        summary_lines(report, updated=False)
