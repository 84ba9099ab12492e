"""The README's "Measured figures" block, generated from a bench snapshot (`ffet bench --readme`).

The rows are data: what each figure means, its target and the page that explains it, with a
template for the measured column whose placeholders name bench keys. Only the snapshot's values
fill that column: a row whose key the snapshot lacks (or holds as null) says
"not measured in this snapshot", never a number typed in here.

Placeholders: `{key}` or `{key:spec}` (a Python format spec), `{key[member]:spec}` for one
member of a key whose value is a table (`flow.riscv32.ffet_dual_over_cfet[fmax]`), and
`{prefix.*:spec}` for every key the pattern matches, as "name value, ..." in key order. Without
a spec, integers get thousands separators, other numbers 4 significant digits, booleans yes/no.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue

NOT_MEASURED = "not measured in this snapshot"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_FIELD = re.compile(r"^(?P<key>[A-Za-z0-9_.*]+)(?:\[(?P<member>[A-Za-z0-9_]+)\])?"
                    r"(?::(?P<spec>.*))?$")

TECH, CHAR, CELL_LAYOUT = "docs/tech.md", "docs/cells-characterization.md", "docs/cells-layout.md"
PLACE, ROUTE, VERIFY, SIGNOFF = ("docs/placement.md", "docs/routing.md", "docs/verify.md",
                                 "docs/signoff.md")
RISCV, FLOW = "designs/riscv32/README.md", "docs/flow.md"


@dataclass(frozen=True)
class Row:
    """One figure of the table: `figure` (Markdown naming its bench keys and what they
    measure), `measured` (the template filled from the snapshot), `target`, `source` (a
    repository path to the page that explains it, linked; or a command, shown as code)."""

    figure: str
    measured: str
    target: str = "-"
    source: str = ""


ROWS: tuple[Row, ...] = (
    Row("`pdk.seconds` (write every pdk file, one architecture; config loading excluded)",
        "{pdk.seconds:.3f} s FFET, {pdk.seconds__cfet:.3f} s CFET", "< 2 s", TECH),
    Row("`cells_layout.seconds` / `cells_layout.violations` (layouts of every cell for FFET "
        "and CFET, and the layout checker)",
        "{cells_layout.seconds:.2f} s / {cells_layout.violations}", "- / 0", CELL_LAYOUT),
    Row("`cells.characterize.seconds` (FFET and CFET libraries, whole cell set, 7x7 NLDM, "
        "empty cache)", "{cells.characterize.seconds:.0f} s", "< 600 s", CHAR),
    Row("`cells.cached.seconds` (the same libraries from the cache)",
        "{cells.cached.seconds:.2f} s", "< 5 s", CHAR),
    Row("`cells.ffet_over_cfet.area` / `.delay` (mean FFET / CFET cell area; delay at the "
        "middle table point)",
        "{cells.ffet_over_cfet.area:.4f} / {cells.ffet_over_cfet.delay:.4f} "
        "({cells.common_cells} cells, {cells.common_arcs} arcs)", "-", CHAR),
    Row("`riscv32.cpi` (C programs, Icarus)", "{riscv32.cpi:.3f} ({riscv32.cpi.*:.3f})", "-",
        RISCV),
    Row("`riscv32.cells` / `riscv32.cells.cfet` after synthesis onto our libraries (with ABC's "
        "buffering and sizing)", "{riscv32.cells} (FFET), {riscv32.cells.cfet} (CFET)",
        "8k-25k", SIGNOFF),
    Row("`place.medium01.hpwl_over_openroad` (our legal HPWL / OpenROAD's global-placement "
        "HPWL) and `.seconds`",
        "{place.medium01.hpwl_over_openroad:.3f} (OpenROAD "
        "{place.medium01.openroad_global_hpwl_um:,.1f} um) in {place.medium01.seconds:.0f} s, "
        "legal: {place.medium01.legal}", "<= 1.05, < 120 s", PLACE),
    Row("`place.scaling.exponent` / `place.200k.seconds` / `place.200k.peak_mib` (synthetic "
        "netlists, 5k to 200k cells)",
        "{place.scaling.exponent:.3f} (CPU time; {place.scaling.exponent_wall:.3f} wall) / "
        "{place.200k.seconds:.0f} s / {place.200k.peak_mib:.0f} MiB",
        "<= 1.3 / < 600 s / < 4096 MiB", PLACE),
    Row("`place.riscv32.seconds` (the place step, FFET dual-sided core)",
        "{place.riscv32.seconds:.1f} s ({place.riscv32.cells} cells)", "< 60 s", PLACE),
    Row("`route.riscv32.ffet_dual.detail_seconds` (FFET dual-sided, 12 + 12 layers, detailed "
        "routing of both sides) and `.seconds` (the whole route step)",
        "{route.riscv32.ffet_dual.detail_seconds:.0f} s (route step "
        "{route.riscv32.ffet_dual.seconds:.0f} s), {route.riscv32.ffet_dual.wirelength_um:,.0f} "
        "um of wire", "< 300 s", ROUTE),
    Row("`drc.riscv32.ffet_dual.count` / `lvs.riscv32.ffet_dual.opens` / `.shorts` (the "
        "KLayout checker, both sides)",
        "{drc.riscv32.ffet_dual.count} / {lvs.riscv32.ffet_dual.opens} / "
        "{lvs.riscv32.ffet_dual.shorts}", "0 / 0 / 0", VERIFY),
    Row("`drc.riscv32.cfet.count`, `drc.riscv32.ffet_single.count` (the router's default 40 "
        "detailed passes)",
        "{drc.riscv32.cfet.count} (CFET), {drc.riscv32.ffet_single.count} (FFET single-sided)",
        "0", VERIFY),
    Row("`drc.riscv32.ffet_dual.seconds` (DRC and LVS of the FFET dual-sided core, the flow's "
        "`drc` step)", "{drc.riscv32.ffet_dual.seconds:.0f} s", "< 60 s", VERIFY),
    Row("`route.ispd18_sample` (our detailed route of the ISPD18 sample, judged by our "
        "checker, against OpenROAD's routed DEF)",
        "DRC {route.ispd18_sample.drc}, LVS opens {route.ispd18_sample.lvs_opens}, shorts "
        "{route.ispd18_sample.lvs_shorts}; wirelength {route.ispd18_sample.wirelength_um:.2f} "
        "um = {route.ispd18_sample.wl_over_openroad:.3f} x OpenROAD's; "
        "{route.ispd18_sample.vias} vias (OpenROAD {route.ispd18_sample.openroad_vias}); "
        "{route.ispd18_sample.seconds:.1f} s", "DRC 0, <= 1.10", ROUTE),
    Row("`route.gcd` / `route.overlapping_edges` global-route wirelength vs OpenROAD "
        "(OpenROAD's GRT-0018 definition)",
        "{route.gcd.wl_over_openroad:.3f} / {route.overlapping_edges.wl_over_openroad:.3f} "
        "(vias {route.gcd.vias_over_openroad:.2f} / "
        "{route.overlapping_edges.vias_over_openroad:.2f}; overflow {route.gcd.overflow} / "
        "{route.overlapping_edges.overflow})", "<= 1.05 with overflow 0", ROUTE),
    Row("`route.layers_curve.<variant>.fewest_clean` (one placement, 12 ... 3 layers per side: "
        "fewest that still route clean)",
        "{route.layers_curve.cfet.fewest_clean} (CFET), "
        "{route.layers_curve.ffet_single.fewest_clean} (FFET single-sided), "
        "{route.layers_curve.ffet_dual.fewest_clean} (FFET dual-sided)", "-", ROUTE),
    Row("`extract.riscv32.seconds` (extraction of the routed FFET dual-sided core: DEF, LEF "
        "and Liberty read, RC trees, SPEF written)",
        "{extract.riscv32.seconds:.1f} s ({extract.riscv32.nets} nets, "
        "{extract.riscv32.nets_two_sided} on both sides, {extract.riscv32.estimated} estimated)",
        "< 20 s", SIGNOFF),
    Row("`extract.synthetic.seconds` (the same extraction of a seeded synthetic routed design "
        "of the core's size)",
        "{extract.synthetic.seconds:.1f} s ({extract.synthetic.nets} nets, "
        "{extract.synthetic.spef_mb:.1f} MB of SPEF)", "< 20 s", SIGNOFF),
    Row("`flow.riscv32.<variant>.seconds` (a whole flow run of the core, library cached)",
        "{flow.riscv32.cfet.seconds:.0f} s CFET, {flow.riscv32.ffet_single.seconds:.0f} s FFET "
        "single-sided, {flow.riscv32.ffet_dual.seconds:.0f} s FFET dual-sided", "< 300 s", FLOW),
    Row("`flow.riscv32.ffet_dual_over_cfet` (area / fmax / power, FFET dual-sided vs CFET, "
        "equal utilization)",
        "{flow.riscv32.ffet_dual_over_cfet[area]:.3f} / "
        "{flow.riscv32.ffet_dual_over_cfet[fmax]:.3f} / "
        "{flow.riscv32.ffet_dual_over_cfet[power]:.3f}", "-", SIGNOFF),
    Row("`flow.riscv32.ffet_single_over_cfet` (area / fmax / power, FFET single-sided vs CFET, "
        "equal utilization)",
        "{flow.riscv32.ffet_single_over_cfet[area]:.3f} / "
        "{flow.riscv32.ffet_single_over_cfet[fmax]:.3f} / "
        "{flow.riscv32.ffet_single_over_cfet[power]:.3f}", "-", SIGNOFF),
    Row("`power.riscv32.<variant>.switching_share` / `.switching_share_at_fmax` (switching "
        "power over total, at the target clock / at fmax)",
        "CFET {power.riscv32.cfet.switching_share:.3f} / "
        "{power.riscv32.cfet.switching_share_at_fmax:.3f}, FFET single-sided "
        "{power.riscv32.ffet_single.switching_share:.3f} / "
        "{power.riscv32.ffet_single.switching_share_at_fmax:.3f}, FFET dual-sided "
        "{power.riscv32.ffet_dual.switching_share:.3f} / "
        "{power.riscv32.ffet_dual.switching_share_at_fmax:.3f}", "-", SIGNOFF),
    Row("`layout.riscv32.seconds` (GDS + OASIS of the routed FFET dual-sided core)",
        "{layout.riscv32.seconds:.1f} s ({layout.riscv32.gds_mib:.1f} MiB of GDS)", "< 30 s",
        "ffet layout"),
    Row("`sweep.speedup_2_workers` (8-variant sweep of the tiny design, 1 and 2 workers)",
        "{sweep.speedup_2_workers:.3f} ({sweep.tiny8.seconds_1_worker:.0f} s / "
        "{sweep.tiny8.seconds_2_workers:.0f} s)", ">= 1.7", "ffet sweep"),
)


class Missing(Exception):
    """A placeholder's key is absent from the snapshot or null there."""


