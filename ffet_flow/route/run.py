"""Dual-sided routing of a placed design: both sides' grids, routing, DEF wiring, metrics.

Each wafer side is routed on its own stack and gcell grid (DESIGN.md section 2); the two
sub-nets of a net meet only at the driver's dual-sided output pin, inside the cell. Layers,
pitches and via definitions come from the LEF, tracks from the DEF's TRACKS (the flow's tracks
step writes those of every layer of the variant).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design
from ffet_flow.io.def_nets import Path as DefPath
from ffet_flow.io.lef import Library, layer_side
from ffet_flow.log import get_logger
from ffet_flow.route.detail import SideRouting, layer_wirelength, route_side
from ffet_flow.route.grid import (
    Grid,
    RouteLayer,
    SideGrid,
    build_side_grid,
    grid_from_gcellgrid,
    make_grid,
)
from ffet_flow.route.nets import side_nets

log = get_logger("route")
SIDES = ("front", "back")


@dataclass(frozen=True)
class RouteOptions:
    gcell_rows: int = 3  # gcell edge in standard-cell rows (when the DEF has no GCELLGRID)
    max_iterations: int = 30
    adjustment: float = 0.0  # fraction of tracks withheld (OpenROAD's layer adjustment)
    gcell_size: int = 0  # dbu; overrides gcell_rows when set


@dataclass(frozen=True)
class SideStack:
    side: str
    names: tuple[str, ...]  # metal layer names by level (0 = nearest the device)
    vias: Mapping[int, str]  # level -> via definition joining level and level + 1
    routing: tuple[RouteLayer, ...]  # the layers signals may use


def side_stack(lib: Library, design: Design, side: str, routable: Collection[str]) -> SideStack:
    """The side's metal levels (LEF order from the device outwards), via definitions per level,
    and its routing layers with the DEF's tracks."""
    metals = [la for la in lib.routing_layers() if layer_side(la.name) == side]
    if side == "back":
        metals = metals[::-1]  # the merged stack lists the back side top-down
    names = tuple(la.name for la in metals)
    level = {n: i for i, n in enumerate(names)}
    vias: dict[int, str] = {}
    for vname, via in sorted(lib.vias.items(), key=lambda kv: (not kv[1].default, kv[0])):
        lv = sorted({level[la] for la, _ in via.shapes if la in level})
        if len(lv) == 2 and lv[1] == lv[0] + 1:
            vias.setdefault(lv[0], vname)
    tracks: dict[tuple[str, str], tuple[int, int, int]] = {}
    for t in design.tracks:
        for name in t.layers:
            tracks.setdefault((name, t.axis), (t.start, t.step, t.num))
    routing = []
    for la in metals:
        if la.name not in routable:
            continue
        horizontal = la.direction.upper().startswith("H")
        start, step, num = tracks.get((la.name, "Y" if horizontal else "X"),
                                      (la.offset or la.pitch // 2, la.pitch, 0))
        routing.append(RouteLayer(la.name, level[la.name], horizontal, la.pitch or step,
                                  la.width, start, step, num))
    return SideStack(side, names, vias, tuple(routing))


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
    sides: dict[str, SideRouting]
    grids: dict[str, SideGrid]


def route_design(design: Design, lib: Library, routable: Mapping[str, Collection[str]],
                 options: RouteOptions, source: str = "DEF") -> RouteResult:
    """Route both sides of `design` (in place: its nets get their wiring) and return metrics.

    routable: side -> names of the layers that side may route signals on.
    """
    grid = gcell_grid(design, lib, options)
    metrics: dict = {}
    sides: dict[str, SideRouting] = {}
    grids: dict[str, SideGrid] = {}
    paths: dict[str, list[DefPath]] = {}
    for side in SIDES:
        stack = side_stack(lib, design, side, routable.get(side, ()))
        level = {n: i for i, n in enumerate(stack.names)}
        nets = side_nets(design, lib, side, level, source) if stack.names else {}
        metrics[f"route__nets__{side}"] = len(nets)
        if not nets:
            continue
        dirs = {la.horizontal for la in stack.routing}
        if dirs != {True, False}:
            have = ", ".join(la.name for la in stack.routing) or "none"
            key = "layers_front" if side == "front" else "layers_back / signal_sides"
            raise ConfigError(Issue(source, key, have, f"{len(nets)} nets have pins on the "
                                    f"{side} side, which needs a horizontal and a vertical "
                                    "routing layer (at least 3 metal layers)"))
        sg = build_side_grid(grid, stack.routing, options.adjustment)
        log.info("%s side: %d nets on %d layers, %d x %d gcells", side, len(nets),
                 len(stack.routing), grid.nx, grid.ny)
        res = route_side(nets, sg, options.max_iterations)
        sides[side], grids[side] = res, sg
        for net, lev, x, y in res.vias:
            if lev not in stack.vias:
                raise ConfigError(Issue(source, "VIA", f"{stack.names[lev]}-"
                                        f"{stack.names[lev + 1]}", "no via definition in the LEF"))
            paths.setdefault(res.net_names[net], []).append(
                DefPath(stack.names[lev], [(x, y), stack.vias[lev]]))
        for w in res.wires:
            (x0, y0), (x1, y1) = w.ends()
            paths.setdefault(res.net_names[w.net], []).append(
                DefPath(stack.names[w.level], [(x0, y0), (x1, y1)]))
        _side_metrics(metrics, side, res, sg, stack, design.dbu)
    for net in design.nets:
        if net.name in paths:
            net.paths = sorted(paths[net.name], key=_path_key)
    for name in ("route__wirelength", "route__vias", "route__shorts", "route__opens",
                 "globalroute__overflow"):
        metrics[name] = sum(metrics.get(f"{name}__{s}", 0) for s in SIDES)
    return RouteResult(metrics, sides, grids)


def _path_key(p: DefPath) -> tuple:
    return (p.layer, tuple(str(i) for i in p.items))


def _side_metrics(m: dict, side: str, res: SideRouting, sg: SideGrid, stack: SideStack,
                  dbu: int) -> None:
    per_level = layer_wirelength(res.wires)
    m[f"route__wirelength__{side}"] = round(sum(per_level.values()) / dbu, 4)
    for lev, length in sorted(per_level.items()):
        m[f"route__wirelength__{side}__{stack.names[lev]}"] = round(length / dbu, 4)
    m[f"route__vias__{side}"] = len(res.vias)
    m[f"globalroute__wirelength__{side}"] = round(res.global_wirelength_openroad / dbu, 4)
    m[f"globalroute__wirelength_centres__{side}"] = round(res.global_wirelength / dbu, 4)
    m[f"globalroute__segments__{side}"] = res.global_segments
    m[f"globalroute__vias__{side}"] = res.global_vias
    m[f"globalroute__overflow__{side}"] = int(sum(
        np.maximum(d - c, 0).sum() for d, c in zip(res.demand, sg.capacity, strict=True)))
    m[f"globalroute__overflow2d__{side}"] = res.overflow_2d
    m[f"globalroute__iterations__{side}"] = res.iterations
    m[f"route__shorts__{side}"] = res.shorts
    m[f"route__opens__{side}"] = len(res.opens)
    m[f"route__layers__{side}"] = len(stack.routing)


def write_congestion_maps(result: RouteResult, out_dir: Path) -> list[Path]:
    """PNG heatmaps of demand / capacity per gcell, one per side and layer, and an overview."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for side, sg in sorted(result.grids.items()):
        res = result.sides[side]
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
