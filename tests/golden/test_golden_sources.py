"""Reading the sides of ``compile-tasks diff``: archives, ``.pb`` folders, bundles, goldens."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from flyteidl.admin import launch_plan_pb2, workflow_pb2
from golden_helpers import DEFAULTS, LOAD, task_spec, write_bundle
from google.protobuf import json_format

from compiler.errors import GoldenError
from compiler.golden import compare, read_bundle, read_side, write_golden_dir

FLOW = json_format.ParseDict(
    {"template": {"id": {"resource_type": "WORKFLOW", "name": "shop.flow"}}},
    workflow_pb2.WorkflowSpec(),
)
PLAN = json_format.ParseDict(
    {
        "id": {"resource_type": "LAUNCH_PLAN", "name": "shop.flow"},
        "spec": {
            "workflow_id": {"resource_type": "WORKFLOW", "name": "shop.flow"},
            "default_inputs": {
                "parameters": {
                    "limit": {"default": {"scalar": {"primitive": {"integer": "5"}}}},
                    "day": {"required": True},
                }
            },
        },
    },
    launch_plan_pb2.LaunchPlan(),
)


def _archive(path: Path, members: dict[str, bytes], *, link: bool = False) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo("9_evil_1.pb")
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            archive.addfile(info)
    return path


def test_archive_members_decode_by_suffix(tmp_path: Path) -> None:
    members = {
        "0_shop.orders.load_1.pb": task_spec().SerializeToString(),
        "1_shop.flow_2.pb": FLOW.SerializeToString(),
        "2_shop.flow_3.pb": PLAN.SerializeToString(),
        "fast123.tar.gz": b"source archive",
        "notes/readme.txt": b"x",
    }
    side = read_side(_archive(tmp_path / "a.tgz", members, link=True))
    kinds = {e.kind: e.name for e in side.entities.values()}
    assert kinds == {
        "task": "shop.orders.load",
        "workflow": "shop.flow",
        "launch plan": "shop.flow",
    }
    assert side.from_pb
    flow = side.entities["1_shop.flow_2"]
    assert flow.rendering.facts == {"defaults": {"limit": 5}}  # from the default launch plan


def test_corrupt_pb_and_empty_archive(tmp_path: Path) -> None:
    with pytest.raises(GoldenError) as info:
        read_side(_archive(tmp_path / "bad.tgz", {"0_x_1.pb": b"\xff\xff\xff"}))
    assert info.value.code == "CT607"
    with pytest.raises(GoldenError) as info:
        read_side(_archive(tmp_path / "none.tgz", {"readme": b"x"}))
    assert info.value.code == "CT606"


def test_folder_of_pb_files_bundle_and_goldens(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", [(LOAD, task_spec(), DEFAULTS)])
    pbs = tmp_path / "pbs"
    pbs.mkdir()
    (pbs / f"{LOAD}.pb").write_bytes((bundle / f"{LOAD}.pb").read_bytes())
    write_golden_dir(read_bundle(bundle), tmp_path / "g")
    as_bundle, as_pbs, as_golden = (read_side(p) for p in (bundle, pbs, tmp_path / "g"))
    assert not as_bundle.from_pb and as_pbs.from_pb and not as_golden.from_pb
    assert compare(as_golden, as_bundle, "g").entities == ()
    assert compare(as_pbs, as_bundle, "pbs").entities == ()  # facts are not compared then
