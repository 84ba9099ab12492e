"""The sweep's results table: one row per variant, its keys and every metric.

`results.csv` / `results.parquet` hold what the variants computed, which is deterministic;
wall-clock figures (`seconds`, any metric ending in `seconds`) go to `timings.csv`, so two runs
of the same sweep (any executor, any worker count, interrupted or not) give identical results
tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ffet_flow.util import atomic_path

KEY_PREFIX = "key."


def _is_timing(name: str) -> bool:
    return name == "seconds" or name.endswith("seconds")


def records_frame(records: Sequence[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, timings = [], []
    for rec in records:
        row: dict[str, Any] = {"variant": rec["variant"], "status": rec["status"],
                               "error": rec.get("error", "")}
        for k, v in sorted(rec.get("keys", {}).items()):
            row[KEY_PREFIX + k] = ",".join(map(str, v)) if isinstance(v, (list, tuple)) else v
        trow: dict[str, Any] = {"variant": rec["variant"], "seconds": rec.get("seconds", 0.0)}
        for k, v in sorted(rec.get("metrics", {}).items()):
            if isinstance(v, (dict, list)):
                continue  # nested structures stay in the variant's own metrics.json
            (trow if _is_timing(k) else row)[k] = v
        rows.append(row)
        timings.append(trow)
    frame = pd.DataFrame(rows)
    fixed = ["variant", "status", "error"]
    keys = sorted(c for c in frame.columns if c.startswith(KEY_PREFIX))
    metrics = sorted(c for c in frame.columns if c not in fixed and c not in keys)
    return frame[fixed + keys + metrics], pd.DataFrame(timings)


def write_tables(records: Sequence[dict[str, Any]], out_dir: Path) -> dict[str, Path]:
    frame, timings = records_frame(records)
    paths = {"csv": out_dir / "results.csv", "parquet": out_dir / "results.parquet",
             "timings": out_dir / "timings.csv"}
    with atomic_path(paths["csv"]) as tmp:
        frame.to_csv(tmp, index=False)
    with atomic_path(paths["parquet"]) as tmp:
        frame.to_parquet(tmp, index=False)
    with atomic_path(paths["timings"]) as tmp:
        timings.to_csv(tmp, index=False)
    return paths


def read_results(path: Path) -> pd.DataFrame:
    path = Path(path)
    if path.is_dir():
        path = path / "results.parquet"
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
