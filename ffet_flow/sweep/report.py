"""`ffet report`: plots (PNG + SVG) and a Markdown + static HTML report from a sweep table.

Every figure compares like with like (ffet_flow/sweep/compare.py): points are checked against
the design's QoR rules and the report's own floor, and only gate-passing points that differ in
nothing but what is compared are set against each other: FFET vs CFET at equal utilization and
at equal core area (per layer count), dual- vs single-sided FFET at the same utilization and
layers per side, each beside the reference study's figure. The best dual-sided point is named
with every swept key's value. Plots (ffet_flow/sweep/plots.py): metrics against input-pin
density and against the layers of each side, one series per combination of the other swept
keys; a Pareto view of frequency against power and total layer count.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ffet_flow.sweep.compare import (
    AREA,
    BASE_GATES,
    DUAL,
    FMAX,
    FREE_KEYS,
    POWER,
    SINGLE,
    best_point,
    classify,
    comparisons,
    dual_vs_single,
    equal_area,
    fmt_value,
    ratio,
    settings,
    shown_keys,
    single_vs_cfet,
)
from ffet_flow.sweep.plots import Figure, line_figure, pareto_figure, pareto_front
from ffet_flow.sweep.table import KEY_PREFIX, read_results
from ffet_flow.util import atomic_write_text

__all__ = ["best_point", "classify", "comparisons", "gated_frame", "pareto_front",
           "sweep_rules", "write_report"]


def sweep_rules(results: Path, rules_path: Path | None = None
                ) -> tuple[dict[str, dict[str, Any]], str]:
    """(rules, where they come from): `rules_path`, else the swept design's rules.json (named
    in the sweep's spec.json); no rules and "" when there is neither."""
    from ffet_flow.commands.check import load_rules

    if rules_path is not None:
        return load_rules(rules_path), str(rules_path)
    results = Path(results)
    sweep_dir = results if results.is_dir() else results.parent
    try:
        design = json.loads((sweep_dir / "spec.json").read_text())["design"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}, ""
    from ffet_flow.errors import ConfigError
    from ffet_flow.flow import ROOT, find_design

    try:
        _, design_dir = find_design(design)
    except ConfigError:
        return {}, ""
    path = design_dir / "rules.json"
    if not path.is_file():
        return {}, ""
    shown = os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)
    return load_rules(path), shown


def gated_frame(results: Path, rules_path: Path | None = None) -> tuple[pd.DataFrame, str]:
    """The sweep's table, classified and gated; and where its rules came from."""
    rules, source = sweep_rules(results, rules_path)
    return classify(read_results(results), rules), source


