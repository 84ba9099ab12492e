"""Floorplan: die and core from cell area, utilization and aspect ratio; rows of the site;
tracks of every routing layer (both wafer sides); I/O pins spread on the die boundary (front
side); supply rails on the layers and sides where the library's cells have their supply pins.

All lengths in dbu. The core is `ceil` of the needed rows and sites, so the real utilization is
at most the target; the margin between die and core is rounded up to whole sites (x) and rows (y).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design, Net, Path, Row, Tracks
from ffet_flow.io.lef import Layer, Library, Site, layer_side

SUPPLY_USES = ("POWER", "GROUND")


@dataclass(frozen=True)
class FloorplanOptions:
    utilization: float = 0.7  # cell area / core area, (0, 1)
    aspect_ratio: float = 1.0  # core height / width
    core_margin: float = 1.0  # microns between die edge and core on each side


def choose_site(design: Design, lib: Library) -> Site:
    """The site most of the design's cells name (else the library's only CORE site)."""
    named = Counter(lib.macros[m].site for m in design.components.macros if lib.macros[m].site)
    for name, _ in named.most_common():
        if name in lib.sites:
            return lib.sites[name]
    core = [s for s in lib.sites.values() if s.cls == "CORE"] or list(lib.sites.values())
    if len(core) != 1:
        raise ConfigError(Issue("LEF", "SITE", ", ".join(s.name for s in core) or "none",
                                "exactly one core site needed (or macros naming their SITE)"))
    return core[0]


def _rails(lib: Library, design: Design) -> list[tuple[str, str, str, int, int]]:
    """(net, use, layer, y0, y1) of the supply rails, read from a cell's full-width supply
    shapes (the most used macro that has them), in orientation N."""
    for macro_name, _ in Counter(design.components.macros).most_common():
        m = lib.macros[macro_name]
        rails = []
        for pin in m.pins.values():
            if pin.use not in SUPPLY_USES:
                continue
            for layer, (x0, y0, x1, y1) in pin.shapes:
                if x0 <= 0 and x1 >= m.width:
                    rails.append((pin.name, pin.use, layer, y0, y1))
        if rails:
            return sorted(set(rails))
    return []


def make_tracks(lib: Library, die: tuple[int, int, int, int],
                origin: tuple[int, int] | None = None) -> list[Tracks]:
    """DEF TRACKS of every routing layer in `lib` (both wafer sides) over the die.

    Tracks lie at `offset + k * pitch` from `origin` (the lower-left corner of the rows; the
    die corner without rows), continued to the die edges. Counted from the rows, the cells'
    level-0 tracks (pins) and every routing layer of the same pitch coincide, and vertical
    tracks keep the same few offsets to the sites, whatever the core margin: pin access points
    are the same for every placement of a cell on a given site parity."""
    ox, oy = origin if origin is not None else (die[0], die[1])
    out = []
    for layer in lib.routing_layers():
        for axis, pitch, offset, lo, hi, o in (
                ("X", layer.pitch_x, layer.offset_x, die[0], die[2], ox),
                ("Y", layer.pitch_y, layer.offset_y, die[1], die[3], oy)):
            if pitch <= 0:
                continue
            first = o + (offset if offset > 0 else pitch // 2)
            start = first - ((first - lo) // pitch) * pitch
            if start >= hi:
                continue
            out.append(Tracks(axis, start, (hi - start - 1) // pitch + 1, pitch, (layer.name,)))
    return out


def rows_origin(design: Design) -> tuple[int, int] | None:
    """Lower-left corner of the design's rows (None without rows)."""
    if not design.rows:
        return None
    return min(r.x for r in design.rows), min(r.y for r in design.rows)


def _pin_layers(lib: Library) -> tuple[Layer, Layer]:
    """(horizontal, vertical) front routing layers for I/O pins: the lowest ones above the
    cell-pin layer (the lowest routing layer)."""
    front = [la for la in lib.routing_layers() if layer_side(la.name) == "front"]
    above = front[1:] or front
    horiz = next((la for la in above if la.direction == "HORIZONTAL"), None)
    vert = next((la for la in above if la.direction == "VERTICAL"), None)
    if horiz is None or vert is None:
        raise ConfigError(Issue("LEF", "LAYER", ", ".join(la.name for la in front),
                                "front-side horizontal and vertical routing layers needed"))
    return horiz, vert


