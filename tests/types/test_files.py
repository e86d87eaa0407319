"""FlyteFile / FlyteDirectory and their aliases."""

from __future__ import annotations

import os
import pathlib
from typing import TypeVar

import pytest

from compiler.types import (
    CSVFile,
    FlyteDirectory,
    FlyteFile,
    HTMLPage,
    TensorboardLogs,
    TFRecordsDirectory,
)
from compiler.types.files import normalise_format


@pytest.mark.parametrize(
    ("item", "expected"),
    [("csv", "csv"), (" .csv ", "csv"), ("~csv", "csv"), (TypeVar("csv"), "csv"), ("", "")],
)
def test_normalise_format(item: object, expected: str) -> None:
    assert normalise_format(item) == expected


def test_specialised_classes_are_cached_and_keep_their_base() -> None:
    assert FlyteFile["csv"] is CSVFile
    assert FlyteFile[TypeVar("csv")] is CSVFile
    assert FlyteFile[""] is FlyteFile
    assert CSVFile["json"] is FlyteFile["json"]
    assert CSVFile.format == "csv" and CSVFile.extension() == "csv"
    assert HTMLPage.format == "html"
    assert issubclass(CSVFile, FlyteFile)
    assert CSVFile.__name__ == "FlyteFile[csv]"
    assert TensorboardLogs.format == "tensorboard"
    assert issubclass(TFRecordsDirectory, FlyteDirectory)
    assert FlyteFile.format == "" and FlyteDirectory.format == ""


def test_values_hold_a_path() -> None:
    local = CSVFile(pathlib.Path("/tmp/x.csv"))
    assert local.path == "/tmp/x.csv"
    assert os.fspath(local) == "/tmp/x.csv" and str(local) == "/tmp/x.csv"
    assert isinstance(local, os.PathLike)
    assert repr(local) == "FlyteFile[csv]('/tmp/x.csv')"
    remote = FlyteDirectory("s3://bucket/dir", remote_path="s3://b/out", metadata={"k": "v"})
    assert (remote.path, remote.remote_path, remote.metadata) == (
        "s3://bucket/dir",
        "s3://b/out",
        {"k": "v"},
    )


def test_equality_is_by_kind_and_path() -> None:
    assert CSVFile("a") == FlyteFile("a")
    assert hash(CSVFile("a")) == hash(FlyteFile("a"))
    assert FlyteFile("a") != FlyteDirectory("a")
    assert FlyteFile("a") != FlyteFile("b")
    assert FlyteFile("a") != "a"
    assert FlyteFile("a").generic_base() is FlyteFile
    assert TensorboardLogs("d").generic_base() is FlyteDirectory


def test_user_subclasses() -> None:
    class Report(FlyteFile):
        pass

    assert Report("r").generic_base() is FlyteFile
    assert Report["pdf"].format == "pdf"
    assert issubclass(Report["pdf"], Report)
