"""Turn a routed DEF (+ cell LEF, Liberty, pin sides) into the extractor's plain NetRoutes.

Pin shapes come from the cell LEF, placed with the component's location and orientation
(DEF semantics: orient the macro about its origin, then move its bounding box's lower-left
corner to the component location). With a pins.json, an input pin's shapes are kept on its
declared side only (M* front, BM* back); dual-sided outputs keep both. Wires and vias come
from the net's ROUTED wiring. Supply nets (USE POWER/GROUND, SPECIALNETS) are not extracted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.extract.rctree import NetPin, NetRoute, RcTech, Shape, ViaAt, Wire
from ffet_flow.extract.spef import Port
from ffet_flow.io.def_ import Design, orient_rect
from ffet_flow.io.liberty import Library as LibertyLibrary

_DIR_LIB = {"input": "I", "output": "O", "inout": "B", "internal": "B"}
_DIR_DEF = {"INPUT": "I", "OUTPUT": "O", "INOUT": "B", "FEEDTHRU": "B", "": "B"}
_LAYERS_RE = re.compile(r"\+\s*LAYERS\s+(\S+)\s+(\S+)\s+(\S+)")


def _side_of_layer(name: str) -> str:
    return "back" if name.upper().startswith("B") else "front"


def via_resolver(tech: RcTech, def_vias: list[str]):
    """Map a DEF via name to a tech via (cut layer) name.

    Accepted: the tech via name itself (`V1`), a name starting with it and '_' (`V1_DEF`,
    the tech LEF's default vias), or a generated via of the DEF VIAS section whose
    `+ LAYERS bottom cut top` names the cut.
    """
    generated: dict[str, str] = {}
    for entry in def_vias:
        parts = entry.split()
        if len(parts) >= 2 and (m := _LAYERS_RE.search(entry)):
            generated[parts[1] if parts[0] == "-" else parts[0]] = m.group(2)
    cache: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        if name in cache:
            return cache[name]
        found: str | None = None
        if name in tech.vias:
            found = name
        elif generated.get(name) in tech.vias:
            found = generated[name]
        else:
            head = name.split("_", 1)[0]
            found = head if head in tech.vias else None
        cache[name] = found
        return found

    return resolve


def routes_from_def(design: Design, lef_lib, liberty: LibertyLibrary, tech: RcTech,
                    pin_sides: Mapping[str, Mapping[str, str]] | None = None,
                    ) -> tuple[list[NetRoute], list[Port]]:
    """(one NetRoute per signal net, the top-level ports). ConfigError lists every unknown
    macro, pin, layer or via found."""
    issues: list[Issue] = []
    comps = design.components
    comp_index = {n: i for i, n in enumerate(comps.names)}
    io_pins = {p.name: p for p in design.pins}
    resolve_via = via_resolver(tech, design.vias)
    xs, ys = comps.x.tolist(), comps.y.tolist()
    # pin shapes relative to the component location, per (macro, orientation, pin)
    rel_cache: dict[tuple[str, str, str], tuple[tuple[str, int, int, int, int], ...] | None] = {}

    def placed_pin(ci: int, pin: str) -> tuple[Shape, ...] | None:
        macro_name, orient = comps.macros[ci], comps.orients[ci]
        key = (macro_name, orient, pin)
        rel = rel_cache.get(key, False)
        if rel is False:
            macro = lef_lib.macros.get(macro_name)
            if macro is None or pin not in macro.pins:
                rel = None
            else:
                bx0, by0, _, _ = orient_rect((0, 0, macro.width, macro.height), orient)
                side = (pin_sides or {}).get(macro_name, {}).get(pin, "both")
                out = []
                for layer, rect in macro.pins[pin].shapes:
                    if layer not in tech.layers:
                        continue
                    if side in ("front", "back") and _side_of_layer(layer) != side:
                        continue
                    r = orient_rect(rect, orient)
                    out.append((layer, r[0] - bx0, r[1] - by0, r[2] - bx0, r[3] - by0))
                rel = tuple(out)
            rel_cache[key] = rel
        if rel is None:
            return None
        dx, dy = xs[ci], ys[ci]
        return tuple(Shape(la, x0 + dx, y0 + dy, x1 + dx, y1 + dy) for la, x0, y0, x1, y1 in rel)

    routes: list[NetRoute] = []
    for net in design.nets:
        if net.use.upper() in ("POWER", "GROUND"):
            continue
        pins: list[NetPin] = []
        for comp, pin in net.conns:
            if comp == "PIN":
                io = io_pins.get(pin)
                if io is None:
                    issues.append(Issue("DEF", f"net {net.name}", pin, "no such PIN"))
                    continue
                shapes = tuple(Shape(la, *r) for la, r in io.abs_shapes() if la in tech.layers)
                pins.append(NetPin(None, io.name, _DIR_DEF.get(io.direction.upper(), "B"),
                                   shapes))
                continue
            ci = comp_index.get(comp)
            if ci is None:
                issues.append(Issue("DEF", f"net {net.name}", comp, "no such component"))
                continue
            cell = comps.macros[ci]
            lib_cell = liberty.cells.get(cell)
            if lib_cell is None or pin not in lib_cell.pins:
                issues.append(Issue("Liberty", f"net {net.name}", f"{cell}/{pin}",
                                    "cell or pin not in the Liberty library"))
                continue
            shapes = placed_pin(ci, pin)
            if shapes is None:
                issues.append(Issue("LEF", f"net {net.name}", f"{cell}/{pin}",
                                    "macro or pin not in the cell LEF"))
                continue
            pins.append(NetPin(comp, pin, _DIR_LIB[lib_cell.pins[pin].direction], shapes,
                               cell))
        wires = []
        for layer, x0, y0, x1, y1, _w in net.segments():
            if layer not in tech.layers:
                issues.append(Issue("DEF", f"net {net.name}", layer, "layer not in layers.json"))
                continue
            wires.append(Wire(layer, x0, y0, x1, y1))
        vias = []
        for name, x, y in net.vias():
            cut = resolve_via(name)
            if cut is None:
                issues.append(Issue("DEF", f"net {net.name}", name,
                                    "via not in layers.json (expected V<n>/BV<n>[_...])"))
                continue
            vias.append(ViaAt(cut, x, y))
        routes.append(NetRoute(net.name, tuple(pins), tuple(wires), tuple(vias)))
        if len(issues) > 50:
            break
    if issues:
        raise ConfigError(issues[:50])
    ports = [Port(p.name, _DIR_DEF.get(p.direction.upper(), "B")) for p in design.pins
             if not p.special and p.use.upper() not in ("POWER", "GROUND")]
    return routes, ports
