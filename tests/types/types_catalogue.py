# ruff: noqa: UP006, UP007, UP035, UP042, UP045  (typing spellings are what is under test)
"""A catalogue of type hints, built from either flytekit's classes or ours.

``tests/types/oracle_literal_types.py`` evaluates it with flytekit 1.16.31 and writes
``fixtures/flytekit_literal_types.json``; ``test_flytekit_parity.py`` evaluates it with our
engine and compares. Hints are built inside functions so that both sides get their own classes.
No ``from __future__ import annotations`` here: the local dataclass must resolve its hints.
"""

import collections
import collections.abc
import datetime
import enum
import os
import typing
from dataclasses import dataclass, field
from typing import (
    Annotated,
    Any,
    Dict,
    Iterator,
    List,
    Literal,
    Optional,
    Set,
    Tuple,
    TypeVar,
    Union,
)

FILE_ALIASES = [
    "HDF5EncodedFile",
    "HTMLPage",
    "JoblibSerializedFile",
    "JPEGImageFile",
    "PDFFile",
    "PNGImageFile",
    "PythonPickledFile",
    "PythonNotebook",
    "SVGImageFile",
    "CSVFile",
    "ONNXFile",
    "TFRecordFile",
    "JSONLFile",
    "TensorboardLogs",
    "TFRecordsDirectory",
]

#: Where flytekit crashes (not a deliberate error) and we give a literal type.
FLYTEKIT_CRASHES = {"ann-pathlike"}


class Ch(enum.Enum):
    WEB = "web"
    STORE = "store"
    ONLINE = "web"


class Lv(str, enum.Enum):
    LOW = "low"
    HIGH = "high"


@dataclass(frozen=True)
class Leaf:
    n: str = "q"
    w: float = 1


@dataclass
class Base:
    a: int
    b: str = "x"


@dataclass
class Child(Base):
    c: float = 1.0
    d: List[int] = field(default_factory=list)
    e: int = field(default=3, init=False)
    ch: Ch = Ch.STORE
    lv: Optional[Lv] = None
    when: datetime.datetime = datetime.datetime(2024, 5, 1, 6, 30)
    day: datetime.date = datetime.date(2024, 5, 1)
    took: datetime.timedelta = datetime.timedelta(minutes=3)


@dataclass
class Empty:
    pass


class MyInt(int):
    pass


@dataclass
class WithIterator:
    xs: Iterator[int]


class MyStr(str):
    pass


class MyDict(dict):
    pass


class MyList(list):
    pass


class MyDateTime(datetime.datetime):
    pass


def _holder(ns: dict[str, Any]) -> type:
    flyte_file, flyte_dir = ns["FlyteFile"], ns["FlyteDirectory"]
    csv_file, dataset = ns["CSVFile"], ns["StructuredDataset"]

    @dataclass
    class Holder:
        leaf: Leaf = Leaf()
        o: Optional[Leaf] = None
        ls: List[Leaf] = field(default_factory=list)
        m: Dict[str, List[Leaf]] = field(default_factory=dict)
        u: Union[int, str, None] = 3
        f: flyte_file = None  # type: ignore[valid-type]
        fd: Optional[flyte_dir] = None  # type: ignore[valid-type]
        csv: Optional[csv_file] = None  # type: ignore[valid-type]
        sd: Optional[dataset] = None  # type: ignore[valid-type]
        lit: Literal["a", "b"] = "a"
        raw: dict = field(default_factory=dict)
        ik: Dict[int, float] = field(default_factory=dict)
        child: Optional[Child] = None

    return Holder


