"""`ffet report`: plots (PNG + SVG) and a Markdown + static HTML report from a sweep table.

Views (issue 8): metrics against input-pin density (one line per layer count); metrics against
layers per side for FFET dual-sided, FFET single-sided and CFET; FFET vs CFET at equal
utilization and at equal core area beside the reference study's figures; a Pareto view of
frequency against power and against total layer count; the best (density, layers) point.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ffet_flow.sweep.table import KEY_PREFIX, read_results
from ffet_flow.util import atomic_path, atomic_write_text

FMAX, POWER = "finish__timing__fmax", "finish__power__total"
#: a point's layout is clean when the independent check (the drc step) finds nothing
CLEAN_METRICS = ("finish__drc__count", "finish__lvs__opens", "finish__lvs__shorts",
                 "finish__lvs__unconnected")
AREA = "design__core__area"
WL_SIDES = ("route__wirelength__front", "route__wirelength__back")
OVF_SIDES = ("globalroute__overflow__front", "globalroute__overflow__back")

# Reference study, public abstract (arXiv 2501.15275, DATE 2025; shared/DESIGN.md section 1).
STUDY = {
    "core area, equal utilization (FFET single-sided vs CFET)": -23.3,
    "frequency, equal utilization (FFET single-sided vs CFET)": +25.0,
    "power, equal utilization (FFET single-sided vs CFET)": -11.9,
    "frequency, equal core area (FFET single-sided vs CFET)": +16.0,
    "frequency, dual-sided vs single-sided FFET (tuned)": +10.6,
}


@dataclass(frozen=True)
class Figure:
    title: str
    stem: str


def _col(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame[KEY_PREFIX + key]


def classify(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `family` (CFET / FFET single-sided / FFET dual-sided), `layers` and derived totals."""
    f = frame.copy()
    arch = _col(f, "arch") if KEY_PREFIX + "arch" in f else pd.Series("ffet", index=f.index)
    sides = (_col(f, "signal_sides") if KEY_PREFIX + "signal_sides" in f
             else pd.Series("both", index=f.index))
    f["family"] = [("CFET" if a == "cfet" else
                    "FFET dual-sided" if s == "both" else "FFET single-sided")
                   for a, s in zip(arch, sides, strict=True)]
    lf = _col(f, "layers_front") if KEY_PREFIX + "layers_front" in f else 12
    lb = _col(f, "layers_back") if KEY_PREFIX + "layers_back" in f else 12
    f["layers"] = pd.Series(lf, index=f.index).astype(int)
    f["total_layers"] = f["layers"] + pd.Series(lb, index=f.index).astype(int)
    # a side total: a side that carries no signal (CFET's and single-sided FFET's back) counts
    # 0 when its figure is missing; a missing figure of a routed side leaves the total missing
    no_back = f["family"] != "FFET dual-sided"
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
    # routable: the layout check ran and found nothing; a missing figure is not clean
    clean = pd.Series(True, index=f.index)
    for c in CLEAN_METRICS:
        clean &= (f[c] == 0) if c in f else False
    f["routable"] = clean
    return f


def _ok(frame: pd.DataFrame) -> pd.DataFrame:
    """Finished points whose layout is clean: the only ones whose PPA the report uses."""
    return frame[(frame["status"] == "ok") & frame["routable"]]


def _save(fig, out_dir: Path, stem: str) -> None:
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None})):
        with atomic_path(out_dir / f"{stem}.{ext}") as tmp:
            fig.savefig(tmp, format=ext, dpi=110, metadata=meta)


