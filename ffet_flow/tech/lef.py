"""Technology LEF (5.8) writer: one single-sided stack per side, and a merged viewing stack.

`tech_front.lef` holds M0..M<N-1> and V0..; `tech_back.lef` holds BM0..BM<N-1> and BV0.. with
BM0 at the bottom, so a single-sided router reads it as an ordinary stack. `tech.lef` merges
both for viewing: back layers from the top one down to BM0 below the device, then M0 upward;
no cut layer joins BM0 and M0 (there is no signal via through the device layer).

Lengths are written in microns with exactly the decimals the dbu grid needs (4 for 2000 dbu),
from integer arithmetic, so the text is byte-identical for identical inputs.
Electrical values: RESISTANCE RPERSQ = R per um x width in um (Ohm per square);
CAPACITANCE CPERSQDIST = the parallel-plate part of the Wong model (pF/um^2, planes above and
below); EDGECAPACITANCE = (total - CPERSQDIST x width) / 2 per edge (pF/um), so the LEF model
CPERSQDIST x W + 2 x EDGECAPACITANCE reproduces the total capacitance per um of `layers.json`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ffet_flow.tech.model import Layer, Tech, Via
from ffet_flow.util import atomic_write_text


def decimals(dbu: int) -> int:
    """Number of decimals that represent every multiple of 1/dbu micron exactly."""
    d = 0
    while 10**d % dbu:
        d += 1
        if d > 9:
            raise ValueError(f"dbu_per_micron {dbu} has no finite decimal grid")
    return d


def microns(value: int, dbu: int) -> str:
    """Exact decimal text of `value` dbu in microns (integer arithmetic, no float)."""
    d = decimals(dbu)
    scaled = abs(value) * (10**d // dbu)
    sign = "-" if value < 0 else ""
    if d == 0:
        return f"{sign}{scaled}"
    return f"{sign}{scaled // 10**d}.{scaled % 10**d:0{d}d}"


def _num(x: float, places: int) -> str:
    return f"{x:.{places}f}"


def _header(tech: Tech, title: str) -> list[str]:
    return [
        f"# {title}",
        f"# technology {tech.name} ({tech.arch}), written by ffet-flow `ffet pdk`",
        "VERSION 5.8 ;",
        'BUSBITCHARS "[]" ;',
        'DIVIDERCHAR "/" ;',
        "",
        "UNITS",
        f"  DATABASE MICRONS {tech.dbu} ;",
        "  CAPACITANCE PICOFARADS 1 ;",
        "  RESISTANCE OHMS 1 ;",
        "END UNITS",
        "",
        f"MANUFACTURINGGRID {microns(1, tech.dbu)} ;",
        "",
    ]


def _routing_layer(la: Layer, dbu: int) -> list[str]:
    um = lambda v: microns(v, dbu)  # noqa: E731
    rpersq = la.r_per_um * la.width / dbu
    # fF -> pF
    return [
        f"LAYER {la.name}",
        "  TYPE ROUTING ;",
        f"  DIRECTION {la.direction} ;",
        f"  PITCH {um(la.pitch)} ;",
        f"  OFFSET {um(la.offset)} ;",
        f"  WIDTH {um(la.width)} ;",
        f"  MINWIDTH {um(la.width)} ;",
        f"  SPACING {um(la.spacing)} ;",
        *([f"  SPACING {um(la.eol_spacing)} ENDOFLINE {um(la.eol_width)} "
           f"WITHIN {um(la.eol_within)} ;"] if la.eol_spacing else []),
        *([f"  AREA {microns(la.min_area, dbu * dbu)} ;"] if la.min_area else []),
        f"  THICKNESS {um(la.thickness)} ;",
        f"  RESISTANCE RPERSQ {_num(rpersq, 6)} ;",
        f"  CAPACITANCE CPERSQDIST {_num(la.c_area_per_um2 * 1e-3, 9)} ;",
        f"  EDGECAPACITANCE {_num(la.c_edge_per_um * 1e-3, 9)} ;",
        f"END {la.name}",
        "",
    ]


def _cut_layer(v: Via, lower: Layer, upper: Layer, dbu: int) -> list[str]:
    """A cut layer with its rules; ENCLOSURE gives the metal beyond the cut on each side of
    the via's pads (`_metal_pad`): the enclosure along the metal's direction, half the
    difference of line width and cut across it."""
    um = lambda x: microns(x, dbu)  # noqa: E731
    return [
        f"LAYER {v.name}",
        "  TYPE CUT ;",
        f"  WIDTH {um(v.cut)} ;",
        f"  SPACING {um(v.spacing)} ;",
        f"  ENCLOSURE BELOW {um(v.enclosure_below)} {um(max(0, (lower.width - v.cut) // 2))} ;",
        f"  ENCLOSURE ABOVE {um(v.enclosure_above)} {um(max(0, (upper.width - v.cut) // 2))} ;",
        f"  RESISTANCE {_num(v.resistance, 4)} ;",
        f"END {v.name}",
        "",
    ]


def _rect(la_name: str, x0: int, y0: int, x1: int, y1: int, dbu: int) -> list[str]:
    um = lambda v: microns(v, dbu)  # noqa: E731
    return [f"    LAYER {la_name} ;", f"      RECT {um(x0)} {um(y0)} {um(x1)} {um(y1)} ;"]


def _metal_pad(la: Layer, v: Via) -> tuple[int, int, int, int]:
    """Metal shape of a via on `la`: the line width across, cut + 2 x enclosure along."""
    half_along = v.cut // 2 + (v.enclosure_below if la.name == v.lower else v.enclosure_above)
    half_across = la.width // 2
    if la.direction == "HORIZONTAL":
        return -half_along, -half_across, half_along, half_across
    return -half_across, -half_along, half_across, half_along


def _via_def(v: Via, lower: Layer, upper: Layer, dbu: int) -> list[str]:
    h = v.cut // 2
    lines = [f"VIA {v.name}_DEF DEFAULT"]
    lines += _rect(lower.name, *_metal_pad(lower, v), dbu)
    lines += _rect(v.name, -h, -h, h, h, dbu)
    lines += _rect(upper.name, *_metal_pad(upper, v), dbu)
    lines += [f"END {v.name}_DEF", ""]
    return lines


def _site(tech: Tech) -> list[str]:
    return [
        f"SITE {tech.site_name}",
        "  CLASS CORE ;",
        "  SYMMETRY Y ;",
        f"  SIZE {microns(tech.cpp, tech.dbu)} BY {microns(tech.cell_height, tech.dbu)} ;",
        f"END {tech.site_name}",
        "",
    ]


def _stack(tech: Tech, layers: Iterable[Layer], vias: Iterable[Via]) -> list[str]:
    """Routing and cut layers bottom-up as given, each via layer right above its lower metal."""
    by_lower = {v.lower: v for v in vias}
    lines: list[str] = []
    for la in layers:
        lines += _routing_layer(la, tech.dbu)
        if la.name in by_lower:
            v = by_lower[la.name]
            lines += _cut_layer(v, tech.layer(v.lower), tech.layer(v.upper), tech.dbu)
    return lines


def _via_defs(tech: Tech, vias: Iterable[Via]) -> list[str]:
    lines: list[str] = []
    for v in vias:
        lines += _via_def(v, tech.layer(v.lower), tech.layer(v.upper), tech.dbu)
    return lines


def side_lef_text(tech: Tech, side: str) -> str:
    """LEF text of one side as a single-sided stack (level 0 at the bottom)."""
    layers, vias = tech.layers(side), tech.vias(side)
    lines = _header(tech, f"{side}-side stack: {len(layers)} metal layers, level 0 at the bottom")
    lines += _stack(tech, layers, vias) + _via_defs(tech, vias) + _site(tech)
    lines.append("END LIBRARY")
    return "\n".join(lines) + "\n"


def merged_lef_text(tech: Tech) -> str:
    """LEF text of both sides for viewing: back stack reversed below the device, front above."""
    lines = _header(tech, "merged stack for viewing: back layers (top down to BM0), device, "
                          "front layers (M0 up); no via across the device layer")
    back = tech.layers("back")
    by_upper = {v.upper: v for v in tech.vias("back")}
    for la in reversed(back):
        lines += _routing_layer(la, tech.dbu)
        if la.name in by_upper:  # BV<i> lies between BM<i+1> (written first) and BM<i>
            v = by_upper[la.name]
            lines += _cut_layer(v, tech.layer(v.lower), tech.layer(v.upper), tech.dbu)
    lines += _stack(tech, tech.layers("front"), tech.vias("front"))
    lines += _via_defs(tech, tech.vias("back")) + _via_defs(tech, tech.vias("front"))
    lines += _site(tech)
    lines.append("END LIBRARY")
    return "\n".join(lines) + "\n"


#: metal levels per side that placement needs: cell pins and rails (level 0) and the I/O pin
#: layers (levels 1 and 2, the lowest vertical and horizontal routing layers)
PLACEMENT_LEVELS = 3


def placement_tech(tech: Tech) -> Tech:
    """The part of the stack that placement reads: levels 0..2 of each side.

    It does not change with `layers_front` / `layers_back` (when each is at least 3), so
    variants that differ only in routing layers share their floorplan and placement.
    """
    from dataclasses import replace

    n = PLACEMENT_LEVELS
    return replace(tech, front=tech.front[:n], back=tech.back[:n],
                   front_vias=tech.front_vias[:n - 1], back_vias=tech.back_vias[:n - 1])


def write_tech_lefs(tech: Tech, out_dir: Path) -> dict[str, Path]:
    """Write tech_front.lef, tech_back.lef, tech.lef and tech_place.lef into `out_dir`."""
    out_dir = Path(out_dir)
    paths = {"tech_front_lef": out_dir / "tech_front.lef",
             "tech_back_lef": out_dir / "tech_back.lef",
             "tech_lef": out_dir / "tech.lef",
             "tech_place_lef": out_dir / "tech_place.lef"}
    atomic_write_text(paths["tech_front_lef"], side_lef_text(tech, "front"))
    atomic_write_text(paths["tech_back_lef"], side_lef_text(tech, "back"))
    atomic_write_text(paths["tech_lef"], merged_lef_text(tech))
    atomic_write_text(paths["tech_place_lef"], merged_lef_text(placement_tech(tech)))
    return paths
