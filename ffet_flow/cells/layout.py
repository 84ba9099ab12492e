"""Standard-cell layout generator for FFET and CFET, from the transistor-level netlist.

`build_layout(cell, tech, pin_sides)` computes, in integer dbu:

1. gate columns (ffet_flow.cells.columns): device pairs, fingers, diffusion sharing and breaks,
   CFET split-gate contact columns; width in sites = positions + 1 (two half dummy gates at the
   cell edges, shared with the neighbours);
2. the track grid of each side's level-0 metal (M0, BM0) and the supply rails (rules.py);
3. per net: its terminals (source/drain regions, gates) on each tier, the inter-tier links
   (FFET drain merge DM / gate merge GM, CFET vertical drain link and shared gate), which side's
   metal wires it (the cheapest choice that connects every terminal and gives each pin its
   side), one horizontal wire per wired side, and contacts;
4. track assignment (left-edge, optimal for intervals); too few tracks -> ConfigError naming
   cell_height_tracks and the minimum;
5. shapes on the metal and device layers, pin shapes, obstructions and the lumped R and C of
   each net's intra-cell wiring.

Geometry is in dbu with the cell origin at its lower-left corner; R in Ohm, C in fF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ffet_flow.cells import rules as R
from ffet_flow.cells.access import TARGET as ACCESS_TARGET
from ffet_flow.cells.access import min_access, widen_pins
from ffet_flow.cells.columns import SUPPLIES, Slot, base_net, column_orders
from ffet_flow.cells.geometry import Rect, SideGrid, layer_tracks, rail_width
from ffet_flow.cells.tracks import TrackPlanner
from ffet_flow.cells.wiring import net_options, pin_need, terminals
from ffet_flow.errors import ConfigError, Issue

SIDES = ("front", "back")


@dataclass(frozen=True)
class NetParasitics:
    """Lumped intra-cell parasitics of one net.

    r_ohm: series resistance of its wiring: every wire's full length, the contacts at both ends
    of each wire and the inter-tier links on the path (one link, or the parallel links that
    bridge the two sides' wires); c_ff: total capacitance of wires, contacts and links;
    links: the inter-tier links on the net, (kind, Ohm) with kind "DM" (FFET drain merge), "GM"
    (gate merge), "FDM" (field drain merge) or "SV" (CFET vertical drain link). Unpacks as
    `r, c = parasitics`.
    """

    r_ohm: float
    c_ff: float
    links: tuple[tuple[str, float], ...] = ()

    def __iter__(self):
        return iter((self.r_ohm, self.c_ff))


@dataclass(frozen=True)
class CellLayout:
    """The computed layout of one cell. Lengths in dbu, origin at the lower-left corner."""

    name: str
    width_sites: int
    width: int
    height: int
    shapes: Mapping[str, tuple[tuple[str, Rect], ...]]  # layer -> ((net, rect), ...)
    pins: Mapping[str, tuple[tuple[str, Rect], ...]]  # signal pin -> ((layer, rect), ...)
    obstructions: tuple[tuple[str, Rect], ...]  # (layer, rect): non-pin metal
    parasitics: Mapping[str, NetParasitics]
    rails: Mapping[str, tuple[tuple[str, Rect], ...]] = field(default_factory=dict)  # VDD/VSS
    tracks: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # layer -> track y
    arch: str = ""
    kind: str = ""
    slots: tuple[Slot, ...] = ()


# ---------------------------------------------------------------------------------------------
# Grids


def side_grids(tech, height: int | None = None) -> dict[str, SideGrid]:
    """Track grids and rails of the level-0 layer of each side for a cell of `height` dbu."""
    rules = R.arch_rules(tech.arch)
    h = tech.cell_height if height is None else height
    wired = set(rules.tier_side.values())
    grids = {}
    for side in SIDES:
        la = tech.layers(side)[0]
        rail_nets = [n for n in ("VDD", "VSS") if rules.rail_side[n] == side]
        edges = {n: (h if rules.rail_edge[n] == "top" else 0) for n in rail_nets}
        if side in wired:
            tracks = layer_tracks(la.offset, la.pitch, la.width, la.spacing, h,
                                  tuple(edges.values()))
            rails = tuple((n, edges[n], rail_width(tracks, edges[n], la.width, la.spacing,
                                                   la.pitch)) for n in rail_nets)
        else:
            # power-only rail level (CFET back side): the tech gives the rail width (BM0 width)
            tracks = ()
            rails = tuple((n, edges[n], la.width) for n in rail_nets)
        grids[side] = SideGrid(la.name, tracks, rails)
    return grids


def min_height_tracks(tech, needed: Mapping[str, int]) -> float | None:
    """Smallest cell_height_tracks (in 0.5 steps, 2..12) whose grids hold `needed` per side."""
    t = 2.0
    while t <= 12.0:
        h = int(round(t * tech.m0_pitch))
        g = side_grids(tech, h)
        if all(len(g[s].tracks) >= n for s, n in needed.items()):
            return t
        t += 0.5
    return None


def build_layout(cell, tech, pin_sides: Mapping[str, str], source: str = "tech") -> CellLayout:
    """Layout of one cell for `tech`; pin_sides maps each signal pin to front/back/both.

    Tries the column orders of `column_orders` best first (fewest columns) and keeps, among
    those of the fewest columns whose wiring fits the tracks, the first whose every pin has
    router access points in every placement phase (ffet_flow.cells.access), else the one
    with the most. Raises ConfigError (key cell_height_tracks) when none fits: the tech's cell
    height leaves too few level-0 tracks for the cell's wiring.
    """
    orders = column_orders(cell, tech.arch) if cell.kind != "fill" else ((),)
    first_error = None
    best = None
    for slots in orders:
        if best is not None and len(slots) > len(best[1].slots):
            break  # never wider for the sake of access
        try:
            layout = widen_pins(_build(cell, tech, pin_sides, slots, source), tech)
        except ConfigError as exc:
            first_error = first_error or exc
            continue
        score = min(min_access(layout, tech), ACCESS_TARGET)
        if best is None or score > best[0]:
            best = (score, layout)
        if score >= ACCESS_TARGET:
            break
    if best is None:
        raise first_error
    return best[1]


def _build(cell, tech, pin_sides: Mapping[str, str], slots: tuple[Slot, ...],
           source: str) -> CellLayout:
    rules = R.arch_rules(tech.arch)
    cpp, height, dbu = tech.cpp, tech.cell_height, tech.dbu
    min_cpp_nm = R.GATE_LENGTH_NM + R.CONTACT_CD_NM
    if cpp * 1000.0 / dbu <= min_cpp_nm:
        raise ConfigError(Issue(source, "cpp", cpp * 1000.0 / dbu,
                                f"above {min_cpp_nm:g} nm (gate length + contact between gates)"))
    grids = side_grids(tech)
    width_sites = cell.fill_sites if cell.kind == "fill" else len(slots) + 1
    width = width_sites * cpp
    lay = {s: tech.layers(s)[0] for s in SIDES}
    shapes: dict[str, list[tuple[str, Rect]]] = {}

    def add(layer: str, net: str, r: Rect) -> None:
        shapes.setdefault(layer, []).append((net, tuple(int(v) for v in r)))

    rails: dict[str, list[tuple[str, Rect]]] = {}
    rail_y: dict[str, tuple[int, int]] = {}
    for side in SIDES:
        for net, y, w in grids[side].rails:
            r = (0, y - w // 2, width, y + w // 2)
            add(lay[side].name, net, r)
            rails.setdefault(net, []).append((lay[side].name, r))
            rail_y[net] = (y, w)
    add("OUTLINE", "", (0, 0, width, height))

    terms, sd = terminals(slots, cpp, rules.tier_side)
    options = {net: net_options(net, terms[net], pin_need(pin_sides.get(net)), tech.arch,
                                 rules.far_tier)
               for net in sorted(terms) if net not in SUPPLIES}

    planner = TrackPlanner(tech, grids, width_sites, height)
    choice, up, res = planner.solve(options)
    needed = {s: res[s][1] for s in SIDES}
    short = planner.shortage(res, up)
    if short:
        tmin = min_height_tracks(tech, {s: max(needed[s], len(grids[s].tracks) + 1)
                                        for s in SIDES if any(x[0] == lay[s].name
                                                              for x in short)} or needed)
        if tmin is not None and tmin <= tech.cell_height_tracks:
            tmin = tech.cell_height_tracks + 0.5
        name, n, avail = short[0]
        at_least = f"at least {tmin:g}" if tmin is not None else "more than 12"
        few = [s for s in SIDES if len(tech.layers(s)) < 3]
        hint = (" (or at least 3 metal layers on the " + " and ".join(few) + " side for "
                "intra-cell level-2 wiring)") if few else ""
        raise ConfigError(Issue(
            source, "cell_height_tracks", tech.cell_height_tracks,
            f"cell {cell.name} needs {n} {name} tracks but {avail} fit after the rails; "
            f"allowed: {at_least} tracks{hint}"))
    plans = list(choice.values())
    up_layer, up_grid, pads = planner.up_layer, planner.up_grid, planner.pads
    track_of = {s: res[s][0] for s in SIDES}
    up_track_of = {s: res[s][2] for s in SIDES}
    ext = {s: {n: (lo, hi) for n, lo, hi in res[s][4]} for s in SIDES}
    ext2 = {s: {n: (lo, hi) for n, lo, hi in res[s][5]} for s in SIDES}

    # device level
    lg = int(round(R.GATE_LENGTH_NM * dbu / 1000))
    cd = int(round(R.CONTACT_CD_NM * dbu / 1000))
    sheet = int(round(R.SHEET_WIDTH_NM * dbu / 1000))
    yc = height // 2
    band = (yc - sheet, yc + sheet)  # the nanosheet stack across the row (two sheet widths)
    gate_y = (height // 10, height - height // 10)
    add("DUMMY", "", (0, gate_y[0], lg // 2, gate_y[1]))
    add("DUMMY", "", (width - lg // 2, gate_y[0], width, gate_y[1]))
    for i, s in enumerate(slots):
        x = (i + 1) * cpp
        if s.dummy:
            add("DUMMY", "", (x - lg // 2, gate_y[0], x + lg // 2, gate_y[1]))
            continue
        for tier in ("p", "n"):
            d = getattr(s, tier)
            if d is not None:
                add(tier.upper() + "GATE", d.gate, (x - lg // 2, gate_y[0], x + lg // 2, gate_y[1]))
    for tier in ("p", "n"):
        run = None
        for i, s in enumerate(list(slots) + [None]):
            has = s is not None and getattr(s, tier) is not None
            if has and run is None:
                run = i
            if not has and run is not None:
                x0 = (run + 1) * cpp - cpp // 2 + lg // 2
                x1 = i * cpp + cpp // 2 - lg // 2
                add(tier.upper() + "ACT", "", (x0, band[0], x1, band[1]))
                run = None
    # rail contacts of supply source/drains
    for tier in ("p", "n"):
        for k, net in enumerate(sd[tier]):
            if net in SUPPLIES:
                x = k * cpp + cpp // 2
                y, w = rail_y[net]
                add(tier.upper() + "CONT", net, (x - cd // 2, min(yc, y), x + cd // 2, max(yc, y)))

    pins: dict[str, list[tuple[str, Rect]]] = {}
    obs: list[tuple[str, Rect]] = []
    parasitics: dict[str, NetParasitics] = {}
    c_contact = R.contact_cap_ff(cpp * 1000.0 / dbu)
    for plan in plans:
        r_total = c_total = 0.0
        for side in (s for s in SIDES if s in plan.wires):
            la = lay[side]
            ends = []
            if plan.net in up[side]:
                # level-2 wire, and a V0-M1-V1 stack on a level-0 pad at each contact
                l1, l2 = tech.layers(side)[1], up_layer[side]
                v0, v1 = tech.vias(side)[0], tech.vias(side)[1]
                lo, hi = ext2[side][plan.net]
                y2 = up_grid[side][up_track_of[side][plan.net]]
                rect2 = (lo, y2 - l2.width // 2, hi, y2 + l2.width // 2)
                add(l2.name, plan.net, rect2)
                # a pin's level-1 stubs and level-2 wire are part of the pin (the router may
                # reach it there); an internal net's are obstructions
                is_pin = side in plan.pin_sides and plan.net in pin_sides
                lifted = pins.setdefault(plan.net, []) if is_pin else obs
                lifted.append((l2.name, rect2))
                r_total += l2.r_per_um * (hi - lo) / dbu
                c_total += l2.c_per_um * (hi - lo) / dbu
                ypad = {}
                for x in pads(side, plan):
                    key = f"{plan.net}@{x}"
                    y0 = grids[side].tracks[track_of[side][key]]
                    ypad[x] = y0
                    p0 = (ext[side][key][0], y0 - la.width // 2, ext[side][key][1],
                          y0 + la.width // 2)
                    add(la.name, plan.net, p0)
                    if side in plan.pin_sides and plan.net in pin_sides:
                        pins.setdefault(plan.net, []).append((la.name, p0))
                    else:
                        obs.append((la.name, p0))
                    sy0, sy1 = planner.stub_span(side, y0, y2)
                    stub = (x - l1.width // 2, sy0, x + l1.width // 2, sy1)
                    add(l1.name, plan.net, stub)
                    lifted.append((l1.name, stub))
                    for v, yv in ((v0, y0), (v1, y2)):
                        add(v.name, plan.net, (x - v.cut // 2, yv - v.cut // 2,
                                               x + v.cut // 2, yv + v.cut // 2))
                    stub_um = (stub[3] - stub[1]) / dbu
                    ends.append(v0.resistance + v1.resistance + l1.r_per_um * stub_um)
                    c_total += l1.c_per_um * stub_um + la.c_per_um * (p0[2] - p0[0]) / dbu
                r_total += sum(sorted(ends, reverse=True)[:2])
                ends = []
            else:
                lo, hi = ext[side][plan.net]
                y = grids[side].tracks[track_of[side][plan.net]]
                ypad = {}
                rect = (lo, y - la.width // 2, hi, y + la.width // 2)
                add(la.name, plan.net, rect)
                if side in plan.pin_sides and plan.net in pin_sides:
                    pins.setdefault(plan.net, []).append((la.name, rect))
                else:
                    obs.append((la.name, rect))
                length_um = (hi - lo) / dbu
                r_total += la.r_per_um * length_um
                c_total += la.c_per_um * length_um
            ends = []
            for t, tall in plan.contacts:
                if t.side != side:
                    continue
                factor = R.TALL_FACTOR if tall else 1.0
                rc = (R.R_SD_CONTACT if t.kind == "sd" else R.R_GATE_CONTACT) * factor
                ends.append(rc)
                c_total += c_contact * factor
                layer = t.tier.upper() + ("CONT" if t.kind == "sd" else "GCONT")
                y = ypad.get(t.x, y) if ypad else y
                if t.kind == "sd":
                    r = (t.x - cd // 2, min(yc, y - la.width // 2), t.x + cd // 2,
                         max(yc, y + la.width // 2))
                else:
                    r = (t.x - cd // 2, y - cd // 2, t.x + cd // 2, y + cd // 2)
                add(layer, plan.net, r)
            r_total += sum(sorted(ends, reverse=True)[:2])
        links = []
        for kind, x in plan.links:
            links.append((kind, R.R_LINK))
            c_total += c_contact * R.LINK_CAP_FACTOR
            half = lg // 2 if kind == "GM" else cd // 2
            layer = {"SV": "DM"}.get(kind, kind)
            add(layer, plan.net, (x - half, band[0], x + half, band[1]))
        if links:
            # wires on both sides: the links bridge them in parallel; otherwise each linked
            # terminal hangs on its own link, so one link lies on the path to it
            r_total += R.R_LINK / len(links) if len(plan.wires) == 2 else R.R_LINK
        if plan.wires or links:
            parasitics[plan.net] = NetParasitics(r_total, c_total, tuple(links))
    # supply nets: rail contacts in parallel
    for net in SUPPLIES:
        n_cont = sum(1 for tier in ("p", "n") for v in sd[tier] if v == net)
        if n_cont:
            tall = rules.far_tier is not None and any(
                v == net for tier in ("p", "n") if tier != rules.far_tier for v in sd[tier])
            factor = R.TALL_FACTOR if tall else 1.0
            parasitics[net] = NetParasitics(R.R_RAIL_CONTACT * factor / n_cont,
                                            c_contact * factor * n_cont)

    tracks = {lay[s].name: grids[s].tracks for s in SIDES}
    parasitics = _merge_fingers(parasitics)
    return CellLayout(
        name=cell.name, width_sites=width_sites, width=width, height=height,
        shapes=MappingProxyType({k: tuple(v) for k, v in sorted(shapes.items())}),
        pins=MappingProxyType({k: tuple(v) for k, v in sorted(pins.items())}),
        obstructions=tuple(obs),
        parasitics=MappingProxyType(dict(sorted(parasitics.items()))),
        rails=MappingProxyType({k: tuple(v) for k, v in sorted(rails.items())}),
        tracks=MappingProxyType(tracks), arch=tech.arch, kind=cell.kind, slots=tuple(slots))


def _merge_fingers(par: Mapping[str, NetParasitics]) -> dict[str, NetParasitics]:
    """Per-finger copies of a folded internal node (n1~0, n1~1) reported as the netlist net:
    the copies are in parallel, so R combines in parallel and C adds."""
    groups: dict[str, list[NetParasitics]] = {}
    for net, p in par.items():
        groups.setdefault(base_net(net), []).append(p)
    out = {}
    for net, ps in groups.items():
        if len(ps) == 1:
            out[net] = ps[0]
            continue
        r = 1.0 / sum(1.0 / p.r_ohm for p in ps) if all(p.r_ohm > 0 for p in ps) else 0.0
        out[net] = NetParasitics(r, sum(p.c_ff for p in ps),
                                 tuple(lk for p in ps for lk in p.links))
    return out


def build_layouts(cells: Sequence, tech, sides: Mapping[str, Mapping[str, str]],
                  source: str = "tech") -> dict[str, CellLayout]:
    """Layouts of many cells; every cell that does not fit is reported in one ConfigError.

    source: where cell_height_tracks came from (e.g. the tech TOML path), for the message."""
    out: dict[str, CellLayout] = {}
    issues: list[Issue] = []
    for cell in cells:
        try:
            out[cell.name] = build_layout(cell, tech, sides.get(cell.name, {}), source)
        except ConfigError as exc:
            issues.extend(exc.issues)
    if issues:
        raise ConfigError(issues)
    return out
