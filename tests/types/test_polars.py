"""polars DataFrame / LazyFrame through StructuredDataset, as flytekit's polars plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest

from compiler.errors import TypeMappingError
from compiler.types import StructuredDataset, TypeEngine, kwtypes

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")

REPO = Path(__file__).resolve().parents[2]
Orders = Annotated[pl.DataFrame, kwtypes(sku=str, qty=int)]


def _frame() -> pl.DataFrame:
    return pl.DataFrame({"sku": ["a", "b", "c"], "qty": [1, 2, 3], "price": [0.5, 1.0, 2.5]})


def test_literal_type_is_a_structured_dataset() -> None:
    lt = TypeEngine().to_literal_type(Orders)
    assert [c.name for c in lt.structured_dataset_type.columns] == ["sku", "qty"]
    assert lt.structured_dataset_type.format == ""
    assert TypeEngine().to_literal_type(pl.LazyFrame).HasField("structured_dataset_type")


def test_a_frame_is_one_parquet_file_named_00000() -> None:
    engine = TypeEngine()
    lit = engine.to_literal(_frame(), Orders)
    sd = lit.scalar.structured_dataset
    assert os.path.basename(sd.uri) == "00000" and os.path.isfile(sd.uri)
    assert sd.metadata.structured_dataset_type.format == "parquet"
    back = engine.to_python(lit, Orders)
    assert back.columns == ["sku", "qty"]  # only the declared columns are read
    assert back.equals(_frame().select("sku", "qty"))


def test_lazy_frames_are_collected_and_read_back_lazily() -> None:
    engine = TypeEngine()
    lit = engine.to_literal(_frame().lazy(), pl.LazyFrame)
    back = engine.to_python(lit, pl.LazyFrame)
    assert isinstance(back, pl.LazyFrame)
    assert back.collect().equals(_frame())


def test_polars_and_pandas_read_each_others_datasets() -> None:
    engine = TypeEngine()
    from_polars = engine.to_literal(_frame(), pl.DataFrame)
    assert engine.to_python(from_polars, pd.DataFrame)["qty"].tolist() == [1, 2, 3]
    from_pandas = engine.to_literal(_frame().to_pandas(), pd.DataFrame)
    assert os.path.isdir(from_pandas.scalar.structured_dataset.uri)  # pandas: a directory
    assert engine.to_python(from_pandas, pl.DataFrame).equals(_frame())


def test_a_structured_dataset_opens_as_polars(tmp_path: Path) -> None:
    engine = TypeEngine()
    target = str(tmp_path / "out" / "orders.parquet")
    lit = engine.to_literal(StructuredDataset(dataframe=_frame(), uri=target), StructuredDataset)
    assert lit.scalar.structured_dataset.uri == target and os.path.isfile(target)
    sd = engine.to_python(lit, StructuredDataset)
    assert sd.open(pl.DataFrame).all().equals(_frame())


def test_a_missing_column_is_ct221_and_a_wrong_dtype_ct224() -> None:
    engine = TypeEngine()
    with pytest.raises(TypeMappingError) as missing:
        engine.to_literal(_frame().drop("qty"), Orders)
    assert missing.value.code == "CT221" and "no column 'qty'" in str(missing.value)
    with pytest.raises(TypeMappingError) as wrong:
        engine.to_literal(_frame().with_columns(pl.col("qty").cast(pl.Utf8)), Orders)
    assert wrong.value.code == "CT224" and "column 'qty'" in str(wrong.value)


def test_reading_a_dataset_without_a_declared_column_is_ct221() -> None:
    engine = TypeEngine()
    lit = engine.to_literal(_frame().drop("qty"), pl.DataFrame)
    with pytest.raises(TypeMappingError) as info:
        engine.to_python(lit, Orders)
    assert info.value.code == "CT221"


def test_without_polars_compiling_works_and_converting_names_the_extra() -> None:
    code = (
        "import sys, types\n"
        "fake = types.ModuleType('polars')\n"
        "class DataFrame: pass\n"
        "DataFrame.__module__ = 'polars.dataframe.frame'\n"
        "fake.DataFrame = DataFrame\n"
        "sys.modules['polars'] = fake\n"  # a polars whose handlers cannot be imported
        "sys.modules['compiler.types.polars_handlers'] = None\n"
        "from compiler.types import TypeEngine\n"
        "e = TypeEngine()\n"
        "print(e.to_literal_type(DataFrame).HasField('structured_dataset_type'))\n"
        "try:\n"
        "    e.to_literal(DataFrame(), DataFrame)\n"
        "except Exception as exc:\n"
        "    print(exc.code, exc.hint)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.splitlines() == [
        "True",
        'CT220 install the polars extra: pip install "compile-tasks[polars]"',
    ], proc.stderr
