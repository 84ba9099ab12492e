"""Small shared helpers: atomic file output, stable hashing, deterministic JSON."""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it onto `target` only on success.

    A killed or failing writer therefore never leaves a half-written file that looks complete.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; published files follow umask
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "tolist"):  # numpy scalars and arrays
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if hasattr(obj, "items"):
        return dict(obj.items())
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")


def json_dumps(obj: Any) -> str:
    """Deterministic JSON: sorted keys, fixed indentation, NaN refused, trailing newline."""
    return json.dumps(obj, sort_keys=True, indent=2, default=_json_default, allow_nan=False) + "\n"


def write_json(target: Path, obj: Any) -> None:
    atomic_write_text(target, json_dumps(obj))


def finite_or_none(x: float) -> float | None:
    return x if isinstance(x, (int, float)) and math.isfinite(x) else None


def stable_hash(obj: Any) -> str:
    """SHA-256 of the deterministic JSON form of `obj` (dicts, lists, numbers, strings)."""
    return hashlib.sha256(json_dumps(obj).encode()).hexdigest()


def file_digest(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def to_dbu(microns: float, dbu_per_micron: int) -> int:
    """Convert a length in microns to integer database units (rounding to the nearest unit)."""
    return int(round(microns * dbu_per_micron))
