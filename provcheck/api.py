"""The library's one facade: every front end (the CLI, the web service, scripts) calls these.

One function per job: :func:`compare` a pair, :func:`find` and :func:`check` against an archive
index, :func:`cluster` a corpus. :class:`Settings` carries every stage's config; it is the only
settings object, read from TOML with :meth:`Settings.from_toml`. This module is the only place that
opens an :class:`~provcheck.archive.index.Index` (:func:`open_index`) or picks a cluster engine.

>>> report = compare("corpus/001_f774ca4a0bf60419.txt", "corpus/000_4220fd22daa105e4.txt")
>>> report.relation.value
'rewritten'
"""

from __future__ import annotations

import math
import os
import tomllib
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from provcheck.archive.fingerprint import FingerprintConfig
from provcheck.archive.index import Index, IndexConfig, default_db_path
from provcheck.archive.search import Archive, ArchiveConfig, CheckResult, FindResult
from provcheck.archive.trace import Trace, TraceConfig, Tracer, check_max_derived
from provcheck.clustering.config import ClusterConfig, Progress
from provcheck.clustering.result import Clustering
from provcheck.errors import ConfigError, InputError, StoreError
from provcheck.model import Document, Report
from provcheck.pair.align import AlignConfig
from provcheck.pair.comparer import Provcheck, Source
from provcheck.pair.diagnose import DiagnoseConfig
from provcheck.pair.score import ScoreConfig
from provcheck.text.normalize import NormalizeConfig
from provcheck.text.read import ReadConfig
from provcheck.text.segment import SegmentConfig

__all__ = [
    "Engine",
    "Settings",
    "canonical_path",
    "check",
    "cluster",
    "compare",
    "find",
    "open_archive",
    "open_index",
    "trace",
    "write_cluster_report",
    "write_kept",
]

