"""Pinned files parsed once, kept column by column and keyed by each file's sha256.

Parsing the pinned spreadsheets and R files takes seconds, and every chapter
and every run is a new process. A parsing function decorated with
:func:`cached` takes the file's ``path`` and ``sha256``; the frame it returns
is written once under ``.cache/columnar/`` and read back by every later
process, notebook or run. Rules:

- an entry's key hashes the function, its arguments (the file's sha256
  among them, its location not), the source of every module of the package
  and the versions of the parsing libraries: another edition of a file, or a
  change to the code, makes a new entry and removes the old one;
- each entry stores the sha256 of its own bytes beside them, checked on every
  read; an entry that is missing, altered or half-written is parsed again and
  rewritten, never used;
- entries are written to a temporary file and renamed into place, so two
  processes that parse the same file at once never see each other's half.

The columns are stored as NumPy arrays in an ``.npz`` file (text columns
dictionary-encoded), read without pickle. Parquet would need pyarrow, and
merely installing pyarrow switches pandas' text columns to Arrow storage for
the whole project, which moved results in their last digits (chapters 5 and 9
no longer matched their committed outputs).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import io
import json
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.files import input_digest, write_atomically

PARSING_LIBRARIES = ("pandas", "numpy", "pyreadr", "python-calamine", "pycountry")
DIGEST_SUFFIX = ".sha256"
ENTRY_SUFFIX = ".npz"
_NUMBER_KINDS = ("int64", "float64", "bool")


@functools.cache
def code_version() -> str:
    """sha256 of the source of every module of the package and of the parsing libraries' versions.

    Every module, not only those a parser imports: walking the imports costs half a second per
    process, and already reaches most of the package (through the data package's loaders).
    """
    parts = {
        str(file.relative_to(paths.PACKAGE_DIR)): input_digest(str(file))
        for file in sorted(paths.PACKAGE_DIR.rglob("*.py"))
    }
    parts |= {library: metadata.version(library) for library in PARSING_LIBRARIES}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def entry_path(function, arguments: dict) -> Path:
    """Where the frame of ``function`` called with ``arguments`` is kept (whether or not it is there yet)."""
    name = f"{function.__module__}.{function.__qualname__}"
    key = hashlib.sha256(
        json.dumps(
            {
                "function": name,
                "arguments": {key: str(value) for key, value in arguments.items() if key != "path"},
                "code": code_version(),
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()
    return paths.COLUMNAR_CACHE_DIR / f"{name}--{Path(arguments['path']).name}--{key}{ENTRY_SUFFIX}"


def to_bytes(frame: pd.DataFrame) -> bytes:
    """A frame of int64, float64, bool and text columns, with an integer index, as the bytes of an .npz file."""
    if frame.index.nlevels != 1 or str(frame.index.dtype) != "int64":
        raise TypeError(f"only a frame with one integer index can be cached; this one has {frame.index.dtype}.")
    arrays, layout = {"index": frame.index.to_numpy()}, []
    for position, (name, column) in enumerate(frame.items()):
        kind = str(column.dtype)
        if kind in _NUMBER_KINDS:
            arrays[f"{position}"] = column.to_numpy()
        elif kind == "str":
            codes, values = pd.factorize(column)  # missing -> -1
            arrays[f"{position}.codes"] = codes.astype("int32")
            arrays[f"{position}.values"] = values.to_numpy(dtype=str)
        else:
            raise TypeError(f"column {name!r} has the dtype {kind}; the cache keeps {_NUMBER_KINDS} and str.")
        layout.append([name, kind])
    arrays["layout"] = np.array(json.dumps(layout))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def from_bytes(content: bytes) -> pd.DataFrame:
    with np.load(io.BytesIO(content), allow_pickle=False) as stored:
        columns = {}
        for position, (name, kind) in enumerate(json.loads(str(stored["layout"]))):
            if kind in _NUMBER_KINDS:
                columns[name] = pd.Series(stored[f"{position}"], dtype=kind)
                continue
            codes, values = stored[f"{position}.codes"], stored[f"{position}.values"].astype(object)
            text = np.full(len(codes), np.nan, dtype=object)
            text[codes >= 0] = values[codes[codes >= 0]]
            columns[name] = pd.Series(text, dtype="str")
        return pd.DataFrame(columns).set_axis(pd.Index(stored["index"]), axis=0)


def _read(entry: Path) -> pd.DataFrame | None:
    try:
        content = entry.read_bytes()
        recorded = entry.with_name(entry.name + DIGEST_SUFFIX).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if hashlib.sha256(content).hexdigest() != recorded:
        return None  # altered, or caught between two writes: parsed again, never used
    return from_bytes(content)


def _write(entry: Path, frame: pd.DataFrame) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    content = to_bytes(frame)
    digest = hashlib.sha256(content).hexdigest().encode()
    write_atomically({entry: content, entry.with_name(entry.name + DIGEST_SUFFIX): digest}, result=False)
    stem = entry.name.rsplit("--", 1)[0]
    for older in entry.parent.glob(f"{stem}--*{ENTRY_SUFFIX}"):  # the same function and file, another edition or reader
        if older != entry:
            older.unlink(missing_ok=True)
            older.with_name(older.name + DIGEST_SUFFIX).unlink(missing_ok=True)


def cached(function):
    """Keep ``function``'s frame on disk, keyed by its ``sha256`` argument; once per process in memory too."""
    signature = inspect.signature(function)
    missing = sorted({"path", "sha256"} - set(signature.parameters))
    if missing:
        raise TypeError(
            f"{function.__qualname__} lacks the parameters {missing}; the cache is keyed by the file's hash."
        )
    in_memory: dict[tuple, pd.DataFrame] = {}

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        arguments = signature.bind(*args, **kwargs).arguments
        call = tuple((key, str(value)) for key, value in arguments.items())
        if call not in in_memory:
            entry = entry_path(function, arguments)
            frame = _read(entry)
            if frame is None:
                frame = function(*args, **kwargs)
                try:
                    _write(entry, frame)
                except OSError:
                    pass  # a read-only checkout still reads its data; every process parses it again
            in_memory[call] = frame
        return in_memory[call]

    wrapper.uncached = function
    wrapper.forget = in_memory.clear  # as if the next call came from a new process
    return wrapper
