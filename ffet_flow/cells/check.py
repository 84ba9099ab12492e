"""Layout checker of generated cells (a small DRC/LVS-lite over CellLayout).

`check_layout(layout, tech)` returns one line per violation (empty list = clean):

- pins on tracks: every pin rect lies on a level-0 layer (M0 / BM0), its centre line is a track
  of that layer (offset + k * pitch), its height is the layer width, it spans a CPP grid point
  with half a line width to spare (an up-via can land on it) and it is a shape of its own net;
- inside the boundary: every shape lies inside the cell; supply rails may extend across the top
  and bottom edges (they are shared with the abutting row); non-rail metal keeps half the minimum
  spacing from every edge, so abutting cells keep the full spacing;
- no shorts: on each layer, rects of different nets must not overlap or touch;
- width and spacing on metal layers: min(width, height) >= the layer's width, and the distance
  between rects of different nets >= the layer's spacing (corner-to-corner distance is
  Euclidean);
- connectivity (`check_connectivity`): every net's device terminals are joined by its shapes,
  contacts, vias and inter-tier links, every pin shape reaches its devices, every supply
  source/drain reaches its rail, and no via lands on another net.

Device-level layers (active, gates, contacts, links) are checked for boundary and shorts only:
the tech defines no rules for them. Rect checks are vectorised with numpy over all pairs of a
layer (cells have at most a few hundred shapes).
"""

from __future__ import annotations

import numpy as np

from ffet_flow.cells.columns import base_net


def _metal(tech, name: str):
    try:
        return tech.layer(name)
    except KeyError:
        return None


def _pairs(rects: np.ndarray, nets: list[str]):
    """Indices (i < j) of different-net pairs and their axis gaps dx, dy (0 if overlapping)."""
    n = len(rects)
    if n < 2:
        return np.empty(0, int), np.empty(0, int), np.empty(0), np.empty(0)
    i, j = np.triu_indices(n, 1)
    base = np.array([base_net(x) for x in nets])
    diff = base[i] != base[j]
    # shapes without a net (device outlines) are never shorts
    diff &= (base[i] != "") & (base[j] != "")
    i, j = i[diff], j[diff]
    a, b = rects[i], rects[j]
    dx = np.maximum.reduce([a[:, 0] - b[:, 2], b[:, 0] - a[:, 2], np.zeros(len(i))])
    dy = np.maximum.reduce([a[:, 1] - b[:, 3], b[:, 1] - a[:, 3], np.zeros(len(i))])
    return i, j, dx, dy


def check_layout(layout, tech) -> list[str]:
    """Every violation of the rules in the module docstring, as one line each."""
    out: list[str] = []
    w, h, name = layout.width, layout.height, layout.name
    rail_shapes = {(la, r) for net, items in layout.rails.items() for la, r in items}
    for layer, items in layout.shapes.items():
        if not items:
            continue
        nets = [n for n, _r in items]
        rects = np.array([r for _n, r in items], dtype=np.int64)
        metal = _metal(tech, layer)
        margin = (metal.spacing + 1) // 2 if metal is not None else 0
        for (net, r) in items:
            if r[0] >= r[2] or r[1] >= r[3]:
                out.append(f"{name}: {layer} {net or '-'} {r}: empty rectangle")
                continue
            if (layer, r) in rail_shapes:
                if r[0] < 0 or r[2] > w or not (r[1] < 0 < r[3] or r[1] < h < r[3]):
                    out.append(f"{name}: {layer} rail {net} {r} not centred on a cell edge")
                continue
            m = margin if metal is not None else 0
            if r[0] < m or r[1] < m or r[2] > w - m or r[3] > h - m:
                out.append(f"{name}: {layer} {net or '-'} {r} outside the cell boundary "
                           f"(0, 0, {w}, {h}) less {m} dbu")
            if metal is not None and min(r[2] - r[0], r[3] - r[1]) < metal.width:
                out.append(f"{name}: {layer} {net} {r} narrower than the minimum width "
                           f"{metal.width}")
        i, j, dx, dy = _pairs(rects, nets)
        short = (dx == 0) & (dy == 0)
        for a, b in zip(i[short], j[short], strict=True):
            out.append(f"{name}: {layer} short between {nets[a]} {tuple(rects[a])} and "
                       f"{nets[b]} {tuple(rects[b])}")
        if metal is not None:
            dist = np.hypot(dx, dy)
            bad = ~short & (dist < metal.spacing)
            for a, b, d in zip(i[bad], j[bad], dist[bad], strict=True):
                out.append(f"{name}: {layer} spacing {d:g} < {metal.spacing} between "
                           f"{nets[a]} and {nets[b]}")
    out += _check_pins(layout, tech)
    out += check_access(layout, tech)
    out += check_connectivity(layout, tech)
    return out


