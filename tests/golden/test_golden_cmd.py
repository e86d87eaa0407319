"""The CLI golden step: options, exit codes, messages (CI refusal, missing directory)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from golden_helpers import DEFAULTS, LOAD, STR, BundleEntry, task_spec

from compiler.cli.golden_cmd import (
    GoldenOptions,
    ci_is_set,
    golden_options,
    run_golden_step,
    update_command,
)

MakeBundle = Callable[[str, list[BundleEntry]], Path]
SAME = [(LOAD, task_spec(), DEFAULTS)]
COMPATIBLE = [(LOAD, task_spec(image="x:2"), DEFAULTS)]
BREAKING = [(LOAD, task_spec(inputs={"order_ids": {"collection_type": STR}}), DEFAULTS)]


def run(
    bundle: Path,
    environ: dict[str, str] | None = None,
    argv: list[str] | None = None,
    **options: Any,
) -> tuple[int, list[str], list[str]]:
    out: list[str] = []
    err: list[str] = []
    code = run_golden_step(
        bundle,
        GoldenOptions(**options),
        out.append,
        err=err.append,
        environ=environ or {},
        argv=argv or [],
    )
    return code, out, err


@pytest.fixture
def golden(make_bundle: MakeBundle, tmp_path: Path) -> Path:
    path = tmp_path / "golden"
    assert run(make_bundle("first", SAME), golden=path, update_goldens=True)[0] == 0
    return path


def test_no_golden_option_does_nothing(make_bundle: MakeBundle) -> None:
    assert run(make_bundle("b", SAME)) == (0, [], [])


def test_check_equal(make_bundle: MakeBundle, golden: Path) -> None:
    assert run(make_bundle("b", SAME), golden=golden, check=True) == (
        0,
        [f"goldens: 1 entities match {golden}"],
        [],
    )


def test_check_drift_exits_1_with_summary(make_bundle: MakeBundle, golden: Path) -> None:
    code, out, err = run(make_bundle("b", COMPATIBLE), golden=golden, check=True)
    assert (code, err) == (1, [])
    assert out == [
        f"goldens: {golden} differ from the bundle: 1 changed, 0 added, 0 removed, 0 renamed, "
        "0 unchanged",
        "  changed task shop.orders.load",
        "    - image: container.image: registry.example.com/team/app:2.0 -> x:2",
        "goldens: to accept these changes, run: compile-tasks --update-goldens",
    ]


def test_compare_without_check_exits_0(make_bundle: MakeBundle, golden: Path) -> None:
    assert run(make_bundle("b", COMPATIBLE), golden=golden)[0] == 0


def test_diff_prints_unified_diff(make_bundle: MakeBundle, golden: Path) -> None:
    code, out, _ = run(make_bundle("b", COMPATIBLE), golden=golden, check=True, diff=True)
    assert code == 1
    assert out[-1].startswith(f"--- golden/{LOAD}.yaml\n+++ bundle/{LOAD}.yaml\n@@")
    assert "\n-    image: registry.example.com/team/app:2.0\n+    image: x:2\n" in out[-1]


def test_fail_on_breaking(make_bundle: MakeBundle, golden: Path) -> None:
    assert run(make_bundle("b", COMPATIBLE), golden=golden, fail_on_breaking=True)[0] == 0
    code, out, _ = run(make_bundle("c", BREAKING), golden=golden, fail_on_breaking=True)
    assert code == 1
    assert "goldens: 1 entities have BREAKING changes" in out
    assert "    ! interface: input 'limit' removed" in out


def test_fail_on_breaking_while_updating(make_bundle: MakeBundle, golden: Path) -> None:
    bundle = make_bundle("b", BREAKING)
    code, out, _ = run(bundle, golden=golden, update_goldens=True, fail_on_breaking=True)
    assert code == 1
    assert out[0].startswith(f"goldens: {golden} updated from the bundle")
    assert run(bundle, golden=golden, check=True)[0] == 0  # the update was written


def test_update_refused_under_ci(make_bundle: MakeBundle, golden: Path) -> None:
    code, out, err = run(
        make_bundle("b", COMPATIBLE), {"CI": "true"}, golden=golden, update_goldens=True
    )
    assert (code, out) == (2, [])
    assert err == [
        "error CT603: refusing to update goldens under CI (the CI environment variable is set). "
        "hint: run the update locally and commit the golden files; CI only checks them"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("TRUE", True), ("yes", True), ("false", False), ("0", False)],
)
def test_ci_values(value: str, expected: bool) -> None:
    assert ci_is_set({"CI": value}) is expected
    assert ci_is_set({}) is False


def test_missing_golden_dir_names_the_exact_command(
    make_bundle: MakeBundle, tmp_path: Path
) -> None:
    argv = ["shop", "--out", "bundle", "--golden", "golden dir", "--check", "--report", "r.md"]
    code, out, err = run(make_bundle("b", SAME), argv=argv, golden=tmp_path / "x", check=True)
    assert (code, out) == (3, [])
    assert err == [
        f"error CT601: golden directory '{tmp_path / 'x'}' does not exist. hint: create it with: "
        "compile-tasks shop --out bundle --golden 'golden dir' --update-goldens"
    ]


def test_update_command_strips_check_options() -> None:
    argv = ["p", "--report=r.html", "--diff", "--fail-on-breaking", "--golden", "g"]
    assert update_command(argv) == "compile-tasks p --golden g --update-goldens"


def test_corrupt_golden_dir_exits_3(make_bundle: MakeBundle, golden: Path) -> None:
    (golden / "stray.txt").write_text("x")
    code, _, err = run(make_bundle("b", SAME), golden=golden, check=True)
    assert code == 3
    assert err[0].startswith("error CT611: ")


def test_unreadable_golden_file_exits_3(
    make_bundle: MakeBundle, golden: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [rendering] = sorted(golden.glob("*.yaml"))
    real = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self == rendering:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    code, out, err = run(make_bundle("b", SAME), golden=golden, check=True)
    assert (code, out) == (3, [])
    assert err == [
        f"error CT610: '{rendering}' cannot be read (Permission denied). hint: make the file "
        "readable by the user running compile-tasks (check its permissions and owner), or "
        "regenerate the goldens"
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"check": True}, "--check needs --golden DIR"),
        ({"report": Path("r.md")}, "--report needs --golden DIR"),
        ({"golden": Path("g"), "check": True, "update_goldens": True}, "--check and"),
    ],
)
def test_usage_errors(make_bundle: MakeBundle, options: dict[str, Any], message: str) -> None:
    code, _, err = run(make_bundle("b", SAME), **options)
    assert code == 2
    assert err[0].startswith(f"error CT631: {message}")
    assert err[0].endswith(". hint: see 'compile-tasks --help' for the golden options")


def test_unknown_report_suffix_is_usage(make_bundle: MakeBundle, golden: Path) -> None:
    code, _, err = run(make_bundle("b", SAME), golden=golden, report=Path("r.txt"))
    assert code == 2
    assert err[0].startswith("error CT630: ")


def test_report_written(make_bundle: MakeBundle, golden: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(make_bundle("b", BREAKING), golden=golden, check=True, report=target)
    assert code == 1
    assert out[-1] == f"goldens: report written to {target}"
    assert json.loads(target.read_text())["summary"]["breaking"] == 1


def test_report_into_a_missing_folder(
    make_bundle: MakeBundle, golden: Path, tmp_path: Path
) -> None:
    target = tmp_path / "nodir" / "deeper" / "r.md"
    code, out, err = run(make_bundle("b", SAME), golden=golden, check=True, report=target)
    assert (code, err) == (0, [])
    assert out[-1] == f"goldens: report written to {target}"
    assert target.read_text(encoding="utf-8") == (
        "## compile-tasks: golden check\n\n"
        f"No changes: all 1 entities match the goldens in `{golden}`.\n"
    )


def test_click_options_parse_to_parameter_names() -> None:
    seen: dict[str, Any] = {}

    @click.command()
    @golden_options
    def main(**params: Any) -> None:
        seen.update(params)

    result = CliRunner().invoke(
        main,
        ["--golden", "g", "--check", "--report", "r.md", "--diff", "--fail-on-breaking"],
    )
    assert result.exit_code == 0, result.output
    assert seen == {
        "golden": Path("g"),
        "check": True,
        "update_goldens": False,
        "report": Path("r.md"),
        "diff": True,
        "fail_on_breaking": True,
        "against": None,
        "annotations": None,
    }
