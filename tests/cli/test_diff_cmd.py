"""``compile-tasks diff OLD NEW``: bundle folders, ``.tgz`` archives (ours and flytekit's layout),
``.pb`` folders and golden folders, with the summary, reports and exit codes of ``--check``."""

from __future__ import annotations

import io
import json
import sys
import tarfile
from pathlib import Path

import pytest
from cli_helpers import REPO
from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from google.protobuf import json_format

sys.path.insert(0, str(REPO / "tests" / "golden"))
from review_edits import IMAGES, edited_examples

GOLDEN = REPO / "golden"
FIXTURES = REPO / "tests" / "oracle" / "fixtures" / "probe_launch_plans"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The examples compiled as they are (``base``) and after the review edits (``pr``)."""
    import subprocess

    root = tmp_path_factory.mktemp("diff")
    edited_examples(REPO / "examples", root / "pr")
    for name, cwd in (("base", REPO), ("pr", root / "pr")):
        out = root / name / "bundle"
        result = subprocess.run(
            ["compile-tasks", "examples/", *IMAGES, "--out", str(out), "-q", "--render"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    return root / "base" / "bundle", root / "pr" / "bundle"


def test_equal_bundles_exit_0(cli, bundles: tuple[Path, Path]) -> None:
    base, _ = bundles
    result = cli("diff", str(base), str(base))
    assert (result.returncode, result.stderr) == (0, "")
    entities = len(list(base.glob("*.pb")))
    assert result.stdout == f"goldens: {entities} entities match {base}\n"


def test_archive_against_folder_is_equal(cli, bundles: tuple[Path, Path]) -> None:
    base, _ = bundles
    result = cli("diff", str(base / "bundle.tgz"), str(base))
    assert result.returncode == 0, result.stdout + result.stderr


def test_golden_folder_against_bundle_matches_the_check(cli, bundles: tuple[Path, Path]) -> None:
    _, pr = bundles
    result = cli("diff", str(GOLDEN), str(pr))
    check = cli("examples/", *IMAGES, "--golden", str(GOLDEN), cwd=pr.parent)
    assert result.returncode == 1  # differs: like --check
    body = result.stdout.splitlines()[1:]
    expected = [
        line for line in check.stdout.splitlines()[2:] if "accept these changes" not in line
    ]
    assert body == expected  # the same summary, line for line


def test_fail_on_breaking_and_reports(cli, bundles: tuple[Path, Path], tmp_path: Path) -> None:
    base, pr = bundles
    report = tmp_path / "r.json"
    result = cli(
        "diff", str(base / "bundle.tgz"), str(pr), "--fail-on-breaking", "--report", str(report)
    )
    assert result.returncode == 1
    data = json.loads(report.read_text())
    assert data["format_version"] == 2
    assert data["summary"]["breaking"] > 0
    html = tmp_path / "r.html"
    assert cli("diff", str(base), str(pr), "--report", str(html)).returncode == 1
    assert '<svg class="dag"' in html.read_text()


def test_only_compatible_changes_pass_fail_on_breaking(
    cli, bundles: tuple[Path, Path], tmp_path: Path
) -> None:
    base, _ = bundles
    changed = tmp_path / "changed"
    import shutil

    shutil.copytree(base, changed)
    target = next((changed / "yaml").glob("*price_order_2.yaml"))
    target.write_text(target.read_text().replace("largest-first", "largest-last"))
    assert cli("diff", str(base), str(changed), "--fail-on-breaking").returncode == 0
    assert cli("diff", str(base), str(changed)).returncode == 1


def test_json_output_is_one_document(cli, bundles: tuple[Path, Path]) -> None:
    base, pr = bundles
    result = cli("diff", str(base), str(pr), "--json")
    data = json.loads(result.stdout)
    assert data["format_version"] == 2
    assert [e["breaking"] for e in data["entities"]][:1] == [True]


@pytest.mark.parametrize(
    ("side", "code", "message"),
    [
        ("missing", "CT606", "it does not exist"),
        ("notes.txt", "CT606", "not a .tgz or .tar archive"),
        ("empty", "CT606", "holds no renderings, goldens or .pb files"),
        ("broken.tgz", "CT607", "is not a readable tar archive"),
    ],
)
def test_unreadable_sides_exit_3(cli, tmp_path: Path, side: str, code: str, message: str) -> None:
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken.tgz").write_bytes(b"\x1f\x8b not gzip")
    result = cli("diff", str(tmp_path / side), str(tmp_path / "empty"))
    assert result.returncode == 3
    assert f"error {code}: " in result.stderr and message in result.stderr


def test_unknown_report_suffix_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("diff", str(GOLDEN), str(GOLDEN), "--report", str(tmp_path / "r.txt"))
    assert result.returncode == 2 and "CT630" in result.stderr


def _flytekit_archive(path: Path, order: list[Path]) -> Path:
    """A ``pyflyte package`` style archive (``{index}_{name}_{kind}.pb``, flat) of fixtures."""
    kinds = {
        "workflow": (2, workflow_pb2.WorkflowSpec),
        "launch_plan": (3, launch_plan_pb2.LaunchPlan),
    }
    with tarfile.open(path, "w:gz") as archive:
        for index, fixture in enumerate(order):
            number, message_type = kinds.get(fixture.parent.name, (1, task_pb2.TaskSpec))
            message = json_format.ParseDict(json.loads(fixture.read_text()), message_type())
            data = message.SerializeToString(deterministic=True)
            name = fixture.name.removesuffix(".json")
            info = tarfile.TarInfo(f"{index}_{name}_{number}.pb")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_flytekit_archives_match_by_name_not_index(cli, tmp_path: Path) -> None:
    fixtures = sorted(FIXTURES.rglob("*.json"))
    first = _flytekit_archive(tmp_path / "a.tgz", fixtures)
    second = _flytekit_archive(tmp_path / "b.tgz", list(reversed(fixtures)))
    result = cli("diff", str(first), str(second))
    assert result.returncode == 0, result.stdout
    assert result.stdout == f"goldens: {len(fixtures)} entities match {first}\n"
