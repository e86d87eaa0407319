"""Dataframes as structured datasets: formats, encoders, decoders and their registry.

A dataframe (``pandas.DataFrame``, ``pyarrow.Table``, or any class a plugin registers an
encoder for) has the literal type of a ``StructuredDataset``; at run time an *encoder* writes it
to files (parquet by default) and a *decoder* reads files back into a dataframe. The shape is
flytekit's, so encoders and decoders written for flytekit port by changing imports::

    class PolarsToParquet(StructuredDatasetEncoder):
        def __init__(self):
            super().__init__(polars.DataFrame, None, PARQUET)

        def encode(self, ctx, structured_dataset, structured_dataset_type):
            ...  # write structured_dataset.dataframe under structured_dataset.uri
            return literals_pb2.StructuredDataset(uri=..., metadata=...)

    StructuredDatasetTransformerEngine.register(PolarsToParquet())

This module never imports pandas or pyarrow: the built-in handlers for them
(:mod:`compiler.types.dataframe_handlers`) are loaded the first time a value of one of those
types is converted, so compiling a task that declares a dataframe needs neither library.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from flyteidl.core import literals_pb2, types_pb2

from compiler.errors import TypeMappingError
from compiler.types.file_access import TransformerContext
from compiler.types.frames import BUILTIN_FRAMES, frame_key, is_dataframe_type

__all__ = [
    "CSV",
    "DATAFRAME_EXTRA",
    "GENERIC_FORMAT",
    "GENERIC_PROTOCOL",
    "PARQUET",
    "DatasetContext",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
    "StructuredDatasetMetadata",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "is_dataframe_type",
    "iterate",
    "protocol_of",
]

PARQUET = "parquet"
CSV = "csv"
#: A handler registered for the generic format handles every format without its own handler.
GENERIC_FORMAT = ""
#: A handler registered for the generic protocol (``None``) handles every storage protocol.
GENERIC_PROTOCOL = ""

#: The optional dependency group that installs the built-in dataframe handlers.
DATAFRAME_EXTRA = 'pip install "compile-tasks[dataframe]"'

#: Built-in handler group -> (module, its register function, what it needs, the install command).
HANDLER_GROUPS: dict[str, tuple[str, str, str, str]] = {
    "dataframe": (
        "compiler.types.dataframe_handlers",
        "register_builtin_handlers",
        "pandas and pyarrow",
        DATAFRAME_EXTRA,
    ),
    "polars": (
        "compiler.types.polars_handlers",
        "register_polars_handlers",
        "polars and pyarrow",
        'pip install "compile-tasks[polars]"',
    ),
}

#: flytekit's proto models, which are the flyteidl messages themselves here.
StructuredDatasetType = types_pb2.StructuredDatasetType
StructuredDatasetMetadata = literals_pb2.StructuredDatasetMetadata


class StructuredDatasetFormat:
    """The storage format names (values of ``StructuredDatasetType.format``)."""

    PARQUET = PARQUET
    CSV = CSV
    GENERIC = GENERIC_FORMAT


def protocol_of(uri: str) -> str:
    """The storage protocol of a URI: ``"file"`` for local paths, else its scheme."""
    scheme = urlparse(uri).scheme
    return scheme if len(scheme) > 1 else "file"


#: The ``ctx`` of encoders and decoders (``ctx.file_access``), as for custom transformers.
DatasetContext = TransformerContext


class _Handler:
    """Common part of encoders and decoders: the python type, protocol and format handled."""

    def __init__(
        self, python_type: type, protocol: str | None = None, supported_format: str | None = None
    ) -> None:
        self._python_type = python_type
        self._protocol = (protocol or GENERIC_PROTOCOL).replace("://", "")
        self._supported_format = supported_format or GENERIC_FORMAT

    @property
    def python_type(self) -> type:
        """The dataframe class handled."""
        return self._python_type

    @property
    def protocol(self) -> str:
        """The storage protocol handled (``""``: every protocol)."""
        return self._protocol

    @property
    def supported_format(self) -> str:
        """The storage format handled (``""``: every format)."""
        return self._supported_format

    def __repr__(self) -> str:
        fmt, proto = self.supported_format or "any format", self.protocol or "any protocol"
        return f"<{type(self).__name__} {self.python_type.__name__} {fmt} {proto}>"


class StructuredDatasetEncoder(_Handler):
    """Writes a dataframe of ``python_type`` to storage (subclass it and define ``encode``).

    Args:
        python_type: The dataframe class written.
        protocol: The storage protocol written to (``None``: every protocol, through fsspec).
        supported_format: The format written (``None``: the generic format).
    """

    def encode(
        self,
        ctx: DatasetContext,
        structured_dataset: Any,
        structured_dataset_type: types_pb2.StructuredDatasetType,
    ) -> literals_pb2.StructuredDataset:
        """Write ``structured_dataset.dataframe`` and return the literal pointing at it.

        ``structured_dataset.uri`` is where to write (a fresh local directory unless the user
        gave one); ``structured_dataset_type`` carries the declared columns and the format.
        """
        raise NotImplementedError(f"{type(self).__name__}.encode")


class StructuredDatasetDecoder(_Handler):
    """Reads stored data back into a dataframe of ``python_type`` (define ``decode``).

    Args:
        python_type: The dataframe class produced.
        protocol: The storage protocol read from (``None``: every protocol).
        supported_format: The format read (``None``: the generic format).
        additional_protocols: More protocols this decoder reads (flytekit's argument).
    """

    def __init__(
        self,
        python_type: type,
        protocol: str | None = None,
        supported_format: str | None = None,
        additional_protocols: list[str] | None = None,
    ) -> None:
        super().__init__(python_type, protocol, supported_format)
        self.additional_protocols = list(additional_protocols or [])

    def decode(
        self,
        ctx: DatasetContext,
        flyte_value: literals_pb2.StructuredDataset,
        current_task_metadata: literals_pb2.StructuredDatasetMetadata,
    ) -> Any:
        """Read the dataset at ``flyte_value.uri``; ``current_task_metadata`` holds the
        columns the task declared (read only those when given). May return an iterator of
        dataframes (what ``StructuredDataset.iter()`` gives)."""
        raise NotImplementedError(f"{type(self).__name__}.decode")


HandlerKey = tuple[type, str, str]


class StructuredDatasetTransformerEngine:
    """The process-wide registry of dataset encoders and decoders (class-level, as flytekit's).

    Handlers are looked up by (dataframe class or a base class, protocol, format), falling back
    to the generic protocol and then the generic format.
    """

    ENCODERS: typing.ClassVar[dict[HandlerKey, StructuredDatasetEncoder]] = {}
    DECODERS: typing.ClassVar[dict[HandlerKey, StructuredDatasetDecoder]] = {}
    #: Dataframe class -> the format written when the hint names none.
    DEFAULT_FORMATS: typing.ClassVar[dict[type, str]] = {}
    #: Dataframe class -> the protocol written to when the value names none (unused locally).
    DEFAULT_PROTOCOLS: typing.ClassVar[dict[type, str]] = {}
    _groups_loaded: typing.ClassVar[set[str]] = set()

    @classmethod
    def register(
        cls,
        h: StructuredDatasetEncoder | StructuredDatasetDecoder,
        default_for_type: bool = False,
        override: bool = False,
        default_format_for_type: bool = False,
        default_storage_for_type: bool = False,
    ) -> None:
        """Register an encoder or decoder.

        Args:
            h: The handler.
            default_for_type: Make its format and protocol the defaults of its python type.
            override: Replace a handler already registered for the same key.
            default_format_for_type: Make its format the default of its python type.
            default_storage_for_type: Make its protocol the default of its python type.

        Raises:
            TypeMappingError: CT222 when ``h`` is not a handler, or its key is taken and
                ``override`` is false.
        """
        if isinstance(h, StructuredDatasetEncoder):
            table: dict[HandlerKey, Any] = cls.ENCODERS
        elif isinstance(h, StructuredDatasetDecoder):
            table = cls.DECODERS
        else:
            raise TypeMappingError(
                f"cannot register {h!r}: it is neither a StructuredDatasetEncoder nor a "
                "StructuredDatasetDecoder",
                code="CT222",
                hint="subclass StructuredDatasetEncoder or StructuredDatasetDecoder",
            )
        protocols = [h.protocol]
        if isinstance(h, StructuredDatasetDecoder):
            protocols += [p.replace("://", "") for p in h.additional_protocols]
        for protocol in protocols:
            key = (h.python_type, protocol, h.supported_format)
            current = table.get(key)
            if current is not None and current is not h and not override:
                raise TypeMappingError(
                    f"cannot register {h!r}: {current!r} already handles that dataframe type, "
                    "protocol and format",
                    code="CT222",
                    hint="pass override=True to replace it",
                )
            table[key] = h
        if default_for_type or default_format_for_type:
            cls.DEFAULT_FORMATS[h.python_type] = h.supported_format
        if default_for_type or default_storage_for_type:
            cls.DEFAULT_PROTOCOLS[h.python_type] = h.protocol

    @classmethod
    def registered_types(cls) -> set[type]:
        """The dataframe classes some handler was registered for."""
        return {key[0] for key in (*cls.ENCODERS, *cls.DECODERS)}

    @classmethod
    def default_format(cls, python_type: type) -> str:
        """The format written for ``python_type`` when the hint names none (parquet)."""
        cls.load_builtins(python_type)
        for klass in python_type.__mro__:
            if klass in cls.DEFAULT_FORMATS:
                return cls.DEFAULT_FORMATS[klass]
        return PARQUET

    @classmethod
    def get_encoder(cls, python_type: type, protocol: str, fmt: str) -> StructuredDatasetEncoder:
        """The encoder for a dataframe class, protocol and format.

        Raises:
            TypeMappingError: CT223 when none is registered (CT220 without the dataframe extra).
        """
        return cls._find(cls.ENCODERS, "encoder", python_type, protocol, fmt)

    @classmethod
    def get_decoder(cls, python_type: type, protocol: str, fmt: str) -> StructuredDatasetDecoder:
        """The decoder for a dataframe class, protocol and format (see ``get_encoder``)."""
        return cls._find(cls.DECODERS, "decoder", python_type, protocol, fmt)

    @classmethod
    def _find(
        cls, table: dict[HandlerKey, Any], what: str, python_type: type, protocol: str, fmt: str
    ) -> Any:
        cls.load_builtins(python_type)
        keys = [(protocol, fmt), (GENERIC_PROTOCOL, fmt), (protocol, GENERIC_FORMAT)]
        keys.append((GENERIC_PROTOCOL, GENERIC_FORMAT))
        for klass in python_type.__mro__:
            for key in [(klass, *k) for k in keys]:
                if key in table:
                    return table[key]
        raise TypeMappingError(
            f"no StructuredDataset {what} for {python_type.__name__} in format "
            f"{fmt or '(generic)'!r} and protocol {protocol!r}",
            code="CT223",
            hint=f"register a StructuredDataset{what.capitalize()} for it with "
            "StructuredDatasetTransformerEngine.register(...), or use parquet or csv",
        )

    @classmethod
    def load_builtins(cls, python_type: type | None = None) -> None:
        """Register the built-in handlers of ``python_type``'s library (pandas and pyarrow, or
        polars), once, when a value of theirs is converted.

        Raises:
            TypeMappingError: CT220 when ``python_type`` is a built-in dataframe class and the
                libraries its handlers need are not installed (the message names the extra).
        """
        if python_type is None:
            return
        group = next(
            (
                BUILTIN_FRAMES[frame_key(k)]
                for k in python_type.__mro__
                if frame_key(k) in BUILTIN_FRAMES
            ),
            None,
        )
        if group is None or group in cls._groups_loaded:
            return
        module_name, register, needs, extra = HANDLER_GROUPS[group]
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise TypeMappingError(
                f"converting a {python_type.__name__} needs {needs} ({exc})",
                code="CT220",
                hint=f"install the {group} extra: {extra}",
            ) from None
        cls._groups_loaded.add(group)
        getattr(module, register)(cls)


def iterate(result: Any) -> Iterator[Any]:
    """An iterator over what a decoder returned (a dataframe, or already an iterator)."""
    if isinstance(result, Iterator):
        return result
    return iter([result])
