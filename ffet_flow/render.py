"""PNG views of a run's layout with the KLayout module, no display needed (`ffet render`).

Views: the whole block with the front side only, the back side only and both; a window around
the most congested gcell (the gcell with the most routed wire length per unit of routing
capacity on its side, computed from the routed DEF); and standard cells of both architectures
side by side at the same scale. Layer colours and the front/back groups come from the
technology's `layers.lyp`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.log import get_logger

log = get_logger("render")
BACK_GDS = range(200, 300)  # back-side metal and via numbers (docs/tech.md)


def _view(ly, top, lyp: Path | None, show_front: bool = True, show_back: bool = True):
    import klayout.lay as lay

    view = lay.LayoutView()
    index = view.show_layout(ly, False)
    view.active_cellview_index = index
    view.cellview(index).cell = top
    if lyp is not None and lyp.exists():
        view.load_layer_props(str(lyp))
        view.add_missing_layers()  # device/MOL layers of the cells, not in the metal .lyp
    else:
        view.add_missing_layers()
    view.max_hier()
    it = view.begin_layers()
    while not it.at_end():
        node = it.current()
        if node.has_children():
            name = node.name.lower()
            if name == "front":
                node.visible = show_front
            elif name == "back":
                node.visible = show_back
        elif node.source_layer >= 0:
            back = node.source_layer in BACK_GDS
            node.visible = (back and show_back) or (not back and show_front)
        it.next()
    view.set_config("background-color", "#ffffff")
    view.set_config("grid-visible", "false")
    view.set_config("text-visible", "false")
    return view


def _save(view, path: Path, size: tuple[int, int], box=None) -> Path:
    import klayout.db as kdb

    from ffet_flow.util import atomic_path

    w, h = size
    target = box if box is not None else view.active_cellview().cell.dbbox()
    with atomic_path(path) as tmp:
        view.save_image_with_options(str(tmp.with_suffix(".png")), w, h, 0, 0, 0,
                                     kdb.DBox(target), False)
        tmp.with_suffix(".png").replace(tmp)
    return path


def hotspot(design, tech, gcell_rows: int = 3) -> tuple[int, int, int, int]:
    """Box (dbu) of the gcell with the highest routed wire length per track of capacity."""
    x0, y0, x1, y1 = design.die_area
    size = max(tech.cell_height * gcell_rows, 1)
    nx, ny = max(1, (x1 - x0 + size - 1) // size), max(1, (y1 - y0 + size - 1) // size)
    load = np.zeros((2, ny, nx))
    pitch = {layer.name: layer.pitch for layer in tech.all_layers()}
    side = {layer.name: (0 if layer.side == "front" else 1) for layer in tech.all_layers()}
    for net in design.nets:
        for layer, ax, ay, bx, by, _ in net.segments():
            if layer not in side:
                continue
            cx = int(np.clip(((ax + bx) // 2 - x0) // size, 0, nx - 1))
            cy = int(np.clip(((ay + by) // 2 - y0) // size, 0, ny - 1))
            load[side[layer], cy, cx] += (abs(bx - ax) + abs(by - ay)) * pitch[layer]
    _, cy, cx = (int(v) for v in np.unravel_index(int(np.argmax(load)), load.shape))
    return (x0 + cx * size - size, y0 + cy * size - size, x0 + (cx + 2) * size,
            y0 + (cy + 2) * size)


def render_run(run_dir: Path, out: Path | None = None, size: tuple[int, int] = (1200, 1200)
               ) -> dict[str, Path]:
    import klayout.db as kdb

    from ffet_flow.layout import build_layout, run_files
    from ffet_flow.tech.model import read_layers_json

    files = run_files(run_dir)
    ly, top, design = build_layout(files)
    tech = read_layers_json(files.layers_json)
    out = Path(out) if out else Path(run_dir) / "render"
    paths = {}
    for name, front, back in (("front", True, False), ("back", False, True), ("both", True, True)):
        view = _view(ly, top, files.lyp, front, back)
        paths[name] = _save(view, out / f"block_{name}.png", size)
    bx = hotspot(design, tech)
    box = kdb.Box(*bx).to_dtype(ly.dbu)
    paths["hotspot"] = _save(_view(ly, top, files.lyp), out / "hotspot.png", size, box)
    log.info("rendered %d views into %s", len(paths), out)
    return paths


def render_cells(gds_by_arch: dict[str, Path], cells: Sequence[str], out: Path,
                 lyp: Path | None = None, height: int = 500) -> Path:
    """Cells of several architectures side by side, at the same scale, in one PNG."""
    import klayout.db as kdb

    ly = kdb.Layout()
    top = ly.create_cell("CELLS")
    gap = 0
    x = 0
    for arch, gds in sorted(gds_by_arch.items()):
        src = kdb.Layout()
        src.read(str(gds))
        ly.dbu = src.dbu
        for name in cells:
            cell = src.cell(name)
            if cell is None:
                raise ConfigError(Issue(str(gds), "cell", name, "not in this GDS"))
            target = ly.create_cell(f"{arch}_{name}")
            target.copy_tree(cell)
            gap = gap or cell.bbox().height() // 2
            top.insert(kdb.CellInstArray(target.cell_index(), kdb.Trans(x - cell.bbox().left, 0)))
            top.shapes(ly.layer(kdb.LayerInfo(0, 0, "label"))).insert(
                kdb.Text(f"{arch.upper()} {name}", kdb.Trans(x, -gap // 2)))
            x += cell.bbox().width() + gap
    view = _view(ly, top, lyp)
    view.set_config("text-visible", "true")
    bbox = top.dbbox()
    w = int(height * bbox.width() / max(bbox.height(), 1e-9))
    return _save(view, out, (max(w, 200), height), bbox.enlarged(bbox.height() * 0.1))
