"""The placement instance as arrays (dbu), built from a DEF design and a LEF library.

Cells are the DEF components followed by one zero-size fixed "terminal" per placed I/O pin.
Pins are stored net by net (CSR: `net_start`), each with its cell, its offset from the cell's
lower-left corner in orientation N, and its wafer side as a bit mask (1 front, 2 back, 3 both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design
from ffet_flow.io.lef import Library, layer_side

FRONT, BACK, BOTH = 1, 2, 3
SIDE_BITS = {"front": FRONT, "back": BACK, "both": BOTH}
SUPPLY_USES = ("POWER", "GROUND")


@dataclass
class RowSpec:
    """A placement row: [x0, x1) x [y0, y0 + height), sites of `step` dbu, orientation."""

    x0: int
    x1: int
    y0: int
    height: int
    step: int
    orient: str


@dataclass
class PlaceProblem:
    names: list[str]
    width: np.ndarray  # int64, dbu
    height: np.ndarray
    x: np.ndarray  # lower-left corner (initial position; fixed cells keep it)
    y: np.ndarray
    orient: list[str]
    fixed: np.ndarray  # bool: must not move (FIXED/COVER components, I/O terminals)
    terminal: np.ndarray  # bool: zero-size I/O pin points
    n_components: int
    rows: list[RowSpec]
    net_names: list[str]
    net_start: np.ndarray  # int64, len = nets + 1
    pin_cell: np.ndarray  # int64
    pin_dx: np.ndarray  # int64, offset from the lower-left in orientation N
    pin_dy: np.ndarray
    pin_side: np.ndarray  # int8 bit mask: 1 front, 2 back, 3 both
    dbu: int = 2000

    @property
    def n_cells(self) -> int:
        return len(self.names)

    @property
    def movable(self) -> np.ndarray:
        return ~self.fixed

    def row_area(self) -> int:
        return sum((r.x1 - r.x0) * r.height for r in self.rows)


def rows_of(design: Design, lib: Library) -> list[RowSpec]:
    rows = []
    for r in design.rows:
        site = lib.sites.get(r.site)
        if site is None:
            raise ConfigError(Issue("DEF", f"ROW {r.name}", r.site,
                                    "site not defined in the LEF files"))
        step = r.step_x or site.width
        for j in range(max(r.num_y, 1)):  # DO n BY m: m stacked rows
            rows.append(RowSpec(r.x, r.x + r.num_x * step, r.y + j * (r.step_y or site.height),
                                site.height, step, r.orient))
    return rows


def check_macros(design: Design, lib: Library, source: str = "netlist") -> None:
    """Every component's macro must be in the library: one issue per unknown cell type."""
    unknown: dict[str, str] = {}
    for name, macro in zip(design.components.names, design.components.macros, strict=True):
        if macro not in lib.macros:
            unknown.setdefault(macro, name)
    if unknown:
        raise ConfigError([Issue(source, f"instance {inst}", cell,
                                 "cell not in the library (LEF)")
                           for cell, inst in sorted(unknown.items())])


def build_problem(design: Design, lib: Library) -> PlaceProblem:
    """Arrays for the placer from a design whose macros are all in `lib` (see check_macros)."""
    check_macros(design, lib, "DEF")
    comp = design.components
    nc = len(comp)
    macros = [lib.macros[m] for m in comp.macros]
    io = [p for p in design.pins if p.status and p.net]
    names = list(comp.names) + ["PIN " + p.name for p in io]
    width = np.array([m.width for m in macros] + [0] * len(io), dtype=np.int64)
    height = np.array([m.height for m in macros] + [0] * len(io), dtype=np.int64)
    centers = [p.center() for p in io]
    x = np.concatenate([comp.x, np.array([c[0] for c in centers], dtype=np.int64)])
    y = np.concatenate([comp.y, np.array([c[1] for c in centers], dtype=np.int64)])
    fixed = np.concatenate([comp.fixed_mask(), np.ones(len(io), dtype=bool)])
    terminal = np.concatenate([np.zeros(nc, dtype=bool), np.ones(len(io), dtype=bool)])
    orient = list(comp.orients) + ["N"] * len(io)

    index = {n: i for i, n in enumerate(comp.names)}
    pin_index = {p.name: nc + k for k, p in enumerate(io)}
    # per-macro pin lookup: (dx, dy, side bits), computed once per macro type
    pin_info: dict[str, dict[str, tuple[int, int, int]]] = {}
    for m in {m.name: m for m in macros}.values():
        pin_info[m.name] = {pn: (*p.center(), SIDE_BITS[p.side]) for pn, p in m.pins.items()
                            if p.use not in SUPPLY_USES}
    net_names: list[str] = []
    starts = [0]
    cells: list[int] = []
    dxs: list[int] = []
    dys: list[int] = []
    sides: list[int] = []
    issues: list[Issue] = []
    io_shapes = {p.name: p.shapes for p in design.pins}
    for net in design.nets:
        if net.use in SUPPLY_USES:
            continue
        for cname, pname in net.conns:
            if cname == "PIN":
                k = pin_index.get(pname)
                if k is None:
                    continue  # unplaced I/O pin: no position to pull on
                cells.append(k)
                dxs.append(0)
                dys.append(0)
                # I/O pins are on the front, and on the back too where they have a shape there
                io_sides = {layer_side(la) for la, _r in io_shapes.get(pname, ())} or {"front"}
                sides.append(BOTH if io_sides == {"front", "back"} else SIDE_BITS[io_sides.pop()])
                continue
            i = index.get(cname)
            if i is None:
                issues.append(Issue("DEF", f"net {net.name}", cname, "component not declared"))
                continue
            info = pin_info[comp.macros[i]].get(pname)
            if info is None:
                if pname in lib.macros[comp.macros[i]].pins:
                    continue  # a supply pin listed in a signal net
                issues.append(Issue("DEF", f"net {net.name}", f"{cname}/{pname}",
                                    f"pin not in cell {comp.macros[i]}"))
                continue
            cells.append(i)
            dxs.append(info[0])
            dys.append(info[1])
            sides.append(info[2])
        net_names.append(net.name)
        starts.append(len(cells))
    if issues:
        raise ConfigError(issues[:50])
    return PlaceProblem(
        names=names, width=width, height=height, x=x.astype(np.int64), y=y.astype(np.int64),
        orient=orient, fixed=fixed, terminal=terminal, n_components=nc,
        rows=rows_of(design, lib), net_names=net_names,
        net_start=np.array(starts, dtype=np.int64), pin_cell=np.array(cells, dtype=np.int64),
        pin_dx=np.array(dxs, dtype=np.int64), pin_dy=np.array(dys, dtype=np.int64),
        pin_side=np.array(sides, dtype=np.int8), dbu=design.dbu)


def store_placement(design: Design, problem: PlaceProblem, x: np.ndarray, y: np.ndarray,
                    orient: list[str]) -> None:
    """Write positions of the movable components back into the design (status PLACED)."""
    comp = design.components
    nc = problem.n_components
    move = ~problem.fixed[:nc]
    comp.x = np.where(move, x[:nc], comp.x).astype(np.int64)
    comp.y = np.where(move, y[:nc], comp.y).astype(np.int64)
    for i in np.nonzero(move)[0].tolist():
        comp.orients[i] = orient[i]
        comp.status[i] = "PLACED"
