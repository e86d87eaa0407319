"""Effective configuration: ``[tool.compile-tasks]`` < ``compile-tasks.yaml`` < flags.

Only the CLI reads configuration. Each source is a flat mapping with the keys of
:data:`KEYS`; dashes and underscores in keys are interchangeable. Relative paths in a file are
relative to that file's folder. ``image`` values follow ``--image`` (``URI`` or ``NAME=URI``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from compiler.errors import CompileErrors, CompileTasksError, ConfigError, SourceLocation
from compiler.pyproject import find_pyproject, read_tool_table
from compiler.records import frozen_record
from compiler.settings import ImageConfig, SerializationSettings, parse_image_specs

__all__ = [
    "CONFIG_FILE_NAME",
    "KEYS",
    "CompileConfig",
    "load_config",
]

#: The longest ``import_timeout`` accepted (a day): the interval timer overflows far beyond it.
MAX_IMPORT_TIMEOUT = 86400

CONFIG_FILE_NAME = "compile-tasks.yaml"
_PATH_KEYS = ("paths", "out", "source_root", "golden", "cache")
#: Names the compile cache folder when neither ``--cache-dir`` nor ``cache`` does.
CACHE_DIR_ENV = "COMPILE_TASKS_CACHE_DIR"

#: Accepted keys and a short description of their type (for error messages).
KEYS: dict[str, str] = {
    "paths": "a list of package folders or .py files",
    "out": "a folder path",
    "image": "an image URI, NAME=URI, or a list of them",
    "images": "a mapping of image name to URI",
    "env": "a mapping of variable name to value",
    "project": "a string",
    "domain": "a string",
    "version": "a string",
    "allow_pickle": "true or false",
    "import_timeout": "a number of seconds",
    "source_root": "a folder path",
    "jobs": "a number of worker processes (0: one per core)",
    "golden": "a golden folder path (as --golden)",
    "cache": "true/false, or the compile cache folder (as --cache-dir)",
    # Read by local execution (compiler.local_cache), validated here so a typo fails early.
    "local_cache": "true/false, a cache folder, or a table with enabled, dir, mode",
    # Read by the golden review (compiler.golden.accept): acknowledged breaking changes.
    "accept_breaking": "a list of {entity: NAME, rule: RULE} entries",
}


@frozen_record
class CompileConfig:
    """Everything the compile command uses, after merging all sources.

    Attributes:
        paths: Package folders / module files to compile.
        out: Output folder, if any.
        images: ``--image`` specs (``URI`` or ``NAME=URI``), in order.
        env: Environment for every container.
        project: Id project (empty: flytectl fills it).
        domain: Id domain.
        version: Id version.
        allow_pickle: Allow pickled types.
        import_timeout: Seconds one module may take to import.
        source_root: Override the detected source root.
        jobs: Worker processes for serializing and writing (0: automatic).
        golden: The golden folder to compare every compile with (``--golden``), if any.
        cache: The compile cache: ``True`` (the default folder, :meth:`cache_folder`), a
            folder, or ``False`` (``--no-cache``).
        sources: The configuration files that were read, lowest precedence first.
    """

    paths: tuple[str, ...] = ()
    out: str | None = None
    images: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    project: str = ""
    domain: str = ""
    version: str = ""
    allow_pickle: bool = False
    import_timeout: float | None = None
    source_root: str | None = None
    jobs: int = 0
    golden: str | None = None
    cache: bool | str = True
    sources: tuple[str, ...] = ()
    accept_breaking: tuple[Any, ...] = ()

    def settings(self) -> SerializationSettings:
        """The serialization settings these options describe."""
        return SerializationSettings(
            image_config=ImageConfig.from_specs(self.images),
            env=dict(self.env),
            project=self.project,
            domain=self.domain,
            version=self.version,
            allow_pickle=self.allow_pickle,
        )

    def cache_folder(self) -> Path | None:
        """The compile cache folder: ``cache`` when a folder, else ``$COMPILE_TASKS_CACHE_DIR``,
        else ``compile-tasks`` in the user's cache folder (``$XDG_CACHE_HOME``, by default
        ``~/.cache``); ``None`` when the cache is off."""
        if self.cache is False:
            return None
        if isinstance(self.cache, str):
            return Path(self.cache)
        named = os.environ.get(CACHE_DIR_ENV)
        if named:
            return Path(os.path.abspath(named))
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(os.path.abspath(base)) / "compile-tasks"

    def to_dict(self) -> dict[str, Any]:
        """A plain view for ``--show-config``, keys in a fixed order."""
        return {
            "config_files": list(self.sources),
            "paths": list(self.paths),
            "out": self.out,
            "source_root": self.source_root,
            "import_timeout": self.import_timeout,
            "jobs": self.jobs,
            "golden": self.golden,
            "cache": self.cache,
            "settings": self.settings().to_dict(),
        }


def _bad(key: str, source: str, what: str = "") -> ConfigError:
    expected = KEYS.get(key, "")
    return ConfigError(
        f"'{key}' {'in ' + source + ' ' if source == 'flags' else ''}"
        f"{what or f'must be {expected}'}",
        code="CT811",
        hint=f"write {key}: <{expected}>" if expected else "see docs/cli.md for the keys",
        location=SourceLocation(source) if os.path.exists(source) else None,
    )


def _string_map(key: str, value: Any, source: str) -> dict[str, str]:
    if isinstance(value, list):  # env as ["K=V", ...]
        pairs = [str(v).partition("=") for v in value]
        if not all(sep for _, sep, _ in pairs):
            raise _bad(key, source)
        return {k: v for k, _, v in pairs}
    if not isinstance(value, Mapping):
        raise _bad(key, source)
    if any(isinstance(v, Mapping | list) for v in value.values()):
        raise _bad(key, source)
    if key == "images" and any(not str(k).strip() or v in (None, "") for k, v in value.items()):
        raise _bad(key, source, "needs a name and a URI for every image")
    return {str(k): "" if v is None else _scalar_text(v) for k, v in value.items()}


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _normalise(
    raw: Mapping[str, Any], source: str, base: Path, problems: list[CompileTasksError]
) -> dict[str, Any]:
    """Validate one source's mapping and convert it to typed values.

    Every bad key or value is appended to ``problems`` (and left out of the result), so that
    one run reports all of them.
    """
    out: dict[str, Any] = {}
    for raw_key, value in raw.items():
        key = str(raw_key).replace("-", "_")
        if key not in KEYS:
            problems.append(
                ConfigError(
                    f"unknown configuration key '{raw_key}'",
                    code="CT810",
                    hint=_did_you_mean(key) + "known keys: " + ", ".join(sorted(KEYS)),
                    location=(
                        SourceLocation(source, _key_line(source, str(raw_key)))
                        if os.path.exists(source)
                        else None
                    ),
                )
            )
            continue
        try:
            out[key] = _typed(key, value, source, base)
        except CompileTasksError as exc:
            found = exc.errors if isinstance(exc, CompileErrors) else [exc]
            problems.extend(
                _at_line(error, source, _key_line(source, str(raw_key))) for error in found
            )
    return out


def _at_line(error: CompileTasksError, source: str, line: int) -> CompileTasksError:
    """``error`` located at ``line`` of ``source`` when it points at that file without a line."""
    if line and error.location is not None and error.location.file == source:
        error.location = SourceLocation(source, line)
    return error


def _key_line(source: str, key: str) -> int:
    """The line of a top-level ``key`` in a YAML file or ``[tool.compile-tasks]`` (0: unknown)."""
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    spellings = {key, key.replace("_", "-"), key.replace("-", "_")}
    in_table = not source.endswith(".toml")
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if source.endswith(".toml") and text.startswith("["):
            in_table = text.replace(" ", "") in ("[tool.compile-tasks]", '[tool."compile-tasks"]')
            continue
        if not in_table or line[:1].isspace():
            continue
        name = text.split("=" if source.endswith(".toml") else ":", 1)[0].strip().strip("'\"")
        if name in spellings:
            return number
    return 0


def _did_you_mean(key: str) -> str:
    import difflib  # only for a misspelled key

    close = difflib.get_close_matches(key, list(KEYS), n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def _typed(key: str, value: Any, source: str, base: Path) -> Any:
    if key == "accept_breaking":
        from compiler.golden import parse_accepted  # only when the key is used

        return parse_accepted(value, source)
    if key == "local_cache":
        from compiler.local_cache import parse_setting  # loads flyteidl: only when set

        parse_setting(value, base, source)
        return value
    if key in ("images", "env"):
        return _string_map(key, value, source)
    if key in ("paths", "image"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise _bad(key, source)
        if key == "paths":
            return [str(base / v) if not os.path.isabs(v) else v for v in items]
        return items
    if key == "allow_pickle":
        if not isinstance(value, bool):
            raise _bad(key, source)
        return value
    if key == "cache" and isinstance(value, bool):
        return value
    if key == "jobs":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _bad(key, source, "must be a number of worker processes (0: one per core)")
        return value
    if key == "import_timeout":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 < value <= MAX_IMPORT_TIMEOUT
        ):
            raise _bad(
                key, source, f"must be a positive number of seconds, at most {MAX_IMPORT_TIMEOUT}"
            )
        return float(value)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _bad(key, source)
    text = str(value)
    if key in _PATH_KEYS and not os.path.isabs(text):
        return str(base / text)
    return text


def _read_yaml(path: Path) -> dict[str, Any]:
    # Imported here: most runs have no config file, and PyYAML is a tenth of the start-up.
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"cannot read config file '{path}': {exc.strerror or exc}",
            code="CT812",
            hint="check the --config path",
            location=SourceLocation(str(path)),
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file is not UTF-8 text: {exc.reason} at byte {exc.start}",
            code="CT812",
            hint="save the file as UTF-8",
            location=SourceLocation(str(path)),
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(
            f"config file is not valid YAML: {reason}",
            code="CT812",
            hint="fix the YAML syntax",
            location=SourceLocation(str(path), mark.line + 1 if mark else 0),
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            "config file must hold a mapping of settings",
            code="CT812",
            hint="write one 'key: value' per line, e.g. 'image: registry/app:1.0'",
            location=SourceLocation(str(path), 1),
        )
    return data


def _image_specs(value: Any) -> tuple[str | None, dict[str, str]]:
    """``parse_image_specs``, raising every malformed spec of ``value`` at once."""
    specs = [value] if isinstance(value, str) else list(value)
    bad: list[CompileTasksError] = []
    good = []
    for spec in specs:
        try:
            parse_image_specs([spec])
        except CompileTasksError as exc:
            bad.append(exc)
        else:
            good.append(spec)
    try:
        parsed = parse_image_specs(good)  # what only the specs together can break (CT802)
    except CompileTasksError as exc:
        bad.append(exc)
    if bad:
        raise bad[0] if len(bad) == 1 else CompileErrors(bad)
    return parsed


def _merge(
    layers: Sequence[Mapping[str, Any]], problems: list[CompileTasksError]
) -> dict[str, Any]:
    """Later layers win key by key; ``images``/``env`` merge by name, ``image`` is split.

    A bad image spec is appended to ``problems`` (with every other one).
    """
    merged: dict[str, Any] = {"images": {}, "env": {}}
    for layer in layers:
        for key, value in layer.items():
            if key == "image":
                try:
                    default, named = _image_specs(value)
                except CompileTasksError as exc:
                    problems.extend(exc.errors if isinstance(exc, CompileErrors) else [exc])
                    continue
                merged["images"].update(named)
                if default is not None:
                    merged["default_image"] = default
            elif key in ("images", "env"):
                merged[key].update(
                    {k.lower(): v for k, v in value.items()} if key == "images" else value
                )
            else:
                merged[key] = value
    return merged


def load_config(flags: Mapping[str, Any], *, config_file: str | None, cwd: Path) -> CompileConfig:
    """Merge ``pyproject.toml``, the YAML config file and the flags (highest precedence).

    Args:
        flags: Values given on the command line (``None`` / empty ones are ignored); keys as in
            :data:`KEYS`, ``image`` a list of specs and ``env`` a mapping.
        config_file: ``--config`` path; ``None`` means ``compile-tasks.yaml`` in ``cwd`` if any.
        cwd: The working folder.

    Raises:
        ConfigError: A file cannot be read or holds an unknown key or a badly typed value.
        CompileErrors: Several such problems (every one of every file is reported at once).
    """
    problems: list[CompileTasksError] = []
    layers: list[dict[str, Any]] = []
    sources: list[str] = []
    try:
        pyproject = find_pyproject(cwd)
        table = read_tool_table(pyproject) if pyproject is not None else None
    except CompileTasksError as exc:
        problems.append(exc)
    else:
        if pyproject is not None and table:
            layers.append(_normalise(table, str(pyproject), pyproject.parent, problems))
            sources.append(str(pyproject))
    yaml_path = Path(config_file) if config_file else cwd / CONFIG_FILE_NAME
    if config_file or yaml_path.is_file():
        yaml_path = Path(os.path.abspath(yaml_path))
        try:
            data = _read_yaml(yaml_path)
        except CompileTasksError as exc:
            problems.append(exc)
        else:
            layers.append(_normalise(data, str(yaml_path), yaml_path.parent, problems))
            sources.append(str(yaml_path))
    layers.append({k: v for k, v in flags.items() if v not in (None, (), [], {}, False)})
    merged = _merge(layers, problems)
    if problems:
        raise problems[0] if len(problems) == 1 else CompileErrors(problems)
    return _config(merged, sources)


def _config(merged: Mapping[str, Any], sources: Sequence[str]) -> CompileConfig:
    images = [merged["default_image"]] if "default_image" in merged else []
    images += [f"{name}={uri}" for name, uri in merged.get("images", {}).items()]
    timeout = merged.get("import_timeout")
    return CompileConfig(
        paths=tuple(merged.get("paths", ())),
        out=merged.get("out"),
        images=tuple(images),
        env=dict(merged.get("env", {})),
        project=merged.get("project", ""),
        domain=merged.get("domain", ""),
        version=merged.get("version", ""),
        allow_pickle=bool(merged.get("allow_pickle", False)),
        import_timeout=float(timeout) if timeout else None,
        source_root=merged.get("source_root"),
        jobs=int(merged.get("jobs", 0)),
        golden=merged.get("golden"),
        cache=merged.get("cache", True),
        sources=tuple(sources),
        accept_breaking=tuple(merged.get("accept_breaking", ())),
    )