def _num(v: Any, scale: float = 1.0, spec: str = ".3f") -> str:
    """A figure in the tables' units (`scale` converts), or n/a when it is missing."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "n/a"
    return "n/a" if math.isnan(f) else format(f * scale, spec)


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:+.1f} %"


def _cell(text: str) -> str:
    return str(text).replace("|", "/")


def _gates_text(source: str) -> str:
    floor = ", ".join(BASE_GATES)
    rules = (f"the design's QoR rules (`{source}`, as `ffet check`) and " if source else
             "no design rules file (the sweep names no design with a rules.json), so only ")
    return (f"QoR gates: every finished point is checked against {rules}the report's own "
            f"floor: {floor} all 0 (a missing figure fails). A point that fails is shown (a "
            "cross in the plots, FAIL in the table of points) but never chosen or compared.")


def _study_section(frame: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    lines = ["## FFET vs CFET beside the reference study", "",
             "Study: Lu et al., DATE 2025, arXiv 2501.15275 (abstract). Ours: gate-passing "
             "points of this sweep that differ only in what is compared (last column).", "",
             "| comparison | ours | study | points compared |", "|---|---|---|---|"]
    for c in comparisons(frame):
        shown = "not in this sweep" if c.ours is None else _pct(c.ours)
        lines.append(f"| {c.what} | {shown} | {c.study:+.1f} % | {_cell(c.basis)} |")
    best = best_point(frame)
    lines.append("")
    if best is None:
        lines.append("Best FFET dual-sided point: none passes every QoR gate.")
    else:
        lines.append(f"Best FFET dual-sided point (the fastest that passes every QoR gate): "
                     f"{settings(best, keys)}; fmax {_num(best[FMAX], 1e-9)} GHz, power "
                     f"{_num(best.get(POWER), 1e3)} mW (`{best['variant']}`).")
    return lines


def _pairs_section(frame: pd.DataFrame) -> list[str]:
    lines = []
    duals = dual_vs_single(frame)
    if duals:
        free = sorted(FREE_KEYS[(DUAL, SINGLE)])
        lines += ["", "## FFET dual-sided vs single-sided at the same settings", "",
                  "For every gate-passing single-sided point, the fastest gate-passing "
                  "dual-sided point with the same value of every other swept key.", "",
                  "| settings of both | single-sided fmax (GHz) | dual-sided " + ", ".join(free) +
                  " | dual-sided fmax (GHz) | change |", "|---|---:|---|---:|---:|"]
        for p in duals:
            lines.append(f"| {_cell(p.shared) or 'all'} | {_num(p.base[FMAX], 1e-9)} | "
                         + ", ".join(fmt_value(p.point.get(KEY_PREFIX + k)) for k in free) +
                         f" | {_num(p.point[FMAX], 1e-9)} | "
                         f"{_pct(ratio(p.point[FMAX], p.base[FMAX]))} |")
    singles = single_vs_cfet(frame)
    if singles:
        lines += ["", "## FFET single-sided vs CFET at the same settings", "",
                  "| settings of both | CFET core area (um^2) | core area | CFET fmax (GHz) | "
                  "fmax | CFET power (mW) | power |", "|---|---:|---:|---:|---:|---:|---:|"]
        for p in singles:
            lines.append(
                f"| {_cell(p.shared) or 'all'} | {_num(p.base.get(AREA), 1, '.2f')} | "
                f"{_pct(ratio(p.point.get(AREA), p.base.get(AREA)))} | "
                f"{_num(p.base[FMAX], 1e-9)} | {_pct(ratio(p.point[FMAX], p.base[FMAX]))} | "
                f"{_num(p.base.get(POWER), 1e3, '.4f')} | "
                f"{_pct(ratio(p.point.get(POWER), p.base.get(POWER)))} |")
    areas = equal_area(frame)
    if areas:
        lines += ["", "## FFET single-sided vs CFET at equal core area, per layer count", "",
                  "FFET single-sided fmax interpolated at each CFET point's core area between "
                  "single-sided points that differ from it only in utilization.", "",
                  "| CFET point | CFET core area (um^2) | CFET fmax (GHz) | FFET utilizations | "
                  "FFET fmax at that area (GHz) | change |", "|---|---:|---:|---|---:|---:|"]
        for e in areas:
            utils = ", ".join(f"{u:g}" for u in e.utilizations) or "none"
            fmax = _num(e.fmax, 1e-9) if e.fmax is not None else f"n/a ({e.note})"
            lines.append(f"| {_cell(e.shared) or 'all'} | {_num(e.cfet[AREA], 1, '.2f')} | "
                         f"{_num(e.cfet[FMAX], 1e-9)} | {utils} | {fmax} | {_pct(e.gain)} |")
    return lines


def _points_section(frame: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    finished = frame[frame["status"] == "ok"]
    if finished.empty:
        return []
    lines = ["", "## Every finished point", "",
             "| " + " | ".join(keys) + " | fmax (GHz) | power (mW) | core area (um^2) | "
             "wirelength (um) | overflow | QoR gates |",
             "|" + "---|" * len(keys) + "---:|---:|---:|---:|---:|---|"]
    for _i, r in finished.iterrows():
        verdict = "pass" if r["passes"] else "**FAIL**: " + _cell(r["gates"])
        lines.append("| " + " | ".join(fmt_value(r[KEY_PREFIX + k]) for k in keys) + " | " +
                     f"{_num(r.get(FMAX), 1e-9)} | {_num(r.get(POWER), 1e3, '.4f')} | "
                     f"{_num(r.get(AREA), 1, '.2f')} | "
                     f"{_num(r.get('route__wirelength'), 1, '.1f')} | "
                     f"{_num(r.get('globalroute__overflow'), 1, '.0f')} | {verdict} |")
    return lines


def _figures(finished: pd.DataFrame, out_dir: Path) -> list[Figure]:
    dual = finished[finished["family"] == DUAL]
    plans = [(dual, "input_pin_density", [FMAX, POWER, "route__wirelength"],
              "FFET dual-sided: metrics against input-pin density", "vs_density"),
             (finished, "layers_front", [FMAX, POWER, "globalroute__overflow"],
              "Metrics against front-side routing layers", "vs_layers_front"),
             (dual, "layers_back", [FMAX, POWER, "globalroute__overflow"],
              "FFET dual-sided: metrics against back-side routing layers", "vs_layers_back")]
    figures = [line_figure(frame, x, metrics, title, out_dir, stem)
               for frame, x, metrics, title, stem in plans]
    figures.append(pareto_figure(finished, out_dir))
    return [f for f in figures if f is not None]


def write_report(results: Path, out_dir: Path,
                 images: Sequence[tuple[Path, str]] = (),
                 rules_path: Path | None = None,
                 plots: list[Figure] | None = None) -> dict[str, Path]:
    """Write report.md, report.html and the plots into `out_dir`. `images` are (path, caption)
    pairs shown under "Layouts"; `plots`, when given, receives the figures drawn."""
    frame, source = gated_frame(results, rules_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    keys = shown_keys(frame)
    finished = frame[frame["status"] == "ok"]
    figures = _figures(finished, out_dir)
    if plots is not None:
        plots.extend(figures)
    passing = int(frame["passes"].sum())
    lines = ["# Sweep report", "",
             f"Results: `{results}` ({len(frame)} variants, {len(finished)} finished, "
             f"{len(frame) - len(finished)} failed; {passing} finished points pass every QoR "
             f"gate, {len(finished) - passing} do not). Swept keys: "
             + (", ".join(keys) or "none") + ".", "", _gates_text(source), "",
             *_study_section(frame, keys), *_pairs_section(frame)]
    for f in figures:
        lines += ["", f"## {f.title}", "", f"![{f.title}]({f.stem}.png)"]
    if images:
        lines += ["", "## Layouts"]
    for img, caption in images:
        rel = os.path.relpath(img, out_dir)
        lines += ["", f"![{caption}]({rel})", "", caption]
    lines += _points_section(frame, keys)
    failed = frame[frame["status"] != "ok"]
    if not failed.empty:
        lines += ["", "## Failed variants", "", "| variant | reason |", "|---|---|"]
        lines += [f"| {r.variant} | {_cell(r.error)} |" for r in failed.itertuples()]
    markdown = "\n".join(lines) + "\n"
    atomic_write_text(out_dir / "report.md", markdown)
    atomic_write_text(out_dir / "report.html", _html(markdown))
    return {"markdown": out_dir / "report.md", "html": out_dir / "report.html"}


def _inline(text: str) -> str:
    """Escaped text with the report's inline Markdown: **strong** and `code`."""
    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", out)


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
            body.append("<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in cells) + "</tr>")
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
            body.append(f"<p>{_inline(line)}</p>")
    if in_table:
        body.append("</table>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 8px}"
             "img{max-width:100%}")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ffet-flow sweep report"
            f"</title><style>{style}</style></head><body>\n" + "\n".join(body) +
            "\n</body></html>\n")
