"""Like-for-like comparisons over a sweep's results: QoR gates per point, pairs of points that
differ only in what is compared, the best dual-sided point, equal-area interpolation.

Every point is checked against the design's QoR rules (rules.json, as `ffet check`) and a floor
of its own (`BASE_GATES`: a clean layout, no router open, no global-routing overflow; a missing
figure fails). A point that fails is shown by the report, marked, and never chosen or compared.

Two points are compared only when they agree on every swept key except the keys that name the
two families (`FAMILY_KEYS`) and the keys one family fixes or ignores (`FREE_KEYS`): FFET
dual-sided against single-sided at the same utilization and the same layer count on each side,
FFET single-sided against CFET at the same utilization and front layer count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ffet_flow.commands.check import violations
from ffet_flow.sweep.table import KEY_PREFIX

FMAX, POWER, AREA = "finish__timing__fmax", "finish__power__total", "design__core__area"
WL_SIDES = ("route__wirelength__front", "route__wirelength__back")
OVF_SIDES = ("globalroute__overflow__front", "globalroute__overflow__back")
CFET, SINGLE, DUAL = "CFET", "FFET single-sided", "FFET dual-sided"
FAMILIES = (CFET, SINGLE, DUAL)

#: gates every point must pass whatever the design's rules say (a missing figure fails)
BASE_GATES: dict[str, dict[str, Any]] = {
    m: {"value": 0, "compare": "=="} for m in (
        "finish__drc__count", "finish__lvs__opens", "finish__lvs__shorts",
        "finish__lvs__unconnected", "route__opens", "globalroute__overflow")}

#: keys whose values name a point's family
FAMILY_KEYS = frozenset({"arch", "tech", "signal_sides"})
#: keys two families may differ in besides FAMILY_KEYS: the input-pin density means nothing
#: without back-side signals (single-sided FFET and CFET treat it as 0); CFET's back stack and
#: cell height belong to the architecture (pdk/cfet.toml), and single-sided FFET's back side
#: carries no signal, so neither back stack is a setting to match
FREE_KEYS: Mapping[tuple[str, str], frozenset[str]] = {
    (DUAL, SINGLE): frozenset({"input_pin_density"}),
    (SINGLE, CFET): frozenset({"input_pin_density", "layers_back", "cell_height_tracks"}),
}
#: the order keys are named in; others follow alphabetically
KEY_ORDER = ("arch", "signal_sides", "layers_front", "layers_back", "input_pin_density",
             "utilization")


def _col(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame[KEY_PREFIX + key]


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers, NaN as None (what `ffet check` sees in metrics.json)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def classify(frame: pd.DataFrame, rules: Mapping[str, Mapping[str, Any]] | None = None
             ) -> pd.DataFrame:
    """Add `family`, `layers` (front), `total_layers`, side totals, and the QoR gates:
    `gates` (the broken ones, '; '-joined, empty when the point passes) and `passes`."""
    f = frame.copy()
    arch = _col(f, "arch") if KEY_PREFIX + "arch" in f else pd.Series("ffet", index=f.index)
    sides = (_col(f, "signal_sides") if KEY_PREFIX + "signal_sides" in f
             else pd.Series("both", index=f.index))
    f["family"] = [(CFET if a == "cfet" else DUAL if s == "both" else SINGLE)
                   for a, s in zip(arch, sides, strict=True)]
    lf = _col(f, "layers_front") if KEY_PREFIX + "layers_front" in f else 12
    lb = _col(f, "layers_back") if KEY_PREFIX + "layers_back" in f else 12
    f["layers"] = pd.Series(lf, index=f.index).fillna(0).astype(int)
    f["total_layers"] = f["layers"] + pd.Series(lb, index=f.index).fillna(0).astype(int)
    # a side total: a side that carries no signal (CFET's and single-sided FFET's back) counts
    # 0 when its figure is missing; a missing figure of a routed side leaves the total missing
    no_back = f["family"] != DUAL
    for name, parts in (("route__wirelength", WL_SIDES), ("globalroute__overflow", OVF_SIDES)):
        present = [c for c in parts if c in f]
        if name not in f and present:
            total = pd.Series(0.0, index=f.index)
            for c in parts:
                v = (f[c] if c in f else pd.Series(float("nan"), index=f.index)).astype(float)
                if c.endswith("__back"):
                    v = v.mask(v.isna() & no_back, 0.0)
                total = total + v
            f[name] = total
    metric_cols = [c for c in f.columns if not c.startswith(KEY_PREFIX)]
    broken = []
    for _i, row in f[metric_cols].iterrows():
        broken.append("; ".join(gate_failures(row, rules or {})))
    f["gates"] = broken
    f["passes"] = (f["status"] == "ok") & (f["gates"] == "")
    return f


def gate_failures(row: pd.Series, rules: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The QoR gates a point breaks: the design's rules, then the base gates they leave out."""
    if row.get("status") != "ok":
        return [f"the run failed: {row.get('error', '')}"]
    metrics = {k: _plain(v) for k, v in row.items()}
    metrics = {k: v for k, v in metrics.items() if v is not None}
    out = violations(metrics, rules)
    out += [v for v in violations(metrics, BASE_GATES) if v not in out]
    return out


