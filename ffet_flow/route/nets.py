"""Net decomposition: the pins of every net on one wafer side (DESIGN.md section 2).

A net's front sub-net holds its pins on the front (I/O pins, front-side inputs, the driver's
dual-sided output), its back sub-net the pins on the back (back-side inputs and the driver's
dual-sided output, which is the junction of the two). Pin sides come from the LEF port layers
and `pins.json`. Each pin is reduced to one access point: the centre of its port shape on the
side's lowest layer, in die coordinates (dbu), with the level of that layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design, orient_rect
from ffet_flow.io.lef import Library, layer_side

POWER_USES = ("POWER", "GROUND")


@dataclass(frozen=True)
class PinPoint:
    x: int
    y: int
    level: int  # metal level of the pin's port layer on this side (0 = M0 / BM0)
    name: str  # "inst/pin" or "PIN/name"


def _place_point(px: int, py: int, w: int, h: int, orient: str, x: int, y: int) -> tuple[int, int]:
    """A macro-local point mapped into the die for a cell placed at (x, y) with `orient`."""
    qx, qy, _, _ = orient_rect((px, py, px, py), orient)
    bx0, by0, _, _ = orient_rect((0, 0, w, h), orient)
    return x + qx - bx0, y + qy - by0


def cell_pin(design: Design, index: Mapping[str, int], lib: Library, net: str, comp: str,
             pin: str, side: str, source: str, issues: list[Issue]):
    """(component index, macro, LEF pin) of a net's connection `comp/pin` when it is a signal
    pin with shapes on `side`'s terminal list; None otherwise, with an issue for bad input (a
    component, cell or pin the DEF and LEF do not have)."""
    comps = design.components
    i = index.get(comp)
    if i is None:
        issues.append(Issue(source, f"net {net}", comp, "component not in COMPONENTS"))
        return None
    macro = lib.macros.get(comps.macros[i])
    if macro is None:
        issues.append(Issue(source, f"component {comp}", comps.macros[i],
                            "cell not in the library LEF"))
        return None
    mpin = macro.pins.get(pin)
    if mpin is None:
        issues.append(Issue(source, f"net {net}", f"{comp}/{pin}",
                            f"cell {macro.name} has no such pin"))
        return None
    if mpin.use.upper() in POWER_USES or mpin.side not in (side, "both"):
        return None
    return i, macro, mpin


def side_nets(design: Design, lib: Library, side: str, levels: Mapping[str, int],
              source: str = "DEF") -> dict[str, list[PinPoint]]:
    """{net: access points of its pins on `side`} for every signal net (sorted by net name).

    `levels` maps the side's metal layer names to their level. Unknown components, macros,
    pins or layers are ConfigErrors (one issue each, all reported together).
    """
    comps = design.components
    index = {n: i for i, n in enumerate(comps.names)}
    io = {p.name: p for p in design.pins}
    special = {n.name for n in design.specialnets}
    issues: list[Issue] = []
    out: dict[str, list[PinPoint]] = {}
    for net in design.nets:
        if net.use.upper() in POWER_USES or net.name in special:
            continue
        points: list[PinPoint] = []
        for comp, pin in net.conns:
            if comp == "PIN":
                p = io.get(pin)
                if p is None:
                    issues.append(Issue(source, f"net {net.name}", pin, "I/O pin not in PINS"))
                    continue
                shapes = [(la, r) for la, r in p.shapes if layer_side(la) == side]
                if not shapes:
                    continue
                layer, rect = min(shapes, key=lambda s: levels.get(s[0], 99))
                if layer not in levels:
                    issues.append(Issue(source, f"pin {pin}", layer, "unknown layer"))
                    continue
                r = orient_rect(rect, p.orient)
                points.append(PinPoint(p.x + (r[0] + r[2]) // 2, p.y + (r[1] + r[3]) // 2,
                                       levels[layer], f"PIN/{pin}"))
                continue
            found = cell_pin(design, index, lib, net.name, comp, pin, side, source, issues)
            if found is None:
                continue
            i, macro, mpin = found
            shapes = [(la, r) for la, r in mpin.shapes if layer_side(la) == side]
            if not shapes:
                continue
            layer, rect = min(shapes, key=lambda s: (levels.get(s[0], 99), s[1]))
            if layer not in levels:
                issues.append(Issue(source, f"cell {macro.name} pin {pin}", layer,
                                    f"no {side}-side layer of that name in the technology"))
                continue
            x, y = _place_point((rect[0] + rect[2]) // 2, (rect[1] + rect[3]) // 2,
                                macro.width, macro.height, comps.orients[i],
                                int(comps.x[i]), int(comps.y[i]))
            points.append(PinPoint(x, y, levels[layer], f"{comp}/{pin}"))
        if len(points) >= 2:
            out[net.name] = points
    if issues:
        raise ConfigError(list(dict.fromkeys(issues)))  # a bad cell is named once, not per net
    return dict(sorted(out.items()))
