"""The main job's comparison report: `compare.md` and a bar chart `compare.png`.

Our measured ratios sit beside the reference study's (arXiv 2501.15275, DATE 2025, public
abstract, quoted in shared/DESIGN.md section 1), whatever they turn out to be: the study's
figures are printed for comparison only and feed nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffet_flow.util import atomic_path, atomic_write_text

AREA, FMAX, POWER = "design__core__area", "finish__timing__fmax", "finish__power__total"
#: POWER is at the target clock (every variant at the same frequency): the ratios use it.
#: POWER_AT_FMAX is at the variant's own fmax, shown beside it.
POWER_AT_FMAX = "finish__power__at_fmax__total"
SHARE, SHARE_AT_FMAX = "finish__power__switching_share", "finish__power__at_fmax__switching_share"
INST_AREA, UTIL = "design__instance__area", "design__instance__utilization"

#: variant roles of the main job (names of the run directories)
CFET, FFET_SINGLE, FFET_DUAL, FFET_EQUAL_AREA = "cfet", "ffet_single", "ffet_dual", \
    "ffet_single_equal_area"
LABELS = {CFET: "CFET", FFET_SINGLE: "FFET, single-sided signals",
          FFET_DUAL: "FFET, dual-sided signals",
          FFET_EQUAL_AREA: "FFET, single-sided, CFET's core area"}


@dataclass(frozen=True)
class Comparison:
    label: str
    metric: str
    variant: str
    baseline: str
    study_percent: float  # the reference study's change in percent


#: DESIGN.md section 1 (study abstract): FFET single-sided vs CFET at equal utilization
#: -23.3 % core area, +25.0 % frequency, -11.9 % power; +16.0 % frequency at equal core area;
#: dual-sided signals (tuned pin density and layers) +10.6 % frequency over single-sided.
COMPARISONS = (
    Comparison("core area, FFET single-sided vs CFET, equal utilization", AREA, FFET_SINGLE,
               CFET, -23.3),
    Comparison("frequency, FFET single-sided vs CFET, equal utilization", FMAX, FFET_SINGLE,
               CFET, +25.0),
    Comparison("power at the target clock, FFET single-sided vs CFET, equal utilization", POWER,
               FFET_SINGLE, CFET, -11.9),
    Comparison("frequency, FFET single-sided vs CFET, equal core area", FMAX, FFET_EQUAL_AREA,
               CFET, +16.0),
    Comparison("frequency, FFET dual-sided vs single-sided signals", FMAX, FFET_DUAL,
               FFET_SINGLE, +10.6),
)


def _num(metrics: Mapping[str, Any] | None, name: str) -> float | None:
    v = (metrics or {}).get(name)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
        return float(v)
    return None


def change_percent(value: float | None, base: float | None) -> float | None:
    """(value / base - 1) x 100, or None when either is missing or the base is 0."""
    if value is None or base is None or base == 0:
        return None
    return (value / base - 1.0) * 100.0


def comparison_rows(runs: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per study comparison: ours (percent or None) beside the study's."""
    rows = []
    for c in COMPARISONS:
        ours = change_percent(_num(runs.get(c.variant), c.metric),
                              _num(runs.get(c.baseline), c.metric))
        rows.append({"label": c.label, "ours": ours, "study": c.study_percent,
                     "variant": c.variant, "baseline": c.baseline, "metric": c.metric})
    return rows


def _fmt(v: float | None, spec: str) -> str:
    return "n/a" if v is None else format(v, spec)


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:+.1f} %"


CLEAN_KEYS = ("finish__drc__count", "finish__lvs__opens", "finish__lvs__shorts",
              "finish__lvs__unconnected")


def layout_status(m: Mapping[str, Any] | None) -> str:
    """'clean' when the layout checker found no DRC or LVS error, 'NOT clean (...)' when it
    found some, 'not checked' when the run has no checker figures."""
    vals = [_num(m, k) for k in CLEAN_KEYS]
    if any(v is None for v in vals):
        return "not checked"
    if not any(vals):
        return "clean"
    drc, opens, shorts, unconnected = (int(v) for v in vals)  # type: ignore[arg-type]
    return (f"NOT clean (DRC {drc}, LVS opens {opens}, shorts {shorts}, "
            f"unconnected {unconnected})")