def swept_keys(frame: pd.DataFrame) -> list[str]:
    """Keys (without the `key.` prefix) that take more than one value in the table; `tech` only
    when it says more than `arch`."""
    keys = [c[len(KEY_PREFIX):] for c in frame.columns
            if c.startswith(KEY_PREFIX) and frame[c].astype(str).nunique() > 1]
    if "tech" in keys and "arch" in keys and \
            frame[KEY_PREFIX + "tech"].nunique() <= frame[KEY_PREFIX + "arch"].nunique():
        keys.remove("tech")
    return sorted(keys, key=lambda k: (KEY_ORDER.index(k) if k in KEY_ORDER else len(KEY_ORDER),
                                       k))


def shown_keys(frame: pd.DataFrame) -> list[str]:
    """The swept keys a point is named by: those the architecture alone does not fix (CFET's
    cell height and back stack come with pdk/cfet.toml and vary only with `arch`)."""
    keys = swept_keys(frame)
    arch = KEY_PREFIX + "arch"
    if arch not in frame:
        return keys
    groups = frame.groupby(arch)
    return [k for k in keys if k in ("arch", "tech")
            or (groups[KEY_PREFIX + k].nunique() > 1).any()]


def fmt_value(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, float):
        return f"{value:g}"
    return "n/a" if value is None else str(value)


def settings(row: pd.Series, keys: Sequence[str]) -> str:
    """`key=value, ...` of `keys` for one point."""
    return ", ".join(f"{k}={fmt_value(row[KEY_PREFIX + k])}" for k in keys
                     if KEY_PREFIX + k in row)


def match_keys(frame: pd.DataFrame, family: str, base: str) -> list[str]:
    """The swept keys on which a point of `family` and its `base` must agree."""
    free = FAMILY_KEYS | FREE_KEYS[(family, base)]
    return [k for k in swept_keys(frame) if k not in free]


