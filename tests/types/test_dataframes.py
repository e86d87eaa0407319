"""Dataframes through StructuredDataset: literal types, parquet/CSV values, handlers, runtime."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
from flyteidl.core import literals_pb2
from google.protobuf.json_format import MessageToDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.errors import TypeMappingError
from compiler.types import StructuredDataset, TypeEngine, kwtypes
from compiler.types.structured import (
    CSV,
    PARQUET,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    StructuredDatasetTransformerEngine,
)

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

HERE = Path(__file__).parent
REPO = HERE.parents[1]


def _lt(hint: object) -> dict:
    return MessageToDict(TypeEngine().to_literal_type(hint))


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"sku": ["a", "b", "c"], "qty": [1, 2, 3], "price": [0.5, 1.0, 2.5]})


# --- literal types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (pd.DataFrame, {"structuredDatasetType": {}}),
        (pa.Table, {"structuredDatasetType": {}}),
        (Annotated[pd.DataFrame, CSV], {"structuredDatasetType": {"format": "csv"}}),
        (
            Annotated[pd.DataFrame, kwtypes(sku=str, qty=int)],
            {
                "structuredDatasetType": {
                    "columns": [
                        {"name": "sku", "literalType": {"simple": "STRING"}},
                        {"name": "qty", "literalType": {"simple": "INTEGER"}},
                    ]
                }
            },
        ),
        (
            Annotated[StructuredDataset, PARQUET, kwtypes(x=float)],
            {
                "structuredDatasetType": {
                    "format": "parquet",
                    "columns": [{"name": "x", "literalType": {"simple": "FLOAT"}}],
                }
            },
        ),
        (
            pd.DataFrame | None,
            {
                "unionType": {
                    "variants": [
                        {
                            "structuredDatasetType": {},
                            "structure": {"tag": "StructuredDataset Transformer"},
                        },
                        {"simple": "NONE", "structure": {"tag": "none"}},
                    ]
                }
            },
        ),
    ],
)
def test_literal_types(hint: object, expected: dict) -> None:
    assert _lt(hint) == expected


# --- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [PARQUET, CSV])
def test_pandas_round_trip_writes_real_files(fmt: str) -> None:
    engine = TypeEngine()
    hint = Annotated[StructuredDataset, fmt]
    literal = engine.to_literal(StructuredDataset(dataframe=_frame()), hint)
    sd = literal.scalar.structured_dataset
    assert sd.metadata.structured_dataset_type.format == fmt
    files = os.listdir(sd.uri)
    assert files == (["00000"] if fmt == PARQUET else [".csv"])
    pd.testing.assert_frame_equal(engine.to_python(literal, Annotated[pd.DataFrame, fmt]), _frame())


def test_formats_chosen_as_flytekit_does() -> None:
    """A bare dataframe is written as parquet whatever the annotation says; a URI-only
    StructuredDataset keeps its file_format unless the annotation names one."""
    engine = TypeEngine()

    def fmt(value: object, hint: object) -> str:
        literal = engine.to_literal(value, hint)
        return literal.scalar.structured_dataset.metadata.structured_dataset_type.format

    assert fmt(_frame(), Annotated[pd.DataFrame, CSV]) == PARQUET
    assert fmt(StructuredDataset(dataframe=_frame(), file_format=CSV), StructuredDataset) == PARQUET
    assert fmt(StructuredDataset(uri="/x", file_format=CSV), StructuredDataset) == CSV
    assert (
        fmt(StructuredDataset(uri="/x", file_format=CSV), Annotated[StructuredDataset, PARQUET])
        == PARQUET
    )


def test_default_format_is_parquet_and_arrow_reads_pandas() -> None:
    engine = TypeEngine()
    literal = engine.to_literal(_frame(), pd.DataFrame)
    assert literal.scalar.structured_dataset.metadata.structured_dataset_type.format == "parquet"
    table = engine.to_python(literal, pa.Table)
    assert table.column_names == ["sku", "qty", "price"]
    back = engine.to_literal(table, pa.Table)
    pd.testing.assert_frame_equal(engine.to_python(back, pd.DataFrame), _frame())


def test_declared_columns_are_the_only_ones_read() -> None:
    engine = TypeEngine()
    literal = engine.to_literal(_frame(), pd.DataFrame)
    df = engine.to_python(literal, Annotated[pd.DataFrame, kwtypes(qty=int)])
    assert list(df.columns) == ["qty"]


def test_structured_dataset_with_uri_open_all_and_iter(tmp_path: Path) -> None:
    engine = TypeEngine()
    target = str(tmp_path / "sales")
    literal = engine.to_literal(
        StructuredDataset(dataframe=_frame(), uri=target), StructuredDataset
    )
    assert literal.scalar.structured_dataset.uri == target
    assert os.listdir(target) == ["00000"]
    sd = engine.to_python(literal, StructuredDataset)
    pd.testing.assert_frame_equal(sd.open(pd.DataFrame).all(), _frame())
    parts = list(sd.open(pa.Table).iter())
    assert len(parts) == 1 and parts[0].num_rows == 3
    # An input handed on keeps its literal (format included).
    assert engine.to_literal(sd, StructuredDataset) == literal


def test_containers_of_dataframes() -> None:
    engine = TypeEngine()
    value = {"a": [_frame()], "b": []}
    hint = dict[str, list[pd.DataFrame]]
    back = engine.to_python(engine.to_literal(value, hint), hint)
    assert list(back) == ["a", "b"] and back["b"] == []
    pd.testing.assert_frame_equal(back["a"][0], _frame())
    none = engine.to_literal(None, pd.DataFrame | None)
    assert engine.to_python(none, pd.DataFrame | None) is None


def test_missing_column_and_wrong_dtype_are_named() -> None:
    engine = TypeEngine()
    with pytest.raises(TypeMappingError, match="no column 'weight'") as err:
        engine.to_literal(_frame(), Annotated[pd.DataFrame, kwtypes(weight=float)])
    assert err.value.code == "CT221"
    with pytest.raises(TypeMappingError, match="column 'sku' holds") as err:
        engine.to_literal(_frame(), Annotated[pd.DataFrame, kwtypes(sku=int)])
    assert err.value.code == "CT224"
    literal = engine.to_literal(_frame(), pd.DataFrame)
    with pytest.raises(TypeMappingError, match="no column 'weight'"):
        engine.to_python(literal, Annotated[pd.DataFrame, kwtypes(weight=float)])


def test_open_without_a_type_and_unknown_values_are_errors() -> None:
    with pytest.raises(TypeMappingError) as err:
        StructuredDataset(uri="/nowhere").all()
    assert err.value.code == "CT225"
    with pytest.raises(TypeMappingError) as err:
        TypeEngine().to_literal([1, 2], pd.DataFrame)
    assert err.value.code == "CT701"
    with pytest.raises(TypeMappingError) as err:
        value = StructuredDataset(dataframe=_frame())
        TypeEngine().to_literal(value, Annotated[StructuredDataset, "avro"])
    assert err.value.code == "CT223" and "'avro'" in err.value.message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(-(2**62), 2**62),
            st.floats(allow_nan=False, allow_infinity=False, width=64),
            st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
    fmt=st.sampled_from([PARQUET, CSV]),
)
def test_round_trip_property(rows: list[tuple], fmt: str) -> None:
    df = pd.DataFrame(rows, columns=["i", "f", "s", "b"])
    columns = kwtypes(i=int, f=float, s=str, b=bool)
    engine = TypeEngine()
    literal = engine.to_literal(
        StructuredDataset(dataframe=df), Annotated[StructuredDataset, fmt, columns]
    )
    back = engine.to_python(literal, Annotated[pd.DataFrame, columns])
    if fmt == CSV:  # CSV has no types: text that looks like a number is read as one
        assert back["i"].tolist() == df["i"].tolist() and back["b"].tolist() == df["b"].tolist()
    else:
        pd.testing.assert_frame_equal(back, df)


# --- encoders and decoders ------------------------------------------------------------------------


class Rows(list):
    """A toy dataframe: a list of dicts."""


class RowsEncoder(StructuredDatasetEncoder):
    def __init__(self) -> None:
        super().__init__(Rows, None, "jsonl")

    def encode(self, ctx, structured_dataset, structured_dataset_type):
        import json

        uri = structured_dataset.uri or ctx.file_access.get_random_local_directory()
        with open(os.path.join(uri, "part.jsonl"), "w") as out:
            out.writelines(json.dumps(row) + "\n" for row in structured_dataset.dataframe)
        meta = literals_pb2.StructuredDatasetMetadata(
            structured_dataset_type=structured_dataset_type
        )
        return literals_pb2.StructuredDataset(uri=uri, metadata=meta)


class RowsDecoder(StructuredDatasetDecoder):
    def __init__(self) -> None:
        super().__init__(Rows, None, "jsonl")

    def decode(self, ctx, flyte_value, current_task_metadata):
        import json

        with open(os.path.join(flyte_value.uri, "part.jsonl")) as src:
            return Rows(json.loads(line) for line in src)


@pytest.fixture
def rows_handlers():
    saved = (
        dict(StructuredDatasetTransformerEngine.ENCODERS),
        dict(StructuredDatasetTransformerEngine.DECODERS),
        dict(StructuredDatasetTransformerEngine.DEFAULT_FORMATS),
    )
    StructuredDatasetTransformerEngine.register(RowsEncoder(), default_for_type=True)
    StructuredDatasetTransformerEngine.register(RowsDecoder())
    yield
    for table, old in zip(
        (
            StructuredDatasetTransformerEngine.ENCODERS,
            StructuredDatasetTransformerEngine.DECODERS,
            StructuredDatasetTransformerEngine.DEFAULT_FORMATS,
        ),
        saved,
        strict=True,
    ):
        table.clear()
        table.update(old)


def test_registered_encoder_and_decoder(rows_handlers: None) -> None:
    engine = TypeEngine()
    assert _lt(Annotated[Rows, kwtypes(a=int)])["structuredDatasetType"]["columns"]
    literal = engine.to_literal(Rows([{"a": 1}, {"a": 2}]), Rows)
    assert literal.scalar.structured_dataset.metadata.structured_dataset_type.format == "jsonl"
    assert engine.to_python(literal, Rows) == [{"a": 1}, {"a": 2}]
    sd = engine.to_python(literal, StructuredDataset)
    assert sd.open(Rows).all() == [{"a": 1}, {"a": 2}]
    with pytest.raises(TypeMappingError) as err:
        StructuredDatasetTransformerEngine.register(RowsEncoder())
    assert err.value.code == "CT222"
    StructuredDatasetTransformerEngine.register(RowsEncoder(), override=True)
    with pytest.raises(TypeMappingError) as err:
        StructuredDatasetTransformerEngine.register(object())  # type: ignore[arg-type]
    assert err.value.code == "CT222"


# --- runtime --------------------------------------------------------------------------------------


def _run(tmp_path: Path, task: str, inputs: dict, raw: str, code: int = 0) -> Path:
    inputs_pb = tmp_path / f"{task}-inputs.pb"
    inputs_pb.write_bytes(literals_pb2.LiteralMap(literals=inputs).SerializeToString())
    out = tmp_path / f"{task}-out"
    args = [
        sys.executable, "-m", "compiler.runtime.entrypoint",
        "--inputs", str(inputs_pb), "--output-prefix", str(out),
        "--raw-output-data-prefix", raw,
        "--checkpoint-path", str(tmp_path / "ckpt"), "--prev-checkpoint", "",
        "--resolver", "compiler.sdk.resolver.default_task_resolver",
        "--", "task-module", "dataframe_tasks", "task-name", task,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO)])}
    proc = subprocess.run(args, cwd=HERE, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == code, proc.stderr
    return out


def test_container_run_reads_and_writes_parquet_under_the_raw_prefix(tmp_path: Path) -> None:
    engine = TypeEngine()
    source = str(tmp_path / "input-data")
    frame = pd.DataFrame({"sku": ["a", "b"], "qty": [1, 2], "extra": [9, 9]})
    given_lit = engine.to_literal(StructuredDataset(dataframe=frame, uri=source), pd.DataFrame)
    raw = str(tmp_path / "raw")
    out = _run(tmp_path, "double", {"df": given_lit}, raw)
    assert not (out / "error.pb").exists(), (out / "error.pb").read_bytes()
    outputs = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    uri = outputs.literals["o0"].scalar.structured_dataset.uri
    assert uri.startswith(raw + "/") and os.listdir(uri) == ["00000"]
    result = engine.to_python(outputs.literals["o0"], pd.DataFrame)
    assert result.to_dict("list") == {"sku": ["a", "b"], "qty": [2, 4]}


def test_container_run_with_csv_dataset_and_a_column_error(tmp_path: Path) -> None:
    engine = TypeEngine()
    raw = str(tmp_path / "raw")
    frame = pd.DataFrame({"sku": ["a", "b"], "qty": [3, 4]})
    out = _run(tmp_path, "to_csv", {"df": engine.to_literal(frame, pd.DataFrame)}, raw)
    outputs = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    csv = outputs.literals["o0"]
    assert csv.scalar.structured_dataset.metadata.structured_dataset_type.format == "csv"
    assert os.listdir(csv.scalar.structured_dataset.uri) == [".csv"]
    out = _run(tmp_path, "total", {"sd": csv}, raw)
    outputs = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    assert outputs.literals["o0"].scalar.primitive.integer == 7
    out = _run(tmp_path, "bad_columns", {"n": engine.to_literal(1, int)}, raw, code=1)
    from flyteidl.core import errors_pb2

    error = errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error
    assert "bad_columns" in error.message and "no column 'qty'" in error.message


def test_compiling_needs_no_pandas_and_running_names_the_extra(tmp_path: Path) -> None:
    """Without pyarrow importable, literal types still work; converting a value says what to
    install."""
    code = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "import pandas as pd\n"
        "from compiler.types import TypeEngine\n"
        "e = TypeEngine()\n"
        "print(e.to_literal_type(pd.DataFrame).HasField('structured_dataset_type'))\n"
        "try:\n"
        "    e.to_literal(pd.DataFrame({'a': [1]}), pd.DataFrame)\n"
        "except Exception as exc:\n"
        "    print(exc.code, exc.hint)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.splitlines() == [
        "True",
        'CT220 install the dataframe extra: pip install "compile-tasks[dataframe]"',
    ], proc.stderr


def test_import_compiler_does_not_load_pandas() -> None:
    names = "('pandas', 'pyarrow', 'pydantic', 'numpy', 'polars')"
    code = f"import sys, compiler; print(sorted(m for m in {names} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_run_request_against_a_blob_store(tmp_path: Path) -> None:
    """Inputs read from and outputs uploaded to ``memory://`` (a stand-in blob store)."""
    fsspec = pytest.importorskip("fsspec")
    from compiler.runtime.execute import ExecutionRequest, run_request

    memfs = fsspec.filesystem("memory")
    memfs.store.clear()
    engine = TypeEngine()
    frame = pd.DataFrame({"sku": ["a", "b"], "qty": [1, 2]})
    given_lit = engine.to_literal(
        StructuredDataset(dataframe=frame, uri="memory://bucket/in/sales"), pd.DataFrame
    )
    assert memfs.ls("/bucket/in/sales", detail=False) == ["/bucket/in/sales/00000"]
    inputs = literals_pb2.LiteralMap(literals={"df": given_lit})
    memfs.pipe("/bucket/run/inputs.pb", inputs.SerializeToString())
    sys.path.insert(0, str(HERE))
    request = ExecutionRequest(
        inputs="memory://bucket/run/inputs.pb",
        output_prefix="memory://bucket/run/out",
        raw_output_prefix="memory://bucket/raw",
        resolver="compiler.sdk.resolver.default_task_resolver",
        loader_args=("task-module", "dataframe_tasks", "task-name", "double"),
    )
    assert run_request(request).status == "outputs"
    outputs = literals_pb2.LiteralMap.FromString(memfs.cat("/bucket/run/out/outputs.pb"))
    uri = outputs.literals["o0"].scalar.structured_dataset.uri
    assert uri.startswith("memory://bucket/raw/")
    result = engine.to_python(outputs.literals["o0"], pd.DataFrame)
    assert result.to_dict("list") == {"sku": ["a", "b"], "qty": [2, 4]}