def pin_length(lib: Library, layer: Layer) -> int:
    """Length of an I/O pin on `layer` from the die edge inwards: two pitches of the layers
    that cross it (so a router track crossing always lies on it), at least two widths."""
    front = [la for la in lib.routing_layers() if layer_side(la.name) == layer_side(layer.name)]
    k = [la.name for la in front].index(layer.name)
    cross = [la.pitch for la in front[max(0, k - 1):k + 2] if la.direction != layer.direction]
    return max(2 * layer.width, layer.pitch, 2 * max(cross, default=0))


def _place_pins(design: Design, lib: Library) -> None:
    """Spread the I/O pins evenly around the die, clockwise from the lower left, on tracks."""
    pins = design.pins
    if not pins:
        return
    horiz, vert = _pin_layers(lib)
    need, twin = back_twins(design, lib)
    x0, y0, x1, y1 = design.die_area
    w, h = x1 - x0, y1 - y0
    perimeter = 2 * (w + h)
    used: set[tuple[str, int]] = set()

    starts = {(t.axis, name): (t.start, t.step, t.num) for t in design.tracks
              for name in t.layers}

    def on_track(v: int, layer: Layer, axis: str, edge: str) -> int:
        """The free track of `layer` (DEF TRACKS on `axis`) nearest v, taken for `edge`."""
        start, pitch, n = starts[(axis, layer.name)]
        k = min(max(0, round((v - start) / pitch)), n - 1)
        for step in range(n):  # nearest free track (alternating up and down)
            for kk in (k + step, k - step):
                if 0 <= kk < n and (edge, kk) not in used:
                    used.add((edge, kk))
                    return start + kk * pitch
        raise ConfigError(Issue("floorplan", "pins", len(pins),
                                "more I/O pins than boundary tracks; lower the utilization"))

    for k, pin in enumerate(pins):
        s = (k + 0.5) / len(pins) * perimeter
        if s < h:  # left edge, going up
            edge, layer = "L", horiz
            y = on_track(y0 + int(s), layer, "Y", edge)
            hw, ln = layer.width // 2, pin_length(lib, layer)
            pin.x, pin.y, rect = x0, y, (0, -hw, ln, hw)
        elif s < h + w:  # top edge, going right
            edge, layer = "T", vert
            x = on_track(x0 + int(s - h), layer, "X", edge)
            hw, ln = layer.width // 2, pin_length(lib, layer)
            pin.x, pin.y, rect = x, y1, (-hw, -ln, hw, 0)
        elif s < 2 * h + w:  # right edge, going down
            edge, layer = "R", horiz
            y = on_track(y1 - int(s - h - w), layer, "Y", edge)
            hw, ln = layer.width // 2, pin_length(lib, layer)
            pin.x, pin.y, rect = x1, y, (-ln, -hw, 0, hw)
        else:  # bottom edge, going left
            edge, layer = "B", vert
            x = on_track(x1 - int(s - 2 * h - w), layer, "X", edge)
            hw, ln = layer.width // 2, pin_length(lib, layer)
            pin.x, pin.y, rect = x, y0, (-hw, 0, hw, ln)
        pin.shapes = [(layer.name, rect)]
        if pin.name in need and layer.name in twin:  # the same shape on the back as well
            pin.shapes.append((twin[layer.name], rect))
        pin.orient, pin.status = "N", "PLACED"