def variant_table(runs: Mapping[str, Mapping[str, Any]], order: Sequence[str]) -> list[str]:
    """Area, fmax and power per variant against CFET, with the layout check they come from
    (a PPA figure of a layout that fails DRC or LVS says so in its row)."""
    base = runs.get(CFET)
    lines = ["| variant | layout (DRC/LVS) | core area (um^2) | vs CFET | fmax (MHz) | vs CFET | "
             "power at target (mW) | vs CFET | cell area (um^2) | utilization |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in order:
        m = runs[name]
        area, fmax, power = _num(m, AREA), _num(m, FMAX), _num(m, POWER)
        lines.append(
            f"| {LABELS.get(name, name)} | {layout_status(m)} | {_fmt(area, '.2f')} | "
            f"{_pct(change_percent(area, _num(base, AREA)))} | "
            f"{_fmt(None if fmax is None else fmax / 1e6, '.1f')} | "
            f"{_pct(change_percent(fmax, _num(base, FMAX)))} | "
            f"{_fmt(None if power is None else power * 1e3, '.4f')} | "
            f"{_pct(change_percent(power, _num(base, POWER)))} | "
            f"{_fmt(_num(m, INST_AREA), '.2f')} | {_fmt(_num(m, UTIL), '.3f')} |")
    return lines


def power_table(runs: Mapping[str, Mapping[str, Any]], order: Sequence[str]) -> list[str]:
    """Power of each variant at the target clock (what the ratios use) and at its own fmax,
    each against CFET's, with the switching share of each."""
    base = runs.get(CFET)
    lines = ["| variant | at target (mW) | vs CFET | switching share | fmax (MHz) | "
             "at fmax (mW) | vs CFET | switching share |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]

    def mw(v: float | None) -> str:
        return _fmt(None if v is None else v * 1e3, ".4f")

    def share(v: float | None) -> str:
        return _fmt(None if v is None else v * 100, ".1f") + ("" if v is None else " %")

    for name in order:
        m = runs[name]
        target, at_fmax, fmax = _num(m, POWER), _num(m, POWER_AT_FMAX), _num(m, FMAX)
        lines.append(
            f"| {LABELS.get(name, name)} | {mw(target)} | "
            f"{_pct(change_percent(target, _num(base, POWER)))} | {share(_num(m, SHARE))} | "
            f"{_fmt(None if fmax is None else fmax / 1e6, '.1f')} | {mw(at_fmax)} | "
            f"{_pct(change_percent(at_fmax, _num(base, POWER_AT_FMAX)))} | "
            f"{share(_num(m, SHARE_AT_FMAX))} |")
    return lines


#: the physical-design figures behind the PPA: (metric, column title, format)
DETAIL_COLUMNS = (("route__wirelength", "wirelength (um)", ".0f"),
                  ("route__vias", "vias", ".0f"),
                  ("finish__drc__count", "DRC violations (KLayout)", ".0f"),
                  ("finish__lvs__opens", "LVS opens", ".0f"),
                  ("finish__lvs__shorts", "LVS shorts", ".0f"),
                  ("globalroute__overflow", "overflow", ".0f"),
                  ("cts__buffers", "clock buffers", ".0f"),
                  ("finish__timing__setup__ws", "setup WS at target (ns)", ".3f"),
                  ("finish__timing__hold__ws", "hold WS (ns)", ".3f"))


def detail_table(runs: Mapping[str, Mapping[str, Any]], order: Sequence[str]) -> list[str]:
    """Routing, clock tree and slack of each variant (n/a where a run lacks the metric)."""
    lines = ["| variant | " + " | ".join(t for _m, t, _f in DETAIL_COLUMNS) + " |",
             "|---|" + "---:|" * len(DETAIL_COLUMNS)]
    for name in order:
        cells = [_fmt(_num(runs[name], metric), spec) for metric, _t, spec in DETAIL_COLUMNS]
        lines.append(f"| {LABELS.get(name, name)} | " + " | ".join(cells) + " |")
    return lines


def chart_ratios(run: Mapping[str, Any] | None, base: Mapping[str, Any] | None,
                 metrics: Sequence[str]) -> list[float | None]:
    """Each metric of `run` over `base`'s; None where either figure is missing (or the base's
    is 0)."""
    out: list[float | None] = []
    for metric in metrics:
        v, b = _num(run, metric), _num(base, metric)
        out.append(v / b if v is not None and b else None)
    return out


def write_chart(runs: Mapping[str, Mapping[str, Any]], order: Sequence[str], path: Path) -> None:
    """Grouped bars: area, fmax and power of each variant relative to CFET (= 1), with the
    study's FFET single-sided ratios marked; byte-identical for identical inputs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = ((AREA, "core area"), (FMAX, "fmax"), (POWER, "power at target"))
    base = runs.get(CFET)
    fig, ax = plt.subplots(figsize=(7.5, 4.0), dpi=100)
    width = 0.8 / max(len(order), 1)
    for i, name in enumerate(order):
        ratios = chart_ratios(runs[name], base, [m for m, _ in metrics])
        xs = [k + (i - (len(order) - 1) / 2) * width for k in range(len(metrics))]
        # a missing figure gets no bar, and says so where the value would stand (as the table)
        bars = ax.bar(xs, [0.0 if r is None else r for r in ratios], width,
                      label=LABELS.get(name, name))
        ax.bar_label(bars, labels=["n/a" if r is None else f"{r:.3f}" for r in ratios],
                     fontsize=7)
    study = {c.metric: 1 + c.study_percent / 100 for c in COMPARISONS[:3]}
    ax.scatter(range(len(metrics)), [study[m] for m, _ in metrics], marker="_", s=900,
               color="k", zorder=3, label="study: FFET single-sided / CFET")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xticks(range(len(metrics)), [label for _, label in metrics])
    ax.set_ylabel("relative to CFET")
    ax.set_title("FFET vs CFET, RISC-V core")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(fig)


def write_compare(runs: Mapping[str, Mapping[str, Any]], out_dir: Path, *, design: str,
                  notes: Sequence[str] = (),
                  images: Sequence[tuple[str, str]] = (),
                  gates: Mapping[str, Sequence[str]] | None = None) -> dict[str, Path]:
    """Write `compare.md` and `compare.png` into `out_dir` from each variant's merged metrics."""
    out_dir = Path(out_dir)
    order = [n for n in (CFET, FFET_SINGLE, FFET_DUAL, FFET_EQUAL_AREA) if n in runs]
    order += sorted(n for n in runs if n not in order)
    paths = {"markdown": out_dir / "compare.md", "png": out_dir / "compare.png"}
    write_chart(runs, order, paths["png"])
    lines = [f"# FFET vs CFET on {design}", "",
             "Each variant ran through the whole flow (pdk, cells, synth, floorplan, place, "
             "cts, tracks, route, drc, extract, sta). Ratios are against CFET; fmax is OpenSTA's "
             "minimum period after routing and extraction, power is OpenSTA's total power at the "
             "target clock (vectorless activity, docs/signoff.md). A figure is only as good as "
             "its layout: the layout column gives the KLayout check.",
             "",
             *variant_table(runs, order), "",
             "## Power", "",
             "The power ratios (table above, study comparison, chart) use the power at the "
             "target clock: every variant runs the same clock, so the ratio compares the "
             "energy of the same work. Power at each variant's own fmax is shown beside it; it "
             "also carries the frequency difference (a faster variant burns more per second).",
             "", *power_table(runs, order), "",
             "## Routing, clock tree and slack", "", *detail_table(runs, order), "",
             "## Against the reference study", "",
             "Reference: arXiv 2501.15275 (DATE 2025), public abstract. Study figures are "
             "quoted, never used to tune a model.", "",
             "| comparison | ours | study |", "|---|---:|---:|"]
    for row in comparison_rows(runs):
        lines.append(f"| {row['label']} | {_pct(row['ours'])} | {row['study']:+.1f} % |")
    lines += ["", f"![relative area, fmax and power]({paths['png'].name})", ""]
    if images:  # layout views: (title, path relative to out_dir)
        lines += ["## Layouts", ""]
        for title, rel in images:
            lines += [f"### {title}", "", f"![{title}]({rel})", ""]
    if gates:
        lines += ["## QoR gates", "",
                  f"Each variant's metrics against `designs/{design}/rules.json` (as "
                  "`ffet check`): a variant that fails one is not a result to compare.", "",
                  "| variant | gates |", "|---|---|"]
        for name in order:
            if name in gates:
                broken = gates[name]
                verdict = ("pass" if not broken else
                           f"**FAIL** ({len(broken)}): " + "; ".join(broken).replace("|", "/"))
                lines.append(f"| {LABELS.get(name, name)} | {verdict} |")
        lines.append("")
    if notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    atomic_write_text(paths["markdown"], "\n".join(lines))
    return paths
