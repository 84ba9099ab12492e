"""Standard-cell layouts for viewing: layout-only GDS per technology (no characterization) and
FFET-vs-CFET cells side by side at the same scale (`ffet render-cells`, `ffet view-cells`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ffet_flow.config import load_config

DEFAULT_CELLS = ("INV_X1", "NAND2_X1")


def cells_gds(tech_toml: Path, out_dir: Path, cells: Sequence[str] | None = None,
              set_items: Sequence[str] = ()) -> dict[str, Path]:
    """Write `cells.gds` plus the pdk files (tech.lyt, layers.lyp) of one technology."""
    from ffet_flow.cells.gds import write_cells_gds
    from ffet_flow.cells.layout import build_layouts
    from ffet_flow.cells.netlists import cell_set
    from ffet_flow.cells.pinsides import assign_pin_sides
    from ffet_flow.commands.pdk import write_pdk
    from ffet_flow.tech.model import build_tech

    cfg = load_config([tech_toml], set_items=list(set_items))
    tech = build_tech(cfg)
    netlists = cell_set(cells)
    back_signals = tech.arch == "ffet" and tech.signal_sides == "both"
    sides = assign_pin_sides(netlists, cfg.effective_input_pin_density, back_signals)
    layouts = build_layouts(netlists, tech, sides,
                            source=cfg.sources.get("cell_height_tracks", str(tech_toml)))
    paths = write_pdk(cfg, out_dir)
    paths["cells_gds"] = write_cells_gds(layouts, tech, out_dir / "cells.gds")
    return paths


def render_architectures(techs: Sequence[Path], out_png: Path, work_dir: Path,
                         cells: Sequence[str] = DEFAULT_CELLS, height: int = 500) -> Path:
    """One PNG with the given cells of every technology side by side, same scale."""
    from ffet_flow.render import render_cells

    gds, lyp = {}, None
    for tech in techs:
        paths = cells_gds(Path(tech), work_dir / Path(tech).stem, cells)
        gds[Path(tech).stem] = paths["cells_gds"]
        lyp = lyp or paths["lyp"]
    return render_cells(gds, cells, out_png, lyp, height)
