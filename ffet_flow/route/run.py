"""Dual-sided routing of a placed design: both sides' global and detailed routing, DEF
wiring, metrics.

Each wafer side is routed on its own stack (DESIGN.md section 2); the two sub-nets of a net
meet only at the driver's dual-sided output pin, inside the cell. Per side: global routing on
gcells (`global_route.py`: the guides, and the figures OpenROAD's global router reports), then
detailed routing on the track graph (`trackgraph.py`, `access.py`, `detailed.py`) obeying the
design rules the LEF states (`rules.py`), written as DEF wiring (`wiring.py`). Layers, vias and
rules come from the LEF, tracks from the DEF's TRACKS (the flow's tracks step writes those of
every layer of the variant).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design
from ffet_flow.io.def_nets import Path as DefPath
from ffet_flow.io.lef import Library, layer_side
from ffet_flow.log import get_logger
from ffet_flow.route.access import side_terminals
from ffet_flow.route.detailed import DetailOptions, DetailResult, detail_route
from ffet_flow.route.global_route import GlobalRouting, global_route_side
from ffet_flow.route.grid import (
    Grid,
    RouteLayer,
    SideGrid,
    build_side_grid,
    grid_from_gcellgrid,
    make_grid,
)
from ffet_flow.route.nets import side_nets
from ffet_flow.route.placefix import SideAccess, bad_instances, repair_access
from ffet_flow.route.rules import check_stack, side_rules
from ffet_flow.route.trackgraph import build_graph
from ffet_flow.route.wiring import SideWiring, path_key, side_wiring

log = get_logger("route")
SIDES = ("front", "back")


@dataclass(frozen=True)
class RouteOptions:
    gcell_rows: int = 3  # gcell edge in standard-cell rows (when the DEF has no GCELLGRID)
    max_iterations: int = 30  # global rip-up and reroute iterations
    adjustment: float = 0.0  # fraction of tracks withheld (OpenROAD's layer adjustment)
    gcell_size: int = 0  # dbu; overrides gcell_rows when set
    detail: bool = True  # detailed routing (False: global routing and its figures only)
    detail_iterations: int = 40  # detailed rip-up and reroute iterations
    via_cost: float = 10.0  # detailed routing: a via's cost in level-2 pitches


@dataclass(frozen=True)
class SideStack:
    side: str
    names: tuple[str, ...]  # metal layer names by level (0 = nearest the device)
    routing: tuple[RouteLayer, ...]  # the layers signals may use


def side_stack(lib: Library, design: Design, side: str, routable: Collection[str]) -> SideStack:
    """The side's metal levels (LEF order from the device outwards) and its routing layers with
    the DEF's tracks."""
    metals = [la for la in lib.routing_layers() if layer_side(la.name) == side]
    if side == "back":
        metals = metals[::-1]  # the merged stack lists the back side top-down
    names = tuple(la.name for la in metals)
    level = {n: i for i, n in enumerate(names)}
    tracks = design_tracks(design)
    routing = []
    for la in metals:
        if la.name not in routable:
            continue
        horizontal = la.direction.upper().startswith("H")
        t = tracks.get((la.name, "Y" if horizontal else "X"))
        start, step, num = t if t is not None else (la.offset or la.pitch // 2, la.pitch, 0)
        routing.append(RouteLayer(la.name, level[la.name], horizontal, la.pitch or step,
                                  la.width, start, step, num))
    return SideStack(side, names, tuple(routing))


def design_tracks(design: Design) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(layer, axis) -> (start, step, count) of the DEF's TRACKS (the first statement wins)."""
    out: dict[tuple[str, str], tuple[int, int, int]] = {}
    for t in design.tracks:
        for name in t.layers:
            out.setdefault((name, t.axis), (t.start, t.step, t.num))
    return out


def gcell_grid(design: Design, lib: Library, options: RouteOptions) -> Grid:
    """The DEF's GCELLGRID when it has one, else square gcells of `gcell_size` dbu or of
    `gcell_rows` standard-cell rows."""
    lines = {"X": [], "Y": []}
    for axis, start, num, step in design.gcellgrid:
        lines[axis].extend(start + step * k for k in range(num))
    if lines["X"] and lines["Y"] and not options.gcell_size:
        return grid_from_gcellgrid(design.die_area, np.array(sorted(set(lines["X"]))),
                                   np.array(sorted(set(lines["Y"]))))
    if options.gcell_size:
        return make_grid(design.die_area, options.gcell_size)
    heights = [lib.sites[r.site].height for r in design.rows if r.site in lib.sites]
    row_h = min(heights) if heights else max(1, (design.die_area[3] - design.die_area[1]) // 50)
    return make_grid(design.die_area, row_h * options.gcell_rows)


@dataclass
class RouteResult:
    metrics: dict
    globals: dict[str, GlobalRouting]
    grids: dict[str, SideGrid]
    details: dict[str, DetailResult]


def route_design(design: Design, lib: Library, routable: Mapping[str, Collection[str]],
                 options: RouteOptions, source: str = "DEF",
                 progress: Callable[[str], None] | None = None,
                 residues: tuple[int, Mapping[str, set[int]]] = (1, {})) -> RouteResult:
    """Route both sides of `design` (in place: its nets get their wiring, and cells whose pins
    their neighbours leave no access to move a few sites, see placefix.py) and return metrics.

    routable: side -> names of the layers that side may route signals on; residues: the
    library's (site modulus, {cell: allowed site residues}) from pins.json.
    """
    grid = gcell_grid(design, lib, options)
    metrics: dict = {}
    globals_: dict[str, GlobalRouting] = {}
    grids: dict[str, SideGrid] = {}
    details: dict[str, DetailResult] = {}
    paths: dict[str, list[DefPath]] = {}
    net_ids = {n.name: i for i, n in enumerate(design.nets)}
    tracks = design_tracks(design)
    prepared: dict[str, tuple] = {}
    for side in SIDES:
        stack = side_stack(lib, design, side, routable.get(side, ()))
        level = {n: i for i, n in enumerate(stack.names)}
        nets = side_nets(design, lib, side, level, source) if stack.names else {}
        metrics[f"route__nets__{side}"] = len(nets)
        if not nets:
            continue
        rules = side_rules(lib, side, routable.get(side, ()), source)
        levels = check_stack(rules, len(nets), source)
        coords = {}
        for m in rules.metals:
            t = tracks.get((m.name, "Y" if m.horizontal else "X"))
            if t is not None:
                coords[m.level] = t[0] + t[1] * np.arange(t[2], dtype=np.int64)
        missing = [rules.metals[lv].name for lv in levels if lv not in coords]
        if missing and options.detail:
            raise ConfigError(Issue(source, "TRACKS", ", ".join(missing),
                                    "tracks for every routing layer (the flow's tracks step "
                                    "writes them)"))
        prepared[side] = (stack, rules, levels, coords)
    if options.detail and prepared:
        metrics["route__access_moves"] = _repair_access(design, lib, prepared, net_ids, source,
                                                        residues)
    for side, (stack, rules, levels, coords) in prepared.items():
        level = {n: i for i, n in enumerate(stack.names)}
        nets = side_nets(design, lib, side, level, source)  # after any access moves
        sg = build_side_grid(grid, stack.routing, options.adjustment)
        log.info("%s side: %d nets on %d layers, %d x %d gcells", side, len(nets),
                 len(stack.routing), grid.nx, grid.ny)
        t0 = time.perf_counter()
        gr = global_route_side(nets, sg, options.max_iterations)
        globals_[side], grids[side] = gr, sg
        _global_metrics(metrics, side, gr, sg, design.dbu, time.perf_counter() - t0)
        if not options.detail:
            continue
        t0 = time.perf_counter()
        graph = build_graph(rules, levels, coords, design.die_area)
        graph.gcell_maps(grid)
        terms = side_terminals(design, lib, graph, rules, net_ids, source)
        say = progress or (lambda msg, s=side: log.info("%s side: %s", s, msg))
        res = detail_route(graph, terms, net_ids,
                           DetailOptions(max_iterations=options.detail_iterations,
                                         via_pitches=options.via_cost),
                           progress=say, guides=gr.guides, gcells=(grid.nx, grid.ny))
        details[side] = res
        wiring = side_wiring(graph, rules, res.wiring, terms, net_ids)
        for net, ps in wiring.paths.items():
            paths.setdefault(net, []).extend(ps)
        _detail_metrics(metrics, side, res, wiring, rules, design.dbu,
                        time.perf_counter() - t0)
    if options.detail:
        for net in design.nets:
            if net.name in paths:
                net.paths = sorted(paths[net.name], key=path_key)
    totals = ("globalroute__overflow", "globalroute__wirelength", "globalroute__vias")
    if options.detail:
        totals += ("route__wirelength", "route__vias", "route__violations", "route__opens",
                   "route__patches")
    for name in totals:
        metrics[name] = round(sum(metrics.get(f"{name}__{s}", 0) for s in SIDES), 4)
    return RouteResult(metrics, globals_, grids, details)


def _repair_access(design: Design, lib: Library, prepared: Mapping[str, tuple],
                   net_ids: Mapping[str, int], source: str,
                   residues: tuple[int, Mapping[str, set[int]]]) -> int:
    """Cells whose pins cannot be reached where they stand, moved a few sites (placefix.py);
    returns the number moved."""
    bad: set[str] = set()
    access = {}
    for side, (_stack, rules, levels, coords) in prepared.items():
        lv = [v for v in levels if v <= 2]
        g = build_graph(rules, lv, coords, design.die_area)
        terms = side_terminals(design, lib, g, rules, net_ids, source)
        found = bad_instances(terms, g, net_ids)
        if found:
            log.info("%s side: %d cells have a pin their neighbours leave no access to", side,
                     len(found))
        bad |= found
        access[side] = SideAccess(rules, coords)
    if not bad:
        return 0
    modulus, allowed = residues
    return len(repair_access(design, lib, access, bad, net_ids, allowed, modulus))


def _global_metrics(m: dict, side: str, gr: GlobalRouting, sg: SideGrid, dbu: int,
                    seconds: float) -> None:
    m[f"globalroute__wirelength__{side}"] = round(gr.wirelength_openroad / dbu, 4)
    m[f"globalroute__wirelength_centres__{side}"] = round(gr.wirelength / dbu, 4)
    m[f"globalroute__segments__{side}"] = gr.segments
    m[f"globalroute__vias__{side}"] = gr.vias
    m[f"globalroute__overflow__{side}"] = int(sum(
        np.maximum(d - c, 0).sum() for d, c in zip(gr.demand, sg.capacity, strict=True)))
    m[f"globalroute__overflow2d__{side}"] = gr.overflow_2d
    m[f"globalroute__iterations__{side}"] = gr.iterations
    m[f"globalroute__runtime__{side}__seconds"] = round(seconds, 3)
    m[f"route__layers__{side}"] = len(sg.layers)


def _detail_metrics(m: dict, side: str, res: DetailResult, wiring: SideWiring, rules,
                    dbu: int, seconds: float) -> None:
    per_layer = wiring.wirelength
    m[f"route__wirelength__{side}"] = round(sum(per_layer.values()) / dbu, 4)
    for mr in rules.metals:
        if mr.name in per_layer:
            m[f"route__wirelength__{side}__{mr.name}"] = round(per_layer[mr.name] / dbu, 4)
    m[f"route__vias__{side}"] = int(sum(wiring.vias.values()))
    # the router's own view: nodes where another net's claim reaches (a short, spacing or
    # end-of-line conflict on its model), and nets with a pin no path reached
    m[f"route__violations__{side}"] = int(len(res.conflict_nodes))
    m[f"route__conflict_nets__{side}"] = int(sum(1 for v in res.conflicts.values() if v))
    m[f"route__opens__{side}"] = int(sum(1 for w in res.wiring.values() if w.unreached))
    m[f"route__patches__{side}"] = wiring.patches
    m[f"detailedroute__iterations__{side}"] = res.iterations
    m[f"detailedroute__runtime__{side}__seconds"] = round(seconds, 3)


def write_congestion_maps(result: RouteResult, out_dir: Path) -> list[Path]:
    """PNG heatmaps of demand / capacity per gcell, one per side and layer, and an overview."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for side, sg in sorted(result.grids.items()):
        res = result.globals[side]
        maps = []
        for layer, dem, cap in zip(sg.layers, res.demand, sg.capacity, strict=True):
            util = np.where(cap > 0, dem / np.maximum(cap, 1), np.where(dem > 0, 2.0, 0.0))
            cell = np.zeros((sg.grid.nx, sg.grid.ny))
            if layer.horizontal and util.size:
                cell[:-1, :] = np.maximum(cell[:-1, :], util)
                cell[1:, :] = np.maximum(cell[1:, :], util)
            elif util.size:
                cell[:, :-1] = np.maximum(cell[:, :-1], util)
                cell[:, 1:] = np.maximum(cell[:, 1:], util)
            maps.append((layer.name, cell))
        maps.append(("all layers (max)", np.max([c for _, c in maps], axis=0)))
        for name, cell in maps:
            fig, ax = plt.subplots(figsize=(4.5, 4))
            im = ax.imshow(cell.T, origin="lower", cmap="inferno", vmin=0.0, vmax=1.5)
            fig.colorbar(im, ax=ax, label="demand / capacity")
            ax.set_title(f"{side} side, {name}")
            ax.set_xlabel("gcell x")
            ax.set_ylabel("gcell y")
            stem = f"{side}_{name.split()[0] if ' ' in name else name}"
            path = out_dir / f"congestion_{stem}.png"
            fig.savefig(path, dpi=80, metadata={"Software": None})
            plt.close(fig)
            written.append(path)
    return written
