"""A report with a changed workflow in a real headless chromium: the graph is drawn as SVG, its
added, removed and changed nodes are marked, and breaking entries come first.

Skipped when no chromium is installed (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flyteidl.admin import workflow_pb2
from golden_helpers import write_bundle
from golden_reports import NEW, OLD
from google.protobuf import json_format
from headless_chromium import BROWSER, chromium
from png_pixels import pixel_counts

from compiler.golden import check_bundle, read_bundle, write_golden_dir, write_report

pytestmark = pytest.mark.browser

#: Fill of a changed node (templates/report.html.j2: svg.dag .node.changed rect).
CHANGED_AMBER = (0xFF, 0xF8, 0xC5)
BREAKING_RED = (0xCF, 0x22, 0x2E)
FLOW = "01_shop.flows.nightly_2"


def _workflow(nodes: list[tuple[str, str, list[str], int]]) -> workflow_pb2.WorkflowSpec:
    """A workflow of ``(id, task, upstream ids, retries)`` nodes."""
    data: dict[str, Any] = {
        "template": {
            "id": {"resource_type": "WORKFLOW", "name": "shop.flows.nightly"},
            "interface": {"inputs": {}, "outputs": {}},
            "nodes": [
                {
                    "id": ident,
                    "metadata": {"name": task.rsplit(".", 1)[-1], "retries": {"retries": retries}},
                    "upstream_node_ids": ups,
                    "task_node": {"reference_id": {"resource_type": "TASK", "name": task}},
                }
                for ident, task, ups, retries in nodes
            ],
        }
    }
    return json_format.ParseDict(data, workflow_pb2.WorkflowSpec())


OLD_FLOW = _workflow(
    [
        ("n0", "shop.orders.load", [], 0),
        ("n1", "shop.orders.price", ["n0"], 0),
        ("n2", "shop.orders.purge", ["n1"], 0),
    ]
)
NEW_FLOW = _workflow(
    [
        ("n0", "shop.orders.load", [], 0),
        ("n1", "shop.orders.price", ["n0"], 3),
        ("n3", "shop.stock.count", ["n0"], 0),
    ]
)


@pytest.fixture(scope="module")
def html_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if BROWSER is None:
        pytest.skip("no chromium installed (apt-get install chromium)")
    root = tmp_path_factory.mktemp("review-browser")
    old = write_bundle(root / "old", [*OLD, (FLOW, OLD_FLOW, {"source": "shop/flows.py:3"})])
    new = write_bundle(root / "new", [*NEW, (FLOW, NEW_FLOW, {"source": "shop/flows.py:3"})])
    write_golden_dir(read_bundle(old), root / "golden")
    target = root / "report.html"
    write_report(check_bundle(new, root / "golden"), target)
    return target


def test_dom_has_the_marked_graph_after_the_breaking_entries(
    html_report: Path, tmp_path: Path
) -> None:
    result = chromium(tmp_path / "profile", "--dump-dom", html_report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert '<svg class="dag"' in dom
    assert '<g class="node added" data-node="n3" data-status="added">' in dom
    assert '<g class="node removed" data-node="n2" data-status="removed">' in dom
    assert '<g class="node changed" data-node="n1" data-status="changed">' in dom
    assert '<g class="node same" data-node="n0" data-status="same">' in dom
    assert '<path class="edge added"' in dom and '<path class="edge removed"' in dom
    impacts = [part.split('"', 1)[0] for part in dom.split('data-impact="')[1:]]
    assert impacts == ["breaking", "breaking", "compatible", "compatible"]
    assert dom.index('id="e-00_shop.orders.load_1"') < dom.index(f'id="e-{FLOW}"')


def test_screenshot_draws_the_graph(html_report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    result = chromium(
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1100,3200",
        f"--screenshot={shot}",
        html_report.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    counts = pixel_counts(shot.read_bytes())
    assert counts[BREAKING_RED] > 500  # the breaking entries are on screen
    assert counts[CHANGED_AMBER] > 3000  # a 190 x 44 node box filled amber