def build(ns: dict[str, Any]) -> dict[str, Any]:
    """Hints that map without pickling, keyed by a stable name."""
    ff, fd, sd, schema = (
        ns["FlyteFile"],
        ns["FlyteDirectory"],
        ns["StructuredDataset"],
        ns["FlyteSchema"],
    )
    csv, kwtypes = ns["CSVFile"], ns["kwtypes"]
    json_t, directory, batch = ns["JSON"], ns["FlyteDirectory"], ns["BatchSize"]
    fa = ns["FlyteAnnotation"]({"min": 1, "l": [1, {"x": 2}], "n": None, "s": "t", "b": True})
    return {
        "int": int,
        "float": float,
        "str": str,
        "bool": bool,
        "dt": datetime.datetime,
        "date": datetime.date,
        "td": datetime.timedelta,
        "none": type(None),
        "dict": dict,
        "Dict": Dict,
        "Dict[int,str]": Dict[int, str],
        "List[Dict[str,List[int]]]": List[Dict[str, List[int]]],
        "list[str]": list[str],
        "dict[str,float]": dict[str, float],
        "opt-float": Optional[float],
        "int|None": int | None,
        "U[None,str,bool]": Union[None, str, bool],
        "U[dt,date,td]": Union[datetime.datetime, datetime.date, datetime.timedelta],
        "opt-list": Optional[List[str]],
        "U[Dict,dict]": Union[Dict[str, int], dict],
        "opt-dir": Optional[fd],
        "opt-csv": Optional[csv],
        "U[enum,lit]": Union[Ch, Literal["a"]],
        "opt-leaf": Optional[Leaf],
        "U[sd,schema]": Union[sd, schema],
        "list-opt": List[Optional[int]],
        "opt-list-opt": Optional[List[Optional[int]]],
        "enum": Ch,
        "strenum": Lv,
        "lit-s": Literal["a", "b"],
        "lit-i": Literal[1, 2],
        "lit-f": Literal[0.5],
        "lit-b": Literal[True, False],
        "ff": ff,
        "ff-csv": ff["csv"],
        "ff-tv": ff[TypeVar("avro")],
        "fd": fd,
        "fd-tv": fd[TypeVar("jsonl")],
        "aliases": Union[tuple(ns[a] for a in FILE_ALIASES)],
        "ann": Annotated[int, fa],
        "ann-str": Annotated[int, "x"],
        "list-ann": List[Annotated[int, fa]],
        "opt-ann": Optional[Annotated[int, fa]],
        "ann-opt": Annotated[Optional[int], fa],
        "U[ann-opt,str]": Union[Annotated[Optional[int], fa], str],
        "ann-ff": Annotated[ff, fa],
        "ann-list": Annotated[List[str], fa],
        "ann-enum": Annotated[Ch, fa],
        "ann-schema": Annotated[schema, fa],
        "ann-map": Annotated[Dict[str, int], fa],
        "ann-date": Annotated[datetime.date, fa],
        "ann-union": Annotated[Union[int, str], fa],
        "ann-dir": Annotated[fd, fa],
        "ann-pathlike": Annotated[os.PathLike, fa],
        "ann-lit": Annotated[Literal["a"], fa],
        "ann-dict": Annotated[dict, fa],
        "ann-leaf": Annotated[Leaf, fa],
        "sd": sd,
        "schema": schema,
        "schema-cols": schema[
            kwtypes(
                sku=str,
                qty=int,
                price=float,
                ok=bool,
                at=datetime.datetime,
                d=datetime.timedelta,
            )
        ],
        "leaf": Leaf,
        "child": Child,
        "holder": _holder(ns),
        "empty": Empty,
        "list-leaf": List[Leaf],
        "dict-leaf": Dict[str, Leaf],
        "pathlike": os.PathLike,
        "opt-pathlike": Optional[os.PathLike],
        "U[List,list]": Union[List[int], list[int]],
        "U-dup": Union[int, Union[str, None], Optional[int]],
        "subclass-int": MyInt,
        "subclass-str": MyStr,
        "subclass-dict": MyDict,
        "subclass-list": MyList,
        "subclass-datetime": MyDateTime,
        "ordered-dict": collections.OrderedDict,
        "opt-subclass-int": Optional[MyInt],
        "list-tuple": List[Tuple[int, int]],
        "literal-bytes": Literal[b"x"],
        "iterator": Iterator[int],
        "abc-iterator": collections.abc.Iterator[str],
        "opt-iterator": Optional[Iterator[List[int]]],
        "dataclass-iterator": WithIterator,
        "json-iterator": Iterator[json_t],
        "opt-json-iterator": Optional[Iterator[json_t]],
        "list-json-iterator": List[Iterator[json_t]],
        "batchsize-dir": Annotated[directory, batch(10)],
        "opt-batchsize-dir": Optional[Annotated[directory, batch(3)]],
    }


def build_pickled(ns: dict[str, Any]) -> dict[str, Any]:
    """Hints flytekit pickles (we need ``allow_pickle=True``)."""
    json_t = ns["JSON"]
    return {
        "bytes": bytes,
        "any": Any,
        "list-any": List[Any],
        "opt-set": Optional[set],
        "Set[int]": Set[int],
        "dict-str-any": Dict[str, Any],
        "typevar": TypeVar("T"),
        "generator": typing.Generator[int, None, None],
        "iterable": typing.Iterable[int],
        "abc-iterator-json": collections.abc.Iterator[json_t],
    }
