"""Pin access of a cell: where a level-1 track can land a via on each level-0 pin, and pins
widened along their track until they have enough such points.

A cell may be placed on any site, so the level-1 (M1 / BM1, vertical) tracks cross it at one of
a few offsets ("phases": CPP 51 nm against a 34 nm M1 pitch gives two). An access point of a pin
is a level-1 track x where the V0 via fits entirely on the pin's level-0 shape (the cut plus
its enclosure along the track inside the rect) and the via's level-1 pad keeps the spacing (and,
along the track, the end-of-line spacing) from the cell's own level-1 wiring. `widen_pins`
lengthens each pin rect along its track, inside the room its neighbours on that track leave,
until every pin has `TARGET` access points in every phase (or as many as the room allows, at
least one where any fit). The router computes its access points from the written LEF the same
way; this module only makes sure there are some. Lengths in dbu, cell frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from math import gcd
from types import MappingProxyType

from ffet_flow.cells.geometry import Rect

#: access points per pin and phase the widening aims for (two, so that neighbouring pins that
#: want the same track still find a way in)
TARGET = 4
SIDES = ("front", "back")


def track_phases(tech, side: str) -> tuple[int, ...]:
    """x offsets (mod the pitch) of the side's level-1 tracks in a cell, over all sites."""
    la1 = tech.layers(side)[1]
    p = la1.pitch
    n = p // gcd(tech.cpp, p)
    return tuple(sorted({(la1.offset - s * tech.cpp) % p for s in range(n)}))


def _pad_halves(tech, side: str, level: int = 0) -> tuple[int, int]:
    """Half-lengths of the pads of the via between level 0 and 1 (level 2 and 1 with
    `level=2`): along the horizontal level (x) and along level 1 (y)."""
    if level == 0:
        v = tech.vias(side)[0]
        return v.cut // 2 + v.enclosure_below, v.cut // 2 + v.enclosure_above
    v = tech.vias(side)[1]
    return v.cut // 2 + v.enclosure_above, v.cut // 2 + v.enclosure_below


def _blocked(x: int, y: int, tech, side: str, obs1: list[Rect]) -> bool:
    """Whether the level-1 pad of a via at (x, y) comes too close to the cell's level-1 OBS."""
    la1 = tech.layers(side)[1]
    _, half_y = _pad_halves(tech, side)
    dx = la1.width // 2 + la1.spacing
    dy = half_y + max(la1.spacing, la1.eol_spacing)
    return any(r[0] < x + dx and x - dx < r[2] and r[1] < y + dy and y - dy < r[3]
               for r in obs1)