def back_twins(design: Design, lib: Library) -> tuple[set[str], dict[str, str]]:
    """(I/O pins that need a shape on the back too, {front pin layer: its back twin}).

    An input pin whose net reaches back-side cell pins with no dual-sided cell pin on the net
    (it has no driver cell) gets the same shape on the back layer of the same level: otherwise
    nothing would join the net's back sub-net to the rest (DESIGN.md section 2: a net's
    sub-nets meet only where a pin is on both sides)."""
    front = [la.name for la in lib.routing_layers() if layer_side(la.name) == "front"]
    back = [la.name for la in lib.routing_layers() if layer_side(la.name) == "back"][::-1]
    twin = {name: back[k] for k, name in enumerate(front) if k < len(back)}
    comps = design.components
    index = {n: i for i, n in enumerate(comps.names)}
    io = {p.name: p for p in design.pins}
    need: set[str] = set()
    for net in design.nets:
        pins = [p for c, p in net.conns if c == "PIN" and p in io
                and io[p].direction.upper() != "OUTPUT"]
        if not pins:
            continue
        sides = set()
        for comp, pin in net.conns:
            if comp != "PIN" and comp in index:
                m = lib.macros.get(comps.macros[index[comp]])
                if m is not None and pin in m.pins:
                    sides.add(m.pins[pin].side)
        if "back" in sides and "both" not in sides:
            need.update(pins)
    return need, twin


def floorplan(design: Design, lib: Library, opts: FloorplanOptions) -> dict[str, float]:
    """Fill in die, rows, tracks, pin positions and supply rails of an unplaced design.

    Returns floorplan metrics (areas in um^2)."""
    if not 0.0 < opts.utilization < 1.0:
        raise ConfigError(Issue("floorplan", "utilization", opts.utilization,
                                "allowed: number in (0, 1)"))
    site = choose_site(design, lib)
    macros = [lib.macros[m] for m in design.components.macros]
    cell_area = sum(m.area for m in macros)
    if cell_area <= 0:
        raise ConfigError(Issue("floorplan", "netlist", 0, "no cells to place"))
    core_area = cell_area / opts.utilization
    n_rows = max(1, round(math.sqrt(core_area * opts.aspect_ratio) / site.height))
    n_sites = max(1, math.ceil(core_area / (n_rows * site.height) / site.width))
    widest = max(m.width for m in macros)
    tallest = max(m.height for m in macros)
    if widest > n_sites * site.width or tallest > n_rows * site.height:
        raise ConfigError(Issue("floorplan", "aspect_ratio", opts.aspect_ratio,
                                f"core of {n_sites} sites x {n_rows} rows is too small for the "
                                f"largest cell ({widest} x {tallest} dbu); change the aspect "
                                "ratio or utilization"))
    margin = opts.core_margin * lib.dbu
    mx = math.ceil(margin / site.width) * site.width
    my = math.ceil(margin / site.height) * site.height
    core_w, core_h = n_sites * site.width, n_rows * site.height
    design.die_area = (0, 0, core_w + 2 * mx, core_h + 2 * my)
    design.rows = [Row(f"ROW_{i}", site.name, mx, my + i * site.height,
                       "N" if i % 2 == 0 else "FS", n_sites, 1, site.width, 0)
                   for i in range(n_rows)]
    design.tracks = make_tracks(lib, design.die_area, rows_origin(design))
    _place_pins(design, lib)
    rails = _rails(lib, design)
    nets: dict[str, Net] = {}
    seen: set[tuple] = set()
    for row in design.rows:
        for net, use, layer, y0, y1 in rails:
            if row.orient in ("FS", "S"):
                y0, y1 = site.height - y1, site.height - y0
            yc2 = 2 * row.y + y0 + y1  # twice the centre line, to stay in integers
            key = (net, layer, yc2)
            if key in seen:
                continue
            seen.add(key)
            n = nets.setdefault(net, Net(net, [("*", net)], use=use))
            n.paths.append(Path(layer, [(mx, yc2 // 2), (mx + core_w, yc2 // 2)],
                                width=y1 - y0, shape="FOLLOWPIN"))
    design.specialnets = [nets[k] for k in sorted(nets)]
    um2 = float(lib.dbu) ** 2
    return {"design__die__area": design.die_area[2] * design.die_area[3] / um2,
            "design__core__area": core_w * core_h / um2,
            "design__instance__area": cell_area / um2,
            "design__instance__count": len(macros),
            "design__instance__utilization": cell_area / (core_w * core_h),
            "floorplan__rows": n_rows, "floorplan__io_pins": len(design.pins),
            "floorplan__io_pins__dual_sided": sum(
                1 for p in design.pins if len({layer_side(la) for la, _ in p.shapes}) == 2),
            "floorplan__rails": sum(len(n.paths) for n in design.specialnets)}