def _check_pins(layout, tech) -> list[str]:
    out: list[str] = []
    name = layout.name
    grid = [k * tech.cpp for k in range(1, layout.width_sites)]
    for pin, items in layout.pins.items():
        if not any((la := _metal(tech, layer)) is not None and la.level == 0
                   for layer, _r in items):
            out.append(f"{name}: pin {pin} has no shape on M0 or BM0")
        for layer, r in items:
            la = _metal(tech, layer)
            if la is None or la.level > 2:
                out.append(f"{name}: pin {pin} on {layer}: pins must be on levels 0-2")
                continue
            if la.level:  # a pin lifted to level 2 inside the cell: its stubs and wire
                if (pin, r) not in set(layout.shapes.get(layer, ())):
                    out.append(f"{name}: pin {pin} {layer} {r} is not a drawn shape of net {pin}")
                continue
            yc2 = r[1] + r[3]  # twice the centre line, to stay in integers
            on_track = (yc2 - 2 * la.offset) % (2 * la.pitch) == 0 and yc2 % 2 == 0
            if not on_track:
                out.append(f"{name}: pin {pin} {layer} {r} is off the {layer} tracks "
                           f"(offset {la.offset}, pitch {la.pitch})")
            if r[3] - r[1] != la.width:
                out.append(f"{name}: pin {pin} {layer} {r} height {r[3] - r[1]} != line "
                           f"width {la.width}")
            e = la.width // 2
            if not any(r[0] + e <= g <= r[2] - e for g in grid):
                out.append(f"{name}: pin {pin} {layer} {r} spans no CPP grid point")
            if (pin, r) not in set(layout.shapes.get(layer, ())):
                out.append(f"{name}: pin {pin} {layer} {r} is not a drawn shape of net {pin}")
    return out


def check_access(layout, tech) -> list[str]:
    """A cell none of whose placement phases gives every pin a router access point
    (ffet_flow.cells.access); a cell lacking them in some phases only is placed on the others
    (pins.json site residues)."""
    from ffet_flow.cells.access import access_summary

    counts = access_summary({layout.name: layout}, tech).get(layout.name, {})
    if not counts:
        return []
    phases = len(next(iter(counts.values())))
    if any(all(c[k] >= 1 for c in counts.values()) for k in range(phases)):
        return []
    return [f"{layout.name}: pin {pin} has no access point in phase {k}"
            for pin, c in counts.items() for k in range(phases) if c[k] < 1]


def check_library(layouts, tech) -> list[str]:
    """Violations of every layout of a library (for a CheckFailure in the library build)."""
    return [v for layout in layouts.values() for v in check_layout(layout, tech)]


# ---- connectivity (LVS-lite) -------------------------------------------------------------------