def access_points(rects, tech, side: str, width: int, obs1: list[Rect],
                  phase: int, level: int = 0) -> list[tuple[int, int]]:
    """Access points (x, y) of a pin made of horizontal `rects` on `level` (0, or 2 for a pin
    lifted to level 2 inside the cell) for level-1 tracks at `phase + k * pitch`, in a cell
    `width` dbu wide."""
    la1 = tech.layers(side)[1]
    half_x, _ = _pad_halves(tech, side, level)
    pts = []
    for x0, y0, x1, y1 in rects:
        y = (y0 + y1) // 2
        x = phase + ((x0 + half_x - phase + la1.pitch - 1) // la1.pitch) * la1.pitch
        while x + half_x <= x1:
            if 0 <= x <= width and not _blocked(x, y, tech, side, obs1):
                pts.append((x, y))
            x += la1.pitch
    return sorted(set(pts))


def _room(rect: Rect, others: list[Rect], spacing: int, width: int) -> tuple[int, int]:
    """x range a rect may grow to on its track: up to the spacing from the nearest other shape
    on the same track on each side, and half a spacing from the cell edges."""
    margin = (spacing + 1) // 2
    lo, hi = margin, width - margin
    for o in others:
        if o[1] < rect[3] and rect[1] < o[3]:  # same track (overlapping y)
            if o[2] <= rect[0]:
                lo = max(lo, o[2] + spacing)
            elif o[0] >= rect[2]:
                hi = min(hi, o[0] - spacing)
    return min(lo, rect[0]), max(hi, rect[2])


def _count(rects, tech, side, width, obs1, phases, rects2=()) -> list[int]:
    """Access points per phase on level-0 `rects` and level-2 `rects2`."""
    return [len(access_points(rects, tech, side, width, obs1, ph))
            + (len(access_points(rects2, tech, side, width, (), ph, level=2)) if rects2 else 0)
            for ph in phases]


def pin_rects(layout, tech, side: str, pin: str) -> tuple[list[Rect], list[Rect]]:
    """A pin's level-0 and level-2 rects on `side`."""
    stack = tech.layers(side)
    names = [la.name for la in stack[:3]]
    items = layout.pins.get(pin, ())
    r0 = [r for la, r in items if la == names[0]]
    r2 = [r for la, r in items if len(names) > 2 and la == names[2]]
    return r0, r2


def _grow(rect: Rect, room: tuple[int, int], need, tech, side, width, obs1, phases,
          rest: list[Rect]) -> Rect:
    """The smallest growth of `rect` inside `room` (trying the nearest candidate track points
    first) after which the pin (`rest` are its other rects) reaches `need` points per phase."""
    la1 = tech.layers(side)[1]
    half_x, _ = _pad_halves(tech, side)
    cands = []
    for ph in phases:
        x = ph + ((room[0] + half_x - ph + la1.pitch - 1) // la1.pitch) * la1.pitch
        while x + half_x <= room[1]:
            cands.append(x)
            x += la1.pitch
    cur = rect
    for x in sorted(cands, key=lambda x: (max(rect[0] + half_x - x, x - rect[2] + half_x, 0), x)):
        counts = _count(rest + [cur], tech, side, width, obs1, phases)
        if all(c >= n for c, n in zip(counts, need, strict=True)):
            break
        cur = (min(cur[0], x - half_x), cur[1], max(cur[2], x + half_x), cur[3])
    return cur


def widen_pins(layout, tech):
    """`layout` with its level-0 pin rects lengthened for access (see the module docstring);
    the extra metal's capacitance is added to the pin net's intra-cell parasitics."""
    pins = {p: list(shapes) for p, shapes in layout.pins.items()}
    shapes = {la: list(v) for la, v in layout.shapes.items()}
    parasitics = dict(layout.parasitics)
    changed = False
    for side in SIDES:
        stack = tech.layers(side)
        if len(stack) < 2:
            continue
        la0, la1 = stack[0], stack[1]
        phases = track_phases(tech, side)
        la2 = stack[2].name if len(stack) > 2 else None
        for want in (1, TARGET):
            for pin in sorted(pins):
                rects = [r for la, r in pins[pin] if la == la0.name]
                rects2 = [r for la, r in pins[pin] if la == la2]
                if not rects:
                    continue
                obs1 = level1_blockers(layout, la1.name, pin, pins)
                have = _count(rects, tech, side, layout.width, obs1, phases, rects2)
                if all(h >= want for h in have):
                    continue
                for k, rect in enumerate(rects):
                    others = [r for _n, r in shapes.get(la0.name, []) if r != rect]
                    room = _room(rect, others, la0.spacing, layout.width)
                    need = [max(want, h) for h in have]
                    new = _grow(rect, room, need, tech, side, layout.width, obs1, phases,
                                rects[:k] + rects[k + 1:])
                    if new == rect:
                        continue
                    changed = True
                    extra = (new[2] - new[0]) - (rect[2] - rect[0])
                    pins[pin] = [(la, new if (la == la0.name and r == rect) else r)
                                 for la, r in pins[pin]]
                    shapes[la0.name] = [(n, new if (n == pin and r == rect) else r)
                                        for n, r in shapes[la0.name]]
                    if pin in parasitics:
                        p = parasitics[pin]
                        parasitics[pin] = replace(p, c_ff=p.c_ff + la0.c_per_um * extra / tech.dbu)
                    rects[k] = new
                    have = _count(rects, tech, side, layout.width, obs1, phases, rects2)
    if not changed:
        return layout
    return replace(layout,
                   pins=MappingProxyType({k: tuple(v) for k, v in sorted(pins.items())}),
                   shapes=MappingProxyType({k: tuple(v) for k, v in sorted(shapes.items())}),
                   parasitics=MappingProxyType(dict(sorted(parasitics.items()))))


def access_summary(layouts: Mapping, tech) -> dict[str, dict[str, list[int]]]:
    """{cell: {pin: [access points per phase]}} over both sides (for reports and tests)."""
    out: dict[str, dict[str, list[int]]] = {}
    for name, layout in layouts.items():
        for side in SIDES:
            stack = tech.layers(side)
            if len(stack) < 2:
                continue
            for pin in layout.pins:
                rects, rects2 = pin_rects(layout, tech, side, pin)
                obs1 = level1_blockers(layout, stack[1].name, pin)
                if rects:
                    counts = _count(rects, tech, side, layout.width, obs1,
                                    track_phases(tech, side), rects2)
                    out.setdefault(name, {})[f"{pin}@{side}"] = counts
    return out


def min_access(layout, tech) -> int:
    """The fewest access points any pin of `layout` has in any phase (large if no pins)."""
    counts = [min(v) for v in access_summary({layout.name: layout}, tech).get(layout.name,
                                                                              {}).values()]
    return min(counts, default=1 << 30)


def _distinct_columns(options: list[set[int]]) -> bool:
    """Whether every pin can take an access column of its own (bipartite matching by
    augmenting paths; pins of one cell on one column always violate the end-of-line rule)."""
    match: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for c in sorted(options[p]):
            if c in seen:
                continue
            seen.add(c)
            if c not in match or augment(match[c], seen):
                match[c] = p
                return True
        return False

    return all(augment(p, set()) for p in range(len(options)))


def level1_blockers(layout, layer: str, pin: str, pins=None) -> list[Rect]:
    """The cell's level-1 metal a via pad of `pin` must keep clear of: OBS, and the level-1
    shapes of its other pins (a lifted pin's stubs)."""
    pins = layout.pins if pins is None else pins
    return ([r for la, r in layout.obstructions if la == layer]
            + [r for p, items in pins.items() if p != pin for la, r in items if la == layer])


def _signal_sides(tech) -> list[str]:
    """Sides whose level-1 layer carries signals (the others hold no pins to reach)."""
    return [s for s in SIDES if len(tech.layers(s)) > 1 and tech.layers(s)[1].signal]


def site_modulus(tech) -> int:
    """Sites after which the level-1 track offsets repeat (2 for CPP 51 nm, M1 34 nm)."""
    return max((tech.layers(s)[1].pitch // gcd(tech.cpp, tech.layers(s)[1].pitch)
                for s in _signal_sides(tech)), default=1)


def site_residues(layout, tech) -> tuple[int, ...] | None:
    """Site indices (mod `site_modulus`) a cell may be placed on so that its pins can be
    reached: on each side every pin has an access column of its own; among those, the ones
    where every pin has two access points are preferred. None when every site will do."""
    n = site_modulus(tech)
    good, fine = [], []
    for s in range(n):
        ok, plenty = True, True
        for side in _signal_sides(tech):
            la1 = tech.layers(side)[1]
            phase = (la1.offset - s * tech.cpp) % la1.pitch
            options = []
            for pin in sorted(layout.pins):
                r0, r2 = pin_rects(layout, tech, side, pin)
                if not r0:
                    continue
                obs1 = level1_blockers(layout, la1.name, pin)
                cols = {x for x, _y in access_points(r0, tech, side, layout.width, obs1, phase)}
                if r2:  # reachable on its level-2 wire as well: needs no column
                    cols.add(-1 - len(options))
                plenty &= len(cols) >= 2
                options.append(cols)
            ok &= _distinct_columns(options)
        if ok:
            good.append(s)
            if plenty:
                fine.append(s)
    allowed = fine or good
    if not allowed or len(allowed) == n:
        return None
    return tuple(allowed)
