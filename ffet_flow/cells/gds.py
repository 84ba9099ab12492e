"""cells.gds writer (KLayout's Python module): one GDS cell per macro.

Metal and via layers take the tech's GDS numbers (M<i> 100 + 2i, V<i> 101 + 2i, BM<i> 200 + 2i,
BV<i> 201 + 2i); the device level uses 1-99 (ffet_flow.cells.rules.DEVICE_LAYERS: actives,
gates, contacts, DM/GM/FDM links, outline 99). Pin names are written as text labels on their
metal layer. Output is byte-identical for identical inputs: timestamps are switched off and
cells, layers and shapes are inserted in a fixed order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ffet_flow.cells.rules import DEVICE_LAYERS
from ffet_flow.util import atomic_path


def gds_layer_map(tech) -> dict[str, tuple[int, int]]:
    """Layer name -> (GDS layer, datatype) for every layer a cell layout may use."""
    out = dict(DEVICE_LAYERS)
    for la in tech.all_layers():
        out[la.name] = (la.gds_layer, la.gds_datatype)
    for v in tech.all_vias():
        out[v.name] = (v.gds_layer, v.gds_datatype)
    return out


def write_cells_gds(layouts: Mapping, tech, path: Path, library: str = "ffet_cells") -> Path:
    """Write all layouts into one GDS file atomically; returns the path."""
    import klayout.db as kdb

    lay = kdb.Layout()
    lay.dbu = 1.0 / tech.dbu
    lmap = gds_layer_map(tech)
    index: dict[str, int] = {}
    for name in sorted(lmap, key=lambda n: lmap[n]):
        g, d = lmap[name]
        index[name] = lay.layer(kdb.LayerInfo(g, d, name))
    for name, layout in layouts.items():
        cell = lay.create_cell(name)
        for layer in sorted(layout.shapes):
            if layer not in index:
                raise ValueError(f"cell {name}: no GDS number for layer {layer!r}")
            shapes = cell.shapes(index[layer])
            for _net, r in layout.shapes[layer]:
                shapes.insert(kdb.Box(*r))
        for pin in sorted(layout.pins):
            for layer, r in layout.pins[pin]:
                cx, cy = (r[0] + r[2]) // 2, (r[1] + r[3]) // 2
                cell.shapes(index[layer]).insert(kdb.Text(pin, kdb.Trans(cx, cy)))
        for net in sorted(layout.rails):
            for layer, r in layout.rails[net]:
                cx = (max(r[0], 0) + min(r[2], layout.width)) // 2
                cell.shapes(index[layer]).insert(kdb.Text(net, kdb.Trans(cx, (r[1] + r[3]) // 2)))
    opts = kdb.SaveLayoutOptions()
    opts.format = "GDS2"
    opts.gds2_write_timestamps = False
    opts.gds2_libname = library
    with atomic_path(Path(path)) as tmp:
        lay.write(str(tmp), opts)
    return Path(path)
