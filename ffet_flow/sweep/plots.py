"""The sweep report's plots (PNG + SVG, byte-identical for identical tables).

A line plot draws one series per distinct combination of every other swept key within a family
(the legend names it), so a line never joins points that differ in anything but its x axis; a
layer key that equals the x axis (`layers_back` = `layers_front` in a symmetric stack sweep)
is named as that relation. Lines join gate-passing points only; a point that fails a QoR gate
is drawn as a cross. Values are in the report tables' units: GHz, mW, um, um^2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ffet_flow.sweep.compare import (
    FAMILIES,
    FAMILY_KEYS,
    FMAX,
    KEY_ORDER,
    POWER,
    fmt_value,
)
from ffet_flow.sweep.table import KEY_PREFIX
from ffet_flow.util import atomic_path

#: metric -> (label, unit, factor from the metric's unit)
METRICS: dict[str, tuple[str, str, float]] = {
    FMAX: ("fmax", "GHz", 1e-9),
    POWER: ("total power", "mW", 1e3),
    "route__wirelength": ("routed wirelength", "um", 1.0),
    "globalroute__overflow": ("global-routing overflow", "", 1.0),
    "design__core__area": ("core area", "um^2", 1.0),
}
#: x axes: key -> axis label
X_LABELS = {"input_pin_density": "input_pin_density (fraction on the back)",
            "layers_front": "layers_front (front-side routing layers)",
            "layers_back": "layers_back (back-side routing layers)"}
LAYER_KEYS = ("layers_front", "layers_back")
WIDTH_IN, DPI = 11.0, 100  # 1100 px: the HTML page's width, so text is shown at its size
FONT = 10


@dataclass(frozen=True)
class Series:
    label: str
    index: tuple[Any, ...]  # the frame's index labels of its points, in x order


@dataclass(frozen=True)
class Figure:
    title: str
    stem: str
    x: str = ""
    series: tuple[Series, ...] = ()


def _value_key(v: Any) -> tuple[int, float, str]:
    return (0, float(v), "") if isinstance(v, (int, float)) else (1, 0.0, str(v))


def _key_rank(column: str) -> tuple[int, str]:
    k = column[len(KEY_PREFIX):]
    return (KEY_ORDER.index(k) if k in KEY_ORDER else len(KEY_ORDER), k)


def _legend_columns(labels: Sequence[str]) -> int:
    """Two legend columns when there are many entries and two fit the figure's width."""
    width = max((len(s) for s in labels), default=0) * 0.55 * (FONT - 1) * DPI / 72 + 40
    return 2 if len(labels) > 4 and 2 * width < WIDTH_IN * DPI - 20 else 1


def series_for(frame: pd.DataFrame, x: str) -> list[Series]:
    """The series of a plot of `frame` against key `x`: per family, one per distinct
    combination of the other keys that vary within that family."""
    xcol = KEY_PREFIX + x
    families = [f for f in FAMILIES if f in set(frame["family"])]
    out = []
    for family in families:
        part = frame[frame["family"] == family]
        others = sorted((c for c in part.columns if c.startswith(KEY_PREFIX) and c != xcol
                         and c[len(KEY_PREFIX):] not in FAMILY_KEYS
                         and part[c].astype(str).nunique() > 1), key=_key_rank)
        groups: dict[tuple, list] = {}
        for i, row in part.iterrows():
            values = []
            for c in others:
                k = c[len(KEY_PREFIX):]
                if k in LAYER_KEYS and x in LAYER_KEYS and row[c] == row[xcol]:
                    values.append((k, x))  # a symmetric stack: the relation, not a value
                else:
                    values.append((k, row[c]))
            groups.setdefault(tuple(values), []).append(i)
        for values in sorted(groups, key=lambda vs: [_value_key(v) for _k, v in vs]):
            names = [f"{k}={v if isinstance(v, str) and v in LAYER_KEYS else fmt_value(v)}"
                     for k, v in values]
            label = ", ".join(([family] if len(families) > 1 or not names else []) + names)
            rows = part.loc[groups[values]].sort_values(xcol)
            out.append(Series(label, tuple(rows.index)))
    return out


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "ffet-flow", "font.size": FONT,
                         "axes.titlesize": FONT + 1, "legend.fontsize": FONT - 1})
    return plt


def _save(fig, out_dir: Path, stem: str) -> None:
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None})):
        with atomic_path(out_dir / f"{stem}.{ext}") as tmp:
            fig.savefig(tmp, format=ext, dpi=DPI, metadata=meta)


def _axis_label(metric: str) -> str:
    label, unit, _ = METRICS[metric]
    return f"{label} ({unit})" if unit else label