def placeholders(template: str) -> list[tuple[str, str | None, str]]:
    """(key, member, spec) of every placeholder of a template (ValueError if malformed)."""
    out = []
    for inner in _PLACEHOLDER.findall(template):
        m = _FIELD.match(inner)
        if not m:
            raise ValueError(f"malformed placeholder {{{inner}}} in {template!r}")
        out.append((m["key"], m["member"], m["spec"] or ""))
    return out


def format_value(value: Any, spec: str = "", key: str = "") -> str:
    """One value as the table shows it (Missing for null or a non-finite number)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise Missing(key)
    if isinstance(value, bool):
        return "yes" if value else "no"
    try:
        if spec:
            text = format(value, spec)
        elif isinstance(value, int):
            text = f"{value:,}"
        elif isinstance(value, float):
            text = f"{value:.4g}"
        elif isinstance(value, str):
            text = value
        else:
            raise TypeError
    except (TypeError, ValueError):
        raise ConfigError(Issue("bench snapshot", key, value,
                                f"not a value the README can show as {spec or 'text'!r}")) \
            from None
    return text.replace("|", "\\|")  # a Markdown table cell


def _lookup(snapshot: Mapping[str, Any], key: str, member: str | None) -> Any:
    if key not in snapshot:
        raise Missing(key)
    value = snapshot[key]
    if member is not None:
        if value is None:
            raise Missing(key)
        if not isinstance(value, Mapping):
            raise ConfigError(Issue("bench snapshot", key, value,
                                    f"a table with member {member!r} expected"))
        value = value.get(member)
    return value


def _expand(snapshot: Mapping[str, Any], pattern: str, spec: str) -> str:
    head, _, tail = pattern.partition("*")
    keys = sorted(k for k in snapshot if not k.startswith("_") and fnmatchcase(k, pattern))
    if not keys or any(snapshot[k] is None for k in keys):
        raise Missing(pattern)
    return ", ".join(f"{k[len(head):len(k) - len(tail)]} {format_value(snapshot[k], spec, k)}"
                     for k in keys)


def measured(template: str, snapshot: Mapping[str, Any]) -> str:
    """The template filled from the snapshot, or NOT_MEASURED if any key is missing or null."""
    def fill(match: re.Match) -> str:
        ((key, member, spec),) = placeholders(match.group(0))
        if "*" in key:
            return _expand(snapshot, key, spec)
        return format_value(_lookup(snapshot, key, member), spec, key)

    try:
        return _PLACEHOLDER.sub(fill, template)
    except Missing:
        return NOT_MEASURED


def _link(path: str) -> str:
    return f"[{path}]({path})" if path.endswith(".md") else f"`{path}`"


def snapshot_line(snapshot: Mapping[str, Any], name: str) -> str:
    """Which snapshot, when its benchmarks ran and on which machine(s), from its `_meta`."""
    meta = snapshot.get("_meta")
    runs = [m for m in meta.values() if isinstance(m, Mapping)] if isinstance(meta, Mapping) \
        else []
    if not runs:
        return f"Snapshot `{name}` (it records no dates or machine)."
    whens = sorted(str(m["when"]) for m in runs if m.get("when"))
    days = sorted({w.split()[0] for w in whens})
    when = (days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}") if days else \
        "on unrecorded dates"
    machines = sorted({f"{m['cores']} cores, {m['cpu']}" if m.get("cores") and m.get("cpu")
                       else "an unrecorded machine" for m in runs})
    return (f"Snapshot `{name}`: {len(runs)} benchmarks run {when} on "
            f"{'; '.join(machines)}.")


def figures_block(snapshot: Mapping[str, Any], name: str, rows: tuple[Row, ...] = ROWS) -> str:
    """The text between the README's markers (each line ending in a newline)."""
    lines = [snapshot_line(snapshot, name), "",
             "| figure | measured | target | source |", "|---|---|---|---|"]
    previous = None
    for row in rows:
        source = "same" if row.source == previous else _link(row.source)
        previous = row.source
        lines.append(f"| {row.figure} | {measured(row.measured, snapshot)} | {row.target} | "
                     f"{source} |")
    return "\n".join(lines) + "\n"