Engine = Literal["local", "spark"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Every stage's config in one object; defaults are the tuned values.

    ``fingerprint`` is the one fingerprint config: the index and the cluster engines both use it, and
    an index stores its digest (opening it with other values is a :class:`ConfigError`)."""

    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    diagnose: DiagnoseConfig = field(default_factory=DiagnoseConfig)
    score: ScoreConfig = field(default_factory=ScoreConfig)
    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    index: IndexConfig = field(default_factory=IndexConfig)
    archive: ArchiveConfig = field(default_factory=ArchiveConfig)
    trace: TraceConfig = field(default_factory=TraceConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    encoding: str | None = None  # force an input encoding instead of detecting it (wins over read.encoding)
    read: ReadConfig = field(default_factory=ReadConfig)  # errors = strict|replace, max_bytes per document

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """Read the tables ``[read]``, ``[normalize]``, ``[segment]``, ``[align]``, ``[diagnose]``,
        ``[score]``, ``[fingerprint]``, ``[index]`` (and ``[index.passages]``), ``[archive]``, ``[trace]``
        and ``[cluster]`` onto the defaults.

        Unknown names, values of the wrong type, out-of-range values and a ``cue_dir`` that does not
        exist are a :class:`ConfigError`; a relative ``cue_dir`` is taken from the file's folder."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings {path}: {_one_line(exc)}") from None
        for table in ("index", "cluster"):  # the older spelling [index.fingerprint] names the one config
            sub = data.get(table)
            if isinstance(sub, dict) and "fingerprint" in sub:
                if "fingerprint" in data and data["fingerprint"] != sub["fingerprint"]:
                    raise ConfigError(
                        f"[{table}.fingerprint] and [fingerprint] disagree; keep only [fingerprint]"
                    )
                data["fingerprint"] = sub.pop("fingerprint")
        settings: Settings = _apply(cls(), data, "")
        cue_dir = settings.diagnose.cue_dir
        if cue_dir is not None:
            where = Path(cue_dir) if Path(cue_dir).is_absolute() else Path(path).resolve().parent / cue_dir
            if not where.is_dir():
                raise ConfigError(f"[diagnose] cue_dir {cue_dir}: no such folder")
            settings = replace(settings, diagnose=replace(settings.diagnose, cue_dir=str(where)))
        return settings

    def read_config(self) -> ReadConfig:
        """How input is read: ``[read]`` with ``encoding`` applied."""
        return replace(self.read, encoding=self.encoding) if self.encoding else self.read

    def index_config(self) -> IndexConfig:
        """The index's config with this object's fingerprint, normalization and reading."""
        return replace(
            self.index, fingerprint=self.fingerprint, normalize=self.normalize, read=self.read_config()
        )

    def cluster_config(self) -> ClusterConfig:
        """The cluster config with this object's fingerprint."""
        return replace(self.cluster, fingerprint=self.fingerprint)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _apply(obj: Any, table: dict[str, Any], where: str) -> Any:
    """``obj`` (a frozen dataclass) with the values of a TOML table; nested tables recurse."""
    known = {f.name: getattr(obj, f.name) for f in fields(obj)}
    hints = get_type_hints(type(obj))
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(f"unknown setting(s) in [{where or 'settings'}]: {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{where}.{key}" if where else key
        if is_dataclass(known[key]):
            if not isinstance(value, dict):
                raise ConfigError(f"{name} must be a table [{name}]")
            changes[key] = _apply(known[key], value, name)
        elif isinstance(value, dict):
            raise ConfigError(f"[{name}] is not a settings table")
        else:
            changes[key] = _coerce(value, hints[key], name)
    try:
        return replace(obj, **changes)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad settings in [{where or 'settings'}]: {_one_line(exc)}") from None


def _coerce(value: Any, hint: Any, name: str) -> Any:
    """``value`` checked against the field's type (TOML arrays become tuples); else a ConfigError."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        for option in options:
            try:
                return _coerce(value, option, name)
            except ConfigError:
                continue
        raise ConfigError(f"{name} = {value!r}: expected {' or '.join(_type_name(o) for o in options)}")
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{name} = {value!r}: expected a list")
        args = get_args(hint)
        item = args[0] if args else Any
        return tuple(_coerce(v, item, f"{name}[{k}]") for k, v in enumerate(value))
    if hint is Any:
        return value
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        value = float(value) if ok else value
    elif hint is str:
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, hint) if isinstance(hint, type) else True
    if not ok:
        raise ConfigError(f"{name} = {value!r}: expected {_type_name(hint)}")
    return value


def _type_name(hint: Any) -> str:
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
    return names.get(hint, getattr(hint, "__name__", str(hint)))


# -- one pair --------------------------------------------------------------------------------------


def compare(source: Source, suspect: Source, settings: Settings | None = None) -> Report:
    """Compare one suspect to one source (paths or :class:`Document`)."""
    return Provcheck(settings or Settings()).compare(source, suspect)


# -- the archive index -----------------------------------------------------------------------------


def open_index(
    db: str | Path | None = None,
    settings: Settings | None = None,
    *,
    create: bool = False,
    readonly: bool = False,
) -> Index:
    """Open the index ``db`` (default ``$PROVCHECK_DB``, else ``./provcheck.db``) with the settings'
    fingerprint config. Only ``create=True`` (``index add``, ``index init``) makes a new file; reading
    a missing or empty file is a :class:`StoreError`. ``readonly=True`` opens it only to read (SQLite
    ``mode=ro``), so an archive on a read-only medium can be searched; every command that only reads
    (find, check, cluster --db, the web service) opens it so."""
    path = Path(db or default_db_path())
    if not create:
        if not path.exists():
            raise StoreError(
                f"{path}: no such index database (create it with: provcheck index add FILES --db {path})"
            )
        if path.is_file() and path.stat().st_size == 0:
            raise StoreError(
                f"{path}: empty file, not an index (create one with: provcheck index init --db {path})"
            )
    return Index(
        path, (settings or Settings()).index_config(), create=create, readonly=readonly and not create
    )


def canonical_path(path: str | Path) -> str:
    """The one spelling of a file's id in an index: ``corpus/x``, ``./corpus/x`` and ``/abs/corpus/x``
    are the same document. Paths inside the current folder are relative to it (``corpus/x``), others
    absolute; symbolic links and ``..`` are resolved. ``-`` (standard input) stays as it is."""
    if str(path) == "-":
        return "-"
    real = Path(os.path.realpath(path))
    try:
        return real.relative_to(Path(os.path.realpath(Path.cwd()))).as_posix()
    except ValueError:
        return str(real)


@contextmanager
def open_archive(db: str | Path | None = None, settings: Settings | None = None) -> Iterator[Archive]:
    """An open index plus a comparison session, for many :meth:`Archive.find`/``check`` calls."""
    settings = settings or Settings()
    with open_index(db, settings, readonly=True) as index:
        yield Archive(index, Provcheck(settings), settings.archive)


def find(
    suspect: Source, db: str | Path | None = None, k: int = 5, settings: Settings | None = None
) -> FindResult:
    """Stored documents the suspect derives from (or that derive from it), best first."""
    with open_archive(db, settings) as archive:
        return archive.find(suspect, k)


def check(
    suspect: Source,
    db: str | Path | None = None,
    fail_on: str | Iterable[str] = (),
    max_score: float | None = None,
    settings: Settings | None = None,
    max_derived: float | None = None,
) -> CheckResult:
    """Find the best source of ``suspect`` and apply the gate to its report. With ``max_derived``
    the suspect is also traced (:func:`trace`) and fails when the union share derived from the
    archive exceeds it (``derived`` holds that share)."""
    settings = settings or Settings()
    check_max_derived(max_derived)
    with open_archive(db, settings) as archive:
        result = archive.check(suspect, fail_on, max_score)
        if max_derived is None:
            return result
        derived = Tracer(archive, settings.trace).trace(suspect).derived
    reason = result.reason
    if derived > max_derived:
        reason = "; ".join(r for r in (reason, f"derived {derived:.3f} > {max_derived}") if r)
    return replace(result, reason=reason, derived=derived)


def trace(suspect: Source, db: str | Path | None = None, settings: Settings | None = None) -> Trace:
    """Every passage of ``suspect`` with the archived documents it comes from, each source's share
    and the union share derived (:class:`~provcheck.archive.trace.Trace`). An empty index traces
    nothing: ``derived`` 0."""
    settings = settings or Settings()
    with open_archive(db, settings) as archive:
        return Tracer(archive, settings.trace).trace(suspect)


# -- clustering ------------------------------------------------------------------------------------


def cluster(
    paths: Sequence[str] = (),
    *,
    db: str | Path | None = None,
    inputs: Sequence[str] = (),
    settings: Settings | None = None,
    engine: Engine = "local",
    master: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Clustering:
    """Group copies among files and folders (``paths``), the documents of an index (``db``) and
    record files (``inputs``: JSONL or Parquet), and name each group's original.

    ``engine`` is ``local`` (processes on this machine) or ``spark`` (PySpark, the ``spark`` extra;
    ``master`` as for spark-submit). Both give the same result."""
    settings = settings or Settings()
    if not paths and db is None and not inputs:
        raise InputError("nothing to cluster: give files or folders, --db or --input")
    config = settings.cluster_config()
    with _maybe_index(db, settings) as index:
        if engine == "spark":
            from provcheck.clustering.spark import cluster_spark

            return cluster_spark(
                paths,
                index=index,
                inputs=inputs,
                settings=settings,
                config=config,
                master=master,
                on_progress=on_progress,
            )
        if engine != "local":
            raise ConfigError(f"unknown cluster engine {engine!r}; choose local or spark")
        from provcheck.clustering.local import cluster_paths

        return cluster_paths(
            paths, index=index, inputs=inputs, settings=settings, config=config, on_progress=on_progress
        )


def write_cluster_report(
    result: Clustering,
    out: str | Path,
    paths: Sequence[str] = (),
    *,
    db: str | Path | None = None,
    inputs: Sequence[str] = (),
    settings: Settings | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Clustering:
    """Write the report folder of a :func:`cluster` result (reads the same input again) and return
    the result as written: its ``skipped`` also names every member left without a report (a file
    that changed or vanished between the two readings). The folder is replaced whole at the end."""
    from provcheck.clustering.inputs import iter_input
    from provcheck.report.reportdir import write_report_dir

    settings = settings or Settings()
    with _maybe_index(db, settings) as index:
        again = iter_input(  # what cannot be read again is named by write_report_dir, member by member
            paths,
            index=index,
            inputs=inputs,
            skipped=[],
            encoding=settings.encoding,
            config=settings.read,
        )
        return write_report_dir(result, again, out, settings, on_progress)


def write_kept(
    result: Clustering,
    out: str | Path,
    paths: Sequence[str] = (),
    *,
    db: str | Path | None = None,
    inputs: Sequence[str] = (),
    settings: Settings | None = None,
) -> int:
    """Write the corpus back deduplicated (each group's original and every ungrouped document, with its
    group id) to ``out``, ``.jsonl`` or ``.parquet``; reads the same input again. Returns how many."""
    from provcheck.report.dedup import write_kept as write

    settings = settings or Settings()
    with _maybe_index(db, settings) as index:
        return write(
            result, out, paths, index=index, inputs=inputs, encoding=settings.encoding, read=settings.read
        )


@contextmanager
def _maybe_index(db: str | Path | None, settings: Settings) -> Iterator[Index | None]:
    if db is None:
        yield None
        return
    with open_index(db, settings, readonly=True) as index:
        yield index


def read(item: str | Path, settings: Settings | None = None) -> Document:
    """Read one file as provcheck does (decoding, HTML extraction)."""
    return Provcheck(settings or Settings()).read(item)
