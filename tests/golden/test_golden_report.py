"""Reports: Markdown (short, capped), HTML (self-contained, escaped), JSON (format_version)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from golden_helpers import LOAD
from golden_reports import sample_report

from compiler.errors import GoldenError
from compiler.golden import (
    Category,
    Change,
    EntityDiff,
    EntityStatus,
    GoldenReport,
    Impact,
    ReportFormat,
    render_report,
    report_format_for,
    write_report,
)

MARKDOWN = """\
## compile-tasks: golden check

**BREAKING: 2 of 3 changed entities break callers.**

1 changed · 1 added · 1 removed · 0 renamed · 0 unchanged (goldens: `{golden}`)

| entity | kind | status | impact | categories |
| --- | --- | --- | --- | --- |
| `shop.orders.load` | task | changed | **BREAKING** | interface, image |
| `shop.orders.purge` | task | removed | **BREAKING** | entity |
| `shop.stock.count` | task | added | compatible | entity |

<details><summary>What changed</summary>

**`shop.orders.load`** (task changed)
- **BREAKING** interface: input 'limit' removed
- image: container.image: registry.example.com/team/app:2.0 -> registry.example.com/team/app:2.1

**`shop.orders.purge`** (task removed)
- **BREAKING** entity: task removed

**`shop.stock.count`** (task added)
- entity: task added

</details>

To accept the breaking changes deliberately, add to `compile-tasks.yaml`:

```yaml
accept_breaking:
  - {{entity: shop.orders.load, rule: input-removed}}
  - {{entity: shop.orders.purge, rule: removed}}
```
"""


def test_markdown_exact(tmp_path: Path) -> None:
    report = sample_report(tmp_path)
    text = render_report(report, ReportFormat.MARKDOWN)
    assert text == MARKDOWN.format(golden=tmp_path / "golden")


def test_markdown_without_changes() -> None:
    report = GoldenReport("golden", (), ("a_1", "b_1"))
    assert render_report(report, ReportFormat.MARKDOWN) == (
        "## compile-tasks: golden check\n\nNo changes: all 2 entities match the goldens in "
        "`golden`.\n"
    )


def _many(count: int, changes: int) -> GoldenReport:
    entity_changes = tuple(
        Change(Category.OTHER, Impact.COMPATIBLE, f"custom.k{i}: 1 -> 2") for i in range(changes)
    )
    entities = tuple(
        EntityDiff(f"00_t{i:03d}_1", f"t{i:03d}", "task", EntityStatus.CHANGED, entity_changes)
        for i in range(count)
    )
    return GoldenReport("golden", entities)


def test_markdown_is_capped_for_pr_comments() -> None:
    text = render_report(_many(400, 50), ReportFormat.MARKDOWN)
    assert "| … and 375 more | | | | |" in text
    assert "- … and 42 more changes" in text
    assert text.count("\n| `t") == 25
    assert len(text) < 20_000  # GitHub allows 65,536 characters per comment


def test_json_report(tmp_path: Path) -> None:
    report = sample_report(tmp_path)
    data = json.loads(render_report(report, ReportFormat.JSON))
    assert list(data) == [
        "format_version",
        "golden_dir",
        "old",
        "new",
        "summary",
        "groups",
        "entities",
        "accept_command",
    ]
    assert data["format_version"] == 2
    assert data["summary"] == {
        "added": 1,
        "removed": 1,
        "renamed": 0,
        "changed": 1,
        "unchanged": 0,
        "breaking": 2,
        "accepted": 0,
    }
    load = data["entities"][0]
    assert {k: v for k, v in load.items() if k not in ("fields", "diff")} == {
        "name": "shop.orders.load",
        "kind": "task",
        "file": f"{LOAD}.yaml",
        "source": "shop/orders.py:10",
        "status": "changed",
        "renamed_from": None,
        "breaking": True,
        "accepted": False,
        "impact": "breaking",
        "affects": [],
        "changes": [
            {
                "category": "interface",
                "impact": "breaking",
                "rule": "input-removed",
                "behavioural": False,
                "accepted": False,
                "summary": "input 'limit' removed",
                "paths": ["template.interface.inputs.variables.limit"],
            },
            {
                "category": "image",
                "impact": "compatible",
                "rule": None,
                "behavioural": False,
                "accepted": False,
                "summary": "container.image: registry.example.com/team/app:2.0"
                " -> registry.example.com/team/app:2.1",
                "paths": ["template.container.image"],
            },
        ],
    }
    assert load["fields"][0] == {"path": "compile_tasks.defaults.limit", "old": "100", "new": None}
    assert load["diff"].startswith(f"--- golden/{LOAD}.yaml\n")
    assert [e["status"] for e in data["entities"]] == ["changed", "removed", "added"]


def test_html_report_is_self_contained_and_escaped(tmp_path: Path) -> None:
    report = sample_report(tmp_path)
    text = render_report(report, ReportFormat.HTML)
    assert text.startswith("<!DOCTYPE html>")
    for needle in ("http://", "https://", "<script", "<link", "src="):
        assert needle not in text
    assert f'<section class="entity breaking" id="e-{LOAD}" data-impact="breaking">' in text
    assert "input &#39;limit&#39; removed" in text
    assert (  # the changed words are highlighted
        '<tr class="changed"><td class="no">27</td>'
        '<td class="old">    image: registry.example.com/team/app:2.<del>0</del></td>'
        '<td class="no">23</td>'
        '<td class="new">    image: registry.example.com/team/app:2.<ins>1</ins></td></tr>'
    ) in text


def test_html_escapes_user_text() -> None:
    change = Change(Category.OTHER, Impact.COMPATIBLE, "custom.x: <b>1</b> -> <script>")
    entity = EntityDiff("00_t_1", "<t>", "task", EntityStatus.CHANGED, (change,))
    text = render_report(GoldenReport("golden", (entity,)), ReportFormat.HTML)
    assert "<script>" not in text and "&lt;script&gt;" in text and "<code>&lt;t&gt;</code>" in text


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("r.md", "md"),
        ("r.MARKDOWN", "md"),
        ("r.html", "html"),
        ("r.htm", "html"),
        ("r.json", "json"),
    ],
)
def test_report_format_by_suffix(name: str, fmt: str) -> None:
    assert report_format_for(Path(name)) is ReportFormat(fmt)


def test_unknown_report_suffix() -> None:
    with pytest.raises(GoldenError) as info:
        report_format_for(Path("report.txt"))
    assert (info.value.code, info.value.hint) == (
        "CT630",
        "name the report file *.md, *.html or *.json",
    )


def test_write_report_is_atomic_and_readable(tmp_path: Path) -> None:
    report = sample_report(tmp_path)
    target = tmp_path / "out.json"
    assert write_report(report, target) is ReportFormat.JSON
    assert json.loads(target.read_text())["format_version"] == 2
    assert oct(os.stat(target).st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golden", "new", "old", "out.json"]


@pytest.mark.parametrize("relative", ["nodir/r.md", "a/b/c/r.html"])
def test_write_report_creates_missing_parent_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: str
) -> None:
    report = sample_report(tmp_path / "work")
    monkeypatch.chdir(tmp_path)
    target = Path(relative)
    fmt = write_report(report, target)
    assert target.read_text(encoding="utf-8") == render_report(report, fmt)
    assert oct(os.stat(target).st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp file left


def test_write_report_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = sample_report(tmp_path / "work")
    monkeypatch.chdir(tmp_path)
    assert write_report(report, Path("r.json")) is ReportFormat.JSON
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "work"]


def test_every_format_renders_with_no_changes_and_with_a_rename(tmp_path: Path) -> None:
    rename = EntityDiff(
        "00_b_1",
        "b",
        "task",
        EntityStatus.RENAMED,
        (Change(Category.ENTITY, Impact.BREAKING, "task renamed from 'a' to 'b'"),),
        renamed_from="a",
        old_text="x: 1\n",
        new_text="x: 2\n",
    )
    for report in (GoldenReport("g"), GoldenReport("g", (rename,))):
        for fmt in ReportFormat:
            assert render_report(report, fmt)


def test_markdown_table_cells_are_escaped() -> None:
    change = Change(Category.ENTITY, Impact.COMPATIBLE, "task added")
    entity = EntityDiff("00_a_1", "a|b", "task", EntityStatus.ADDED, (change,))
    text = render_report(GoldenReport("golden", (entity,)), ReportFormat.MARKDOWN)
    assert "| `a\\|b` | task | added | compatible | entity |" in text


def test_report_into_a_file_as_folder_is_ct632(tmp_path) -> None:
    from compiler.errors import GoldenError
    from compiler.golden.model import GoldenReport
    from compiler.golden.report import write_report

    (tmp_path / "afile").write_text("x")
    with pytest.raises(GoldenError) as info:
        write_report(GoldenReport(golden_dir=str(tmp_path)), tmp_path / "afile" / "r.md")
    assert info.value.code == "CT632"


def test_large_html_report_lists_the_rest_compactly() -> None:
    report = _many(320, 2)
    text = render_report(report, ReportFormat.HTML)
    assert text.count('<section class="entity') == 300
    assert text.count('<li id="e-00_t') == 20
    assert '<a href="#e-00_t319_1">' in text  # every index row still links to its entity
    assert 'id="e-00_t319_1"' in text