def line_figure(frame: pd.DataFrame, x: str, metrics: Sequence[str], title: str,
                out_dir: Path, stem: str) -> Figure | None:
    """Metrics against key `x`, one panel per metric; None when there is nothing to draw."""
    xcol = KEY_PREFIX + x
    metrics = [m for m in metrics if m in frame and frame[m].notna().any()]
    if frame.empty or not metrics or xcol not in frame or frame[xcol].nunique() < 2:
        return None
    series = series_for(frame, x)
    plt = _pyplot()
    ncol = _legend_columns([s.label for s in series])
    rows = -(-(len(series) + 1) // ncol)
    fig, axes = plt.subplots(1, len(metrics), squeeze=False, layout="constrained",
                             figsize=(WIDTH_IN, 3.2 + 0.22 * rows))
    cmap = plt.get_cmap("tab10" if len(series) <= 10 else "tab20")
    handles, failed_any = [], False
    for ax, m in zip(axes[0], metrics, strict=True):
        scale = METRICS[m][2]
        handles = []
        for n, s in enumerate(series):
            pts = frame.loc[list(s.index)]
            good, bad = pts[pts["passes"]], pts[~pts["passes"]]
            color = cmap(n % cmap.N)
            (h,) = ax.plot(good[xcol], good[m] * scale, marker="o", ms=4, color=color,
                           label=s.label)
            handles.append(h)
            if not bad.empty:
                failed_any = True
                ax.plot(bad[xcol], bad[m] * scale, linestyle="none", marker="x", ms=7,
                        color=color)
        ax.set_xlabel(X_LABELS.get(x, x))
        ax.set_ylabel(_axis_label(m))
        ax.set_title(METRICS[m][0])
        ax.grid(alpha=0.3)
    if failed_any:
        (h,) = axes[0][0].plot([], [], linestyle="none", marker="x", color="k",
                               label="fails a QoR gate (not joined, never compared)")
        handles.append(h)
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False)
    fig.suptitle(title)
    _save(fig, out_dir, stem)
    plt.close(fig)
    return Figure(title, stem, x, tuple(series))


def pareto_front(cost: Sequence[float], gain: Sequence[float]) -> list[int]:
    """Indices of points not dominated (lower cost and higher gain is better)."""
    import math

    order = sorted(range(len(cost)), key=lambda i: (cost[i], -gain[i]))
    best, front = -math.inf, []
    for i in order:
        if gain[i] > best:
            front.append(i)
            best = gain[i]
    return sorted(front)


def pareto_figure(frame: pd.DataFrame, out_dir: Path) -> Figure | None:
    """fmax against power and against total layers, per family; the Pareto front of the
    gate-passing points; points failing a gate as crosses."""
    if FMAX not in frame or POWER not in frame:
        return None
    pts = frame.dropna(subset=[FMAX, POWER])
    if pts.empty:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH_IN, 4.0), layout="constrained")
    cmap = plt.get_cmap("tab10")
    shown = []
    for n, family in enumerate(f for f in FAMILIES if f in set(pts["family"])):
        part = pts[pts["family"] == family]
        good, bad = part[part["passes"]], part[~part["passes"]]
        for ax, xs in ((axes[0], POWER), (axes[1], "total_layers")):
            scale = METRICS[POWER][2] if xs == POWER else 1.0
            ax.scatter(good[xs] * scale, good[FMAX] * 1e-9, s=20, color=cmap(n),
                       label=family if ax is axes[0] else None)
            if not bad.empty:
                ax.scatter(bad[xs] * scale, bad[FMAX] * 1e-9, s=30, marker="x", color=cmap(n),
                           label=f"{family}, fails a QoR gate" if ax is axes[0] else None)
        shown.append(Series(family, tuple(part.index)))
    good = pts[pts["passes"]]
    if not good.empty:
        front = good.iloc[pareto_front(good[POWER].tolist(), good[FMAX].tolist())]
        front = front.sort_values(POWER)
        axes[0].plot(front[POWER] * 1e3, front[FMAX] * 1e-9, color="k", lw=1,
                     label="Pareto front (gate-passing points)")
    axes[0].set_xlabel(_axis_label(POWER))
    axes[1].set_xlabel("total routing layers (front + back)")
    for ax in axes:
        ax.set_ylabel(_axis_label(FMAX))
        ax.grid(alpha=0.3)
    axes[0].legend()
    title = "Frequency against power and against total layer count"
    fig.suptitle(title)
    _save(fig, out_dir, "pareto")
    plt.close(fig)
    return Figure(title, "pareto", "", tuple(shown))