def _touch(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def check_connectivity(layout, tech) -> list[str]:
    """Every net's device terminals are joined by its drawn shapes, and no via joins two nets.

    Terminals come from the layout's column order (source/drain regions and gates per tier;
    abutting devices share a diffusion region). Connections: same-net metal rects that touch;
    via cuts to the metals of their two levels; source/drain and gate contacts to the level-0
    metal of their tier's side (supply contacts to their rail); DM / supervia rects between the
    two tiers' drains, GM between the two gates, FDM between the M0 and BM0 wires; in a CFET the
    two gates of a non-split column are one electrode.
    """
    from ffet_flow.cells.rules import arch_rules

    rules = arch_rules(layout.arch)
    cpp = tech.cpp
    level0 = {s: tech.layers(s)[0].name for s in ("front", "back")}
    parent: dict = {}

    def find(a):
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a, b) -> None:
        parent[find(a)] = find(b)

    terms: dict[str, set] = {}
    for i, s in enumerate(layout.slots):
        for tier in ("p", "n"):
            d = getattr(s, tier)
            if d is None:
                continue
            gx, lx, rx = (i + 1) * cpp, i * cpp + cpp // 2, (i + 1) * cpp + cpp // 2
            terms.setdefault(d.gate, set()).add((tier, "g", gx))
            terms.setdefault(d.left, set()).add((tier, "sd", lx))
            terms.setdefault(d.right, set()).add((tier, "sd", rx))
        if layout.arch == "cfet" and s.p is not None and s.n is not None and not s.split:
            union(("p", "g", (i + 1) * cpp), ("n", "g", (i + 1) * cpp))
    shapes = [(layer, net, r) for layer, items in layout.shapes.items() for net, r in items]
    metal = {la.name: la for la in tech.all_layers()}
    vias = {v.name: v for v in tech.all_vias()}
    out: list[str] = []
    by_layer: dict[str, list] = {}
    for k, (layer, net, r) in enumerate(shapes):
        by_layer.setdefault(layer, []).append((k, net, r))
    for layer, items in by_layer.items():
        if layer in metal:
            for a in range(len(items)):
                for b in range(a + 1, len(items)):
                    if items[a][1] == items[b][1] and _touch(items[a][2], items[b][2]):
                        union(items[a][0], items[b][0])
        if layer in vias:
            v = vias[layer]
            for k, net, r in items:
                for m in (v.lower, v.upper):
                    for k2, net2, r2 in by_layer.get(m, ()):
                        if _touch(r, r2):
                            if net2 != net:
                                out.append(f"{layout.name}: {layer} of {net} lands on {m} of "
                                           f"{net2}")
                            else:
                                union(k, k2)
    for layer, items in by_layer.items():
        tier = {"PCONT": "p", "PGCONT": "p", "NCONT": "n", "NGCONT": "n"}.get(layer)
        kind = "g" if "GCONT" in layer else "sd"
        for k, net, r in items:
            x = (r[0] + r[2]) // 2
            if tier is not None:
                union(k, (tier, kind, x))
                land = level0[rules.rail_side[net]] if net in ("VDD", "VSS") else \
                    level0[rules.tier_side[tier]]
                for k2, net2, r2 in by_layer.get(land, ()):
                    if net2 == net and _touch(r, r2):
                        union(k, k2)
            elif layer in ("DM", "GM"):
                kd = "g" if layer == "GM" else "sd"
                union(("p", kd, x), ("n", kd, x))
            elif layer == "FDM":
                for side in ("front", "back"):
                    for k2, net2, r2 in by_layer.get(level0[side], ()):
                        if net2 == net and r2[0] <= x <= r2[2]:
                            union(k, k2)
    for net, ts in sorted(terms.items()):
        nodes = sorted(ts)
        if net in ("VDD", "VSS"):
            nodes = [t for t in nodes if t[1] == "sd"]
            rails = [k for k, (la, n2, r) in enumerate(shapes) if n2 == net and
                     (la, r) in set(layout.rails.get(net, ()))]
            if nodes and not rails:
                out.append(f"{layout.name}: no {net} rail")
                continue
            roots = {find(t) for t in nodes} | {find(k) for k in rails[:1]}
            if len({find(k) for k in rails}) > 1:
                roots |= {find(k) for k in rails}
        else:
            roots = {find(t) for t in nodes}
        if len(roots) > 1:
            out.append(f"{layout.name}: net {net} is open ({len(roots)} separate parts)")
    for pin, items in layout.pins.items():
        pin_terms = terms.get(pin)
        if not pin_terms:
            continue
        root = find(sorted(pin_terms)[0])
        for layer, r in items:
            k = next((k for k, (la, n2, r2) in enumerate(shapes)
                      if la == layer and n2 == pin and r2 == r), None)
            if k is None or find(k) != root:
                out.append(f"{layout.name}: pin {pin} shape on {layer} is not joined to the "
                           f"net's devices")
    return out