def _named(frame: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    shown = set(shown_keys(frame))
    return [k for k in keys if k in shown]


def _agreeing(row: pd.Series, pool: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    mask = pd.Series(True, index=pool.index)
    for k in keys:
        mask &= pool[KEY_PREFIX + k].astype(str) == str(row[KEY_PREFIX + k])
    return pool[mask]


def _at(shared: str) -> str:
    return f"at {shared}" if shared else "at the same settings"


def _passing(frame: pd.DataFrame, family: str, metric: str = FMAX) -> pd.DataFrame:
    part = frame[(frame["family"] == family) & frame["passes"]]
    return part[part[metric].notna()] if metric in part else part.iloc[0:0]


@dataclass(frozen=True)
class Pair:
    """A point and its like-for-like base point; `shared` names the settings both have."""

    point: pd.Series
    base: pd.Series
    shared: str


def dual_vs_single(frame: pd.DataFrame) -> list[Pair]:
    """For every gate-passing single-sided FFET point, the fastest gate-passing dual-sided point
    at the same settings (utilization, layers on each side, ...), when there is one."""
    keys = match_keys(frame, DUAL, SINGLE)
    dual = _passing(frame, DUAL)
    out = []
    for _i, single in _passing(frame, SINGLE).iterrows():
        same = _agreeing(single, dual, keys)
        if not same.empty:
            out.append(Pair(same.loc[same[FMAX].idxmax()], single,
                            settings(single, _named(frame, keys))))
    return out


def single_vs_cfet(frame: pd.DataFrame) -> list[Pair]:
    """Every gate-passing CFET point with the one gate-passing single-sided FFET point at the
    same settings (utilization, front layers, ...); ambiguous matches are left out."""
    keys = match_keys(frame, SINGLE, CFET)
    single = _passing(frame, SINGLE)
    out = []
    for _i, cfet in _passing(frame, CFET).iterrows():
        same = _agreeing(cfet, single, keys)
        if len(same) == 1:
            out.append(Pair(same.iloc[0], cfet, settings(cfet, _named(frame, keys))))
    return out


@dataclass(frozen=True)
class EqualArea:
    """FFET single-sided fmax interpolated at a CFET point's core area, from single-sided points
    that differ from it only in utilization (so at its layer count)."""

    cfet: pd.Series
    shared: str
    utilizations: tuple[float, ...]
    fmax: float | None
    gain: float | None  # percent
    note: str = ""


def equal_area(frame: pd.DataFrame) -> list[EqualArea]:
    keys = [k for k in match_keys(frame, SINGLE, CFET) if k != "utilization"]
    util = KEY_PREFIX + "utilization"
    out = []
    if AREA not in frame or util not in frame:
        return out
    single = _passing(frame, SINGLE).dropna(subset=[AREA])
    for _i, cfet in _passing(frame, CFET).dropna(subset=[AREA]).iterrows():
        pool = _agreeing(cfet, single, keys).sort_values([AREA, util])
        utils = tuple(float(u) for u in pool[util])
        shared = settings(cfet, _named(frame, keys))
        fmax, note = None, ""
        if pool[AREA].nunique() < 2:
            note = "fewer than two FFET single-sided utilizations at these settings"
        elif pool[AREA].duplicated().any():
            note = "two FFET single-sided points with the same core area"
        elif not pool[AREA].min() <= cfet[AREA] <= pool[AREA].max():
            note = "CFET's core area lies outside the FFET single-sided points' range"
        else:
            fmax = float(np.interp(cfet[AREA], pool[AREA], pool[FMAX]))
        out.append(EqualArea(cfet, shared, utils, fmax, ratio(fmax, cfet[FMAX]), note))
    return out


def ratio(a: Any, b: Any) -> float | None:
    """(a / b - 1) x 100, or None when either is missing or b is 0."""
    a, b = _plain(a), _plain(b)
    if a is None or b is None or not b:
        return None
    return 100.0 * (a / b - 1.0)


def best_point(frame: pd.DataFrame) -> pd.Series | None:
    """The fastest FFET dual-sided point among those that pass every QoR gate."""
    dual = _passing(frame, DUAL)
    return None if dual.empty else dual.loc[dual[FMAX].idxmax()]


def _reference(rows: Sequence[pd.Series]) -> int | None:
    """Index of the CFET reference point among `rows`: the most front layers, then the most
    common utilization of them (the larger on a tie), then the first."""
    if not rows:
        return None
    util = KEY_PREFIX + "utilization"
    top = max(int(r[KEY_PREFIX + "layers_front"]) if KEY_PREFIX + "layers_front" in r else 0
              for r in rows)
    cands = [i for i, r in enumerate(rows)
             if (int(r[KEY_PREFIX + "layers_front"]) if KEY_PREFIX + "layers_front" in r
                 else 0) == top]
    if util in rows[cands[0]]:
        counts = pd.Series([float(rows[i][util]) for i in cands]).value_counts()
        want = max(counts.index, key=lambda u: (counts[u], u))
        cands = [i for i in cands if float(rows[i][util]) == want]
    return cands[0]


@dataclass(frozen=True)
class Comparison:
    what: str
    ours: float | None  # percent
    study: float  # percent
    basis: str  # the points compared, or why there are none


# Reference study, public abstract (arXiv 2501.15275, DATE 2025; shared/DESIGN.md section 1).
STUDY = {
    "core area, equal utilization (FFET single-sided vs CFET)": -23.3,
    "frequency, equal utilization (FFET single-sided vs CFET)": +25.0,
    "power, equal utilization (FFET single-sided vs CFET)": -11.9,
    "frequency, equal core area (FFET single-sided vs CFET)": +16.0,
    "frequency, dual-sided vs single-sided FFET (tuned)": +10.6,
}


def comparisons(frame: pd.DataFrame) -> list[Comparison]:
    """Our figures beside the study's, each from like-for-like gate-passing points."""
    keys = list(STUDY)
    out: list[Comparison] = []
    pairs = single_vs_cfet(frame)
    ref = _reference([p.base for p in pairs])
    if ref is None:
        for k in keys[:3]:
            out.append(Comparison(k, None, STUDY[k], "no gate-passing CFET and FFET "
                                  "single-sided points at the same settings"))
    else:
        p = pairs[ref]
        for k, metric in zip(keys[:3], (AREA, FMAX, POWER), strict=True):
            out.append(Comparison(k, ratio(p.point.get(metric), p.base.get(metric)), STUDY[k],
                                  f"both {_at(p.shared)}"))
    areas = [e for e in equal_area(frame) if e.gain is not None]
    ref = _reference([e.cfet for e in areas])
    if ref is None:
        out.append(Comparison(keys[3], None, STUDY[keys[3]], "needs FFET single-sided points "
                              "at two utilizations around CFET's core area, at its settings"))
    else:
        e = areas[ref]
        out.append(Comparison(keys[3], e.gain, STUDY[keys[3]],
                              f"{_at(e.shared)}; FFET single-sided interpolated between "
                              "utilizations " + ", ".join(f"{u:g}" for u in e.utilizations)))
    duals = dual_vs_single(frame)
    if not duals:
        out.append(Comparison(keys[4], None, STUDY[keys[4]], "no gate-passing dual- and "
                              "single-sided FFET points at the same settings"))
    else:
        best = max(duals, key=lambda p: p.point[FMAX])  # first of equals: table order
        free = ", ".join(f"{k}={fmt_value(best.point[KEY_PREFIX + k])}"
                         for k in sorted(FREE_KEYS[(DUAL, SINGLE)])
                         if KEY_PREFIX + k in best.point)
        out.append(Comparison(keys[4], ratio(best.point[FMAX], best.base[FMAX]),
                              STUDY[keys[4]], f"fastest gate-passing dual-sided point ({free}) "
                              f"against single-sided, both {_at(best.shared)}"))
    return out
