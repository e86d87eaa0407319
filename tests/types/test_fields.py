"""Files and datasets in pydantic models; dataframes and arrays as dataclass fields."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import msgpack
import pytest

from compiler.errors import TypeMappingError
from compiler.types import FlyteDirectory, FlyteFile, StructuredDataset, TypeEngine, kwtypes

pydantic = pytest.importorskip("pydantic")
pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")


class Report(pydantic.BaseModel):
    title: str
    body: FlyteFile
    assets: FlyteDirectory
    attachment: FlyteFile | None = None
    pages: list[FlyteFile] = []


class Snapshot(pydantic.BaseModel):
    name: str
    data: StructuredDataset


@dataclass
class Scores:
    run: str
    frame: Annotated[pd.DataFrame, kwtypes(x=int)]
    weights: np.ndarray
    parts: list[np.ndarray] = field(default_factory=list)


def _plain(literal) -> dict:
    return msgpack.unpackb(literal.scalar.binary.value)


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    body = tmp_path / "body.md"
    body.write_text("# hi")
    assets = tmp_path / "assets"
    assets.mkdir()
    return str(body), str(assets)


def test_model_file_fields_are_written_as_flytekit_does(files) -> None:
    body, assets = files
    report = Report(
        title="t",
        body=FlyteFile(body),
        assets=FlyteDirectory(assets),
        pages=[FlyteFile(body, metadata={"lang": "en"})],
    )
    engine = TypeEngine()
    lit = engine.to_literal(report, Report)
    assert _plain(lit) == {
        "title": "t",
        "body": {"path": body},
        "assets": {"path": assets},
        "attachment": None,
        "pages": [{"path": body, "metadata": {"lang": "en"}}],
    }
    back = engine.to_python(lit, Report)
    assert isinstance(back.body, FlyteFile) and back.body.path == body
    assert isinstance(back.assets, FlyteDirectory) and back.assets.path == assets
    assert back.pages[0].metadata == {"lang": "en"}
    assert back.attachment is None


def test_a_model_reads_remote_paths_lazily() -> None:
    report = Report.model_validate(
        {"title": "t", "body": {"path": "s3://bucket/b.md"}, "assets": "s3://bucket/assets"}
    )
    assert isinstance(report.body, FlyteFile) and report.body.remote_source == "s3://bucket/b.md"
    assert not report.body.downloaded
    assert isinstance(report.assets, FlyteDirectory) and report.assets.path == "s3://bucket/assets"


def test_a_file_field_without_a_path_fails_validation_ct227() -> None:
    engine = TypeEngine()
    literal = engine.to_literal(
        Report(title="t", body=FlyteFile("/x"), assets=FlyteDirectory("/y")), Report
    )
    data = _plain(literal)
    data["body"] = {"metadata": None}
    literal.scalar.binary.value = msgpack.packb(data)
    with pytest.raises(TypeMappingError) as info:
        engine.to_python(literal, Report)
    assert info.value.code == "CT227" and "body" in str(info.value)


def test_model_schema_describes_files_as_flytekit_classes() -> None:
    schema = TypeEngine().to_literal_type(Report).metadata
    defs = dict(schema["$defs"])
    assert set(defs) == {"FlyteFile", "FlyteDirectory"}
    assert set(dict(defs["FlyteFile"]["properties"])) == {"path", "metadata"}


def test_a_dataset_in_a_model_is_encoded_when_it_holds_a_dataframe() -> None:
    engine = TypeEngine()
    frame = pd.DataFrame({"a": [1, 2]})
    lit = engine.to_literal(Snapshot(name="s", data=StructuredDataset(dataframe=frame)), Snapshot)
    data = _plain(lit)["data"]
    assert data["file_format"] == "parquet" and os.path.isdir(data["uri"])
    back = engine.to_python(lit, Snapshot)
    assert back.data.open(pd.DataFrame).all().equals(frame)


def test_dataframe_and_array_fields_of_a_dataclass_round_trip() -> None:
    engine = TypeEngine()
    value = Scores(
        run="r1",
        frame=pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}),
        weights=np.arange(3.0),
        parts=[np.ones(2), np.zeros(1)],
    )
    lit = engine.to_literal(value, Scores)
    data = _plain(lit)
    assert data["frame"]["file_format"] == "parquet"
    assert data["weights"]["path"].endswith(".npy")
    back = engine.to_python(lit, Scores)
    # flytekit reads dataclass hints without their Annotated extras: no columns are declared
    assert back.frame.equals(value.frame)
    assert np.array_equal(back.weights, value.weights)
    assert [p.tolist() for p in back.parts] == [[1.0, 1.0], [0.0]]


@pytest.mark.parametrize(
    ("changes", "named"), [({"frame": [1, 2]}, "frame"), ({"weights": [1.0]}, "weights")]
)
def test_a_field_of_the_wrong_type_is_named(changes, named) -> None:
    engine = TypeEngine()
    value = Scores(run="r", frame=pd.DataFrame({"x": [1]}), weights=np.zeros(1))
    for key, bad in changes.items():
        setattr(value, key, bad)
    with pytest.raises(TypeMappingError) as info:
        engine.to_literal(value, Scores)
    assert f"field '{named}'" in str(info.value)
