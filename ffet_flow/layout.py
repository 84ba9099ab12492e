"""Finished-layout assembly with the KLayout Python module (`ffet layout RUN_DIR`).

The GDS of a run is the cell layouts from `cells.gds` placed as in the routed DEF, plus the
routing of both wafer sides on their own GDS layers (front M<i>: 100 + 2i, back BM<i>:
200 + 2i, vias one above; see docs/tech.md). Structure of the top cell:

- one instance per DEF component (cells from cells.gds, DEF orientation honoured);
- one box per routed wire segment, directly in the top cell, on the segment's layer (so the
  number of routing shapes per layer equals the DEF's wire segments per layer);
- vias as instances of one small cell per via definition (cut + enclosures from the tech LEF);
- `<top>_IO`: I/O pin shapes with text labels; `<top>_POWER`: special nets (rails, stripes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design, read_def
from ffet_flow.io.lef import read_lef
from ffet_flow.log import get_logger
from ffet_flow.tech.model import Tech, read_layers_json
from ffet_flow.util import atomic_path

log = get_logger("layout")

# DEF orientation -> (KLayout rotation code, mirror); KLayout's M-codes mirror before rotating.
_ORIENT = {"N": 0, "W": 1, "S": 2, "E": 3, "FN": 6, "FE": 7, "FS": 4, "FW": 5}


@dataclass(frozen=True)
class RunFiles:
    routed_def: Path
    cells_gds: Path
    cells_lef: Path
    layers_json: Path
    tech_lef: Path
    lyp: Path | None


def _find(run_dir: Path, step: str, name: str, required: bool = True) -> Path | None:
    hits = sorted(run_dir.glob(f"*-{step}/{name}"))
    if hits:
        return hits[-1]
    if required:
        raise ConfigError(Issue(str(run_dir), f"{step} output", name,
                                f"missing: {run_dir}/NN-{step}/{name} (run the flow through "
                                f"the {step} step first)"))
    return None


def run_files(run_dir: Path) -> RunFiles:
    """The files of a run the layout needs; a missing one is a one-line ConfigError."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ConfigError(Issue("command line", "RUN_DIR", str(run_dir), "no such run directory"))
    return RunFiles(routed_def=_find(run_dir, "route", "routed.def"),
                    cells_gds=_find(run_dir, "cells", "cells.gds"),
                    cells_lef=_find(run_dir, "cells", "cells.lef"),
                    layers_json=_find(run_dir, "pdk", "layers.json"),
                    tech_lef=_find(run_dir, "pdk", "tech.lef"),
                    lyp=_find(run_dir, "pdk", "layers.lyp", required=False))


def _gds_numbers(tech: Tech) -> dict[str, tuple[int, int]]:
    nums = {layer.name: (layer.gds_layer, layer.gds_datatype) for layer in tech.all_layers()}
    nums.update({via.name: (via.gds_layer, via.gds_datatype) for via in tech.all_vias()})
    return nums