def read_snapshot(path: Path) -> dict[str, Any]:
    """A bench.json snapshot (ConfigError, one line, if it is missing or not a JSON object)."""
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise ConfigError(Issue("--snapshot", "snapshot", str(path),
                                f"cannot be read ({exc.strerror}); run `ffet bench` and copy "
                                "its bench.json there")) from None
    except ValueError as exc:
        raise ConfigError(Issue("--snapshot", "snapshot", str(path),
                                f"is not JSON ({exc})")) from None
    if not isinstance(data, dict):
        raise ConfigError(Issue("--snapshot", str(path), type(data).__name__,
                                "a JSON object of bench keys expected"))
    return data


def replace_block(readme: str, block: str, source: str = "README.md") -> str:
    """The README text with the figures block replaced (ConfigError if the markers are not
    there exactly once, in order)."""
    start, end = readme.find(BEGIN), readme.find(END)
    if readme.count(BEGIN) != 1 or readme.count(END) != 1 or end < start:
        raise ConfigError(Issue(source, "figures block", f"{BEGIN} ... {END}",
                                "the markers must appear once each, in this order"))
    return readme[:start + len(BEGIN)] + "\n" + block + readme[end:]


def current_block(readme: str) -> str | None:
    """The text between the markers now (None without them)."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        return None
    return readme[start + len(BEGIN) + 1:end]