def _plot_lines(frame, x, metrics, group, title, out_dir, stem) -> Figure | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [m for m in metrics if m in frame and frame[m].notna().any()]
    if frame.empty or not metrics or frame[x].nunique() < 2:
        return None
    plt.rcParams["svg.hashsalt"] = "ffet-flow"
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.4), squeeze=False)
    for ax, m in zip(axes[0], metrics, strict=True):
        for label, part in sorted(frame.groupby(group), key=lambda kv: str(kv[0])):
            part = part.sort_values(x)
            ax.plot(part[x], part[m], marker="o", label=str(label))
        ax.set_xlabel(x)
        ax.set_title(m.replace("__", " "), fontsize=9)
        ax.grid(alpha=0.3)
    axes[0][0].legend(title=group, fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    _save(fig, out_dir, stem)
    plt.close(fig)
    return Figure(title, stem)


def _pareto(frame: pd.DataFrame, out_dir: Path) -> Figure | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = frame.dropna(subset=[c for c in (FMAX, POWER) if c in frame])
    if ok.empty or FMAX not in ok or POWER not in ok:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for family, part in sorted(ok.groupby("family")):
        axes[0].scatter(part[POWER] * 1e3, part[FMAX] / 1e9, label=family, s=18)
        axes[1].scatter(part["total_layers"], part[FMAX] / 1e9, label=family, s=18)
    front = pareto_front(ok[POWER].to_numpy(), ok[FMAX].to_numpy())
    pts = ok.iloc[front].sort_values(POWER)
    axes[0].plot(pts[POWER] * 1e3, pts[FMAX] / 1e9, color="k", lw=1, label="Pareto front")
    axes[0].set_xlabel("total power (mW)")
    axes[1].set_xlabel("total routing layers (front + back)")
    for ax in axes:
        ax.set_ylabel("fmax (GHz)")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    _save(fig, out_dir, "pareto")
    plt.close(fig)
    return Figure("Frequency against power and against total layer count", "pareto")


def pareto_front(cost: Sequence[float], gain: Sequence[float]) -> list[int]:
    """Indices of points not dominated (lower cost and higher gain is better)."""
    order = sorted(range(len(cost)), key=lambda i: (cost[i], -gain[i]))
    best, front = -math.inf, []
    for i in order:
        if gain[i] > best:
            front.append(i)
            best = gain[i]
    return sorted(front)


def _ratio(a: float, b: float) -> float | None:
    return None if not b or any(map(pd.isna, (a, b))) else 100.0 * (a / b - 1.0)


def comparisons(frame: pd.DataFrame) -> list[tuple[str, float | None, float]]:
    """Our figures beside the study's: (what, ours in %, study's in %)."""
    ok = _ok(frame)
    default_layers = ok["layers"].max() if not ok.empty else 12

    util_col = KEY_PREFIX + "utilization"

    def pick(family: str, util: float | None = None) -> pd.Series | None:
        part = ok[(ok["family"] == family) & (ok["layers"] == default_layers)]
        if util_col in part and not part.empty:  # equal utilization
            if util is None:
                util = part[util_col].mode().sort_values().iloc[-1]
            part = part[part[util_col] == util]
        return None if part.empty else part.iloc[0]

    cfet = pick("CFET")
    util = cfet[util_col] if cfet is not None and util_col in cfet else None
    single = pick("FFET single-sided", util)
    rows: list[tuple[str, float | None, float]] = []
    keys = list(STUDY)

    def get(row, col):
        return row[col] if row is not None and col in row else float("nan")

    rows.append((keys[0], _ratio(get(single, AREA), get(cfet, AREA)), STUDY[keys[0]]))
    rows.append((keys[1], _ratio(get(single, FMAX), get(cfet, FMAX)), STUDY[keys[1]]))
    rows.append((keys[2], _ratio(get(single, POWER), get(cfet, POWER)), STUDY[keys[2]]))
    rows.append((keys[3], _equal_area_gain(ok, cfet), STUDY[keys[3]]))
    best = best_point(ok)
    rows.append((keys[4], _ratio(get(best, FMAX), get(single, FMAX)), STUDY[keys[4]]))
    return rows


def _equal_area_gain(ok: pd.DataFrame, cfet: pd.Series | None) -> float | None:
    """FFET single-sided fmax interpolated at CFET's core area (needs a utilization sweep)."""
    if cfet is None or AREA not in ok or FMAX not in ok:
        return None
    single = ok[ok["family"] == "FFET single-sided"].dropna(subset=[AREA, FMAX])
    single = single.sort_values(AREA)
    if single[AREA].nunique() < 2:
        return None
    target = cfet[AREA]
    if not single[AREA].min() <= target <= single[AREA].max():
        return None
    import numpy as np

    fmax = float(np.interp(target, single[AREA], single[FMAX]))
    return _ratio(fmax, cfet[FMAX])


def best_point(ok: pd.DataFrame) -> pd.Series | None:
    dual = ok[ok["family"] == "FFET dual-sided"]
    if dual.empty or FMAX not in dual or dual[FMAX].isna().all():
        return None
    return dual.loc[dual[FMAX].idxmax()]


def write_report(results: Path, out_dir: Path, images: Sequence[Path] = ()) -> dict[str, Path]:
    frame = classify(read_results(results))
    out_dir.mkdir(parents=True, exist_ok=True)
    ok = _ok(frame)
    figures: list[Figure] = []
    density = KEY_PREFIX + "input_pin_density"
    if density in ok:
        dual = ok[ok["family"] == "FFET dual-sided"]
        fig = _plot_lines(dual, density, [FMAX, POWER, "route__wirelength"], "layers",
                          "FFET dual-sided: metrics against input-pin density", out_dir,
                          "vs_density")
        figures += [fig] if fig else []
    fig = _plot_lines(ok, "layers", [FMAX, POWER, "globalroute__overflow"], "family",
                      "Metrics against routing layers per side", out_dir, "vs_layers")
    figures += [fig] if fig else []
    fig = _pareto(ok, out_dir)
    figures += [fig] if fig else []

    finished = frame[frame["status"] == "ok"]
    unroutable = finished[~finished["routable"]]
    lines = ["# Sweep report", "", f"Results: `{results}` ({len(frame)} variants, "
             f"{len(finished)} finished, {len(frame) - len(finished)} failed; "
             f"{len(unroutable)} finished without a clean layout are unroutable and left out "
             "of every figure and comparison below).", "",
             "## FFET vs CFET beside the reference study", "",
             "Study: Lu et al., DATE 2025, arXiv 2501.15275 (abstract). Ours: this sweep, "
             "CFET and FFET at the largest layer count in the sweep.", "",
             "| comparison | ours | study |", "|---|---|---|"]
    for what, ours, study in comparisons(frame):
        shown = "not in this sweep" if ours is None else f"{ours:+.1f} %"
        lines.append(f"| {what} | {shown} | {study:+.1f} % |")
    best = best_point(ok)
    if best is not None:
        lines += ["", "Best FFET dual-sided point: " + ", ".join(
            f"{k[len(KEY_PREFIX):]} = {best[k]}" for k in sorted(best.index)
            if k.startswith(KEY_PREFIX) and k != KEY_PREFIX + "tech") +
            f" (fmax {best[FMAX] / 1e9:.3f} GHz)."]
    for f in figures:
        lines += ["", f"## {f.title}", "", f"![{f.title}]({f.stem}.png)"]
    if images:
        lines += ["", "## Layouts"]
    for img in images:
        rel = os.path.relpath(img, out_dir)
        lines += ["", f"![{img.stem}]({rel})"]
    if not unroutable.empty:
        lines += ["", "## Unroutable points (the layout check is not clean)", "",
                  "| variant | DRC violations | LVS opens | LVS shorts | unconnected pins |",
                  "|---|---:|---:|---:|---:|"]
        for _i, r in unroutable.iterrows():
            vals = [r.get(c) for c in CLEAN_METRICS]
            lines.append(f"| {r['variant']} | " + " | ".join(
                "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0f}"
                for v in vals) + " |")
    failed = frame[frame["status"] != "ok"]
    if not failed.empty:
        lines += ["", "## Failed variants", "", "| variant | reason |", "|---|---|"]
        lines += [f"| {r.variant} | {str(r.error).replace('|', '/')} |" for r in failed.itertuples()]
    markdown = "\n".join(lines) + "\n"
    atomic_write_text(out_dir / "report.md", markdown)
    atomic_write_text(out_dir / "report.html", _html(markdown))
    return {"markdown": out_dir / "report.md", "html": out_dir / "report.html"}


def _html(markdown: str) -> str:
    """A static HTML rendering of the report's small Markdown subset (headings, tables, images)."""
    body, in_table = [], False
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set("".join(cells)) <= set("-"):
                continue
            tag = "th" if not in_table else "td"
            if not in_table:
                body.append("<table>")
                in_table = True
            body.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>")
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{html.escape(line[level:].strip())}</h{level}>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](", 1)
            body.append(f'<p><img src="{html.escape(src[:-1])}" alt="{html.escape(alt)}"></p>')
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    if in_table:
        body.append("</table>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 8px}"
             "img{max-width:100%}")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ffet-flow sweep report"
            f"</title><style>{style}</style></head><body>\n" + "\n".join(body) +
            "\n</body></html>\n")