def build_layout(files: RunFiles):
    """Assemble the run's layout; returns (klayout.db.Layout, top cell, design)."""
    import klayout.db as kdb

    tech = read_layers_json(files.layers_json)
    design: Design = read_def(files.routed_def)
    lef = read_lef([files.tech_lef, files.cells_lef], dbu_per_micron=design.dbu)
    numbers = _gds_numbers(tech)

    ly = kdb.Layout()
    ly.dbu = 1.0 / design.dbu
    ly.read(str(files.cells_gds))
    if abs(ly.dbu * design.dbu - 1.0) > 1e-9:
        raise ConfigError(Issue(str(files.cells_gds), "dbu", ly.dbu,
                                f"must match the DEF's {design.dbu} units per micron"))
    layer_index: dict[str, int] = {}

    def li(name: str) -> int:
        if name not in layer_index:
            if name not in numbers:
                raise ConfigError(Issue(str(files.routed_def), "layer", name,
                                        "not a layer of the technology (layers.json)"))
            gl, dt = numbers[name]
            layer_index[name] = ly.layer(kdb.LayerInfo(gl, dt, name))
        return layer_index[name]

    top = ly.create_cell(design.name)
    comps = design.components
    missing = sorted({m for m in comps.macros if ly.cell(m) is None})
    if missing:
        raise ConfigError(Issue(str(files.cells_gds), "cells", ", ".join(missing[:5]),
                                "placed in the DEF but absent from cells.gds"))
    for name, macro, x, y, orient in zip(comps.names, comps.macros, comps.x.tolist(),
                                         comps.y.tolist(), comps.orients, strict=True):
        m = lef.macros.get(macro)
        cell = ly.cell(macro)
        rot = _ORIENT.get(orient, 0)
        t = kdb.Trans(rot % 4, rot >= 4, 0, 0)
        w, h = (m.width, m.height) if m else (cell.bbox().width(), cell.bbox().height())
        box = kdb.Box(0, 0, w, h).transformed(t)
        inst = kdb.CellInstArray(cell.cell_index(), kdb.Trans(rot % 4, rot >= 4, x - box.left,
                                                               y - box.bottom))
        top.insert(inst).set_property("name", name)

    via_cells: dict[str, int] = {}

    def via_cell(via_name: str) -> int:
        if via_name not in via_cells:
            via = lef.vias.get(via_name)
            if via is None:
                raise ConfigError(Issue(str(files.routed_def), "via", via_name,
                                        "not defined in the tech LEF"))
            c = ly.create_cell(via_name)
            for layer, (x0, y0, x1, y1) in via.shapes:
                c.shapes(li(layer)).insert(kdb.Box(x0, y0, x1, y1))
            via_cells[via_name] = c.cell_index()
        return via_cells[via_name]

    widths = {layer.name: layer.width for layer in tech.all_layers()}
    for net in design.nets:
        for layer, x0, y0, x1, y1, width in net.segments():
            w = width or widths.get(layer)
            if w is None:
                li(layer)  # raises the unknown-layer error
            lo, hi = w // 2, w - w // 2
            top.shapes(li(layer)).insert(kdb.Box(min(x0, x1) - lo, min(y0, y1) - lo,
                                                 max(x0, x1) + hi, max(y0, y1) + hi))
        for via_name, x, y in net.vias():
            top.insert(kdb.CellInstArray(via_cell(via_name), kdb.Trans(x, y)))

    io = ly.create_cell(f"{design.name}_IO")
    for pin in design.pins:
        rot = _ORIENT.get(pin.orient, 0)
        t = kdb.Trans(rot % 4, rot >= 4, pin.x, pin.y)
        for layer, (x0, y0, x1, y1) in pin.shapes:
            box = kdb.Box(x0, y0, x1, y1).transformed(t)
            io.shapes(li(layer)).insert(box)
            io.shapes(li(layer)).insert(kdb.Text(pin.name, kdb.Trans(box.center().x,
                                                                     box.center().y)))
    top.insert(kdb.CellInstArray(io.cell_index(), kdb.Trans()))

    power = ly.create_cell(f"{design.name}_POWER")
    for net in design.specialnets:
        for layer, x0, y0, x1, y1, width in net.segments():
            w = width or widths.get(layer, 0)
            lo, hi = w // 2, w - w // 2
            power.shapes(li(layer)).insert(kdb.Box(min(x0, x1) - lo, min(y0, y1) - lo,
                                                   max(x0, x1) + hi, max(y0, y1) + hi))
    top.insert(kdb.CellInstArray(power.cell_index(), kdb.Trans()))
    return ly, top, design


def save(ly, path: Path) -> Path:
    """Write GDS or OASIS (by suffix), byte-identical for the same layout."""
    import klayout.db as kdb

    opts = kdb.SaveLayoutOptions()
    opts.format = "OASIS" if path.suffix.lower() in (".oas", ".oasis") else "GDS2"
    opts.gds2_write_timestamps = False
    opts.write_context_info = False
    with atomic_path(path) as tmp:
        ly.write(str(tmp), opts)
    return path


def write_run_layout(run_dir: Path, out: Path | None = None) -> dict[str, Path]:
    """`ffet layout RUN_DIR`: <run>/layout/<design>.gds and .oas."""
    files = run_files(run_dir)
    ly, top, design = build_layout(files)
    out = Path(out) if out else Path(run_dir) / "layout"
    paths = {"gds": save(ly, out / f"{design.name}.gds"),
             "oasis": save(ly, out / f"{design.name}.oas")}
    log.info("layout of %s: %d instances, written to %s", design.name,
             len(design.components.names), paths["gds"])
    return paths