def test_container_error_of_a_raising_transformer_shows_the_users_frame(tmp_path: Path) -> None:
    """A custom transformer's exception is reported with its own frame (ours left out)."""
    from flyteidl.core import errors_pb2

    out = _run(tmp_path, "to_kelvin", {"celsius": TypeEngine().to_literal(-300.0, float)},
               str(tmp_path / "raw"), code=1)  # fmt: skip
    message = errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error.message
    user_part, _, ours = message.partition("The above exception was the direct cause")
    assert "dataframe_tasks.py" in user_part and "in to_literal" in user_part
    assert "ValueError: -26.85" in user_part
    assert "compiler/" not in user_part  # none of our frames
    assert "task 'dataframe_tasks.to_kelvin', output 'o0'" in ours and "(CT228)" in ours


def test_container_uploads_the_files_of_a_model_output_and_reads_them_back(
    tmp_path: Path,
) -> None:
    """A model output's file and dataset are written locally, uploaded under the raw prefix
    by the runtime (the msgpack holds the uploaded paths), and read by the next task."""
    pytest.importorskip("pydantic")
    import msgpack

    raw = str(tmp_path / "raw")
    out = _run(tmp_path, "deliver", {"name": TypeEngine().to_literal("n1", str)}, raw)
    assert not (out / "error.pb").exists(), (out / "error.pb").read_bytes()
    outputs = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    data = msgpack.unpackb(outputs.literals["o0"].scalar.binary.value)
    assert data["receipt"]["path"].startswith(raw + "/")
    assert Path(data["receipt"]["path"]).read_text() == "receipt for n1"
    assert data["rows"]["uri"].startswith(raw + "/") and data["rows"]["file_format"] == "parquet"
    assert os.listdir(data["rows"]["uri"]) == ["00000"]
    out = _run(tmp_path, "receipt_text", {"delivery": outputs.literals["o0"]}, raw)
    result = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    assert result.literals["o0"].scalar.primitive.string_value == "receipt for n1: 3"


def test_container_run_of_a_polars_task_writes_one_parquet_file(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    engine = TypeEngine()
    given = engine.to_literal(pl.DataFrame({"sku": ["a"], "qty": [4]}), pl.DataFrame)
    raw = str(tmp_path / "raw")
    out = _run(tmp_path, "polars_double", {"df": given}, raw)
    assert not (out / "error.pb").exists(), (out / "error.pb").read_bytes()
    outputs = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    uri = outputs.literals["o0"].scalar.structured_dataset.uri
    assert uri.startswith(raw + "/") and os.path.basename(uri) == "00000" and os.path.isfile(uri)
    assert engine.to_python(outputs.literals["o0"], pl.DataFrame)["qty"].to_list() == [8]
