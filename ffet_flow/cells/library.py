"""Library assembly: netlists -> pin sides -> layouts -> cells.sp -> characterization -> the six
library files, cached under build/cache/cells/<hash of every input>/.

`build_library(cfg, out_dir)` returns {artifact: path} for cells_lef, cells_gds, cells_lib,
cells_v, cells_sp, pins_json. Per-cell characterization results are cached separately (under
<cache root>/char/), so a change that touches a few cells re-simulates only those.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ffet_flow.cells import chardecks as D
from ffet_flow.cells.access import site_modulus, site_residues
from ffet_flow.cells.characterize import CODE_VERSION, characterize_library
from ffet_flow.cells.gds import write_cells_gds
from ffet_flow.cells.layout import build_layouts
from ffet_flow.cells.lef import write_cells_lef
from ffet_flow.cells.liberty import write_liberty
from ffet_flow.cells.netlists import cell_set
from ffet_flow.cells.pinsides import assign_pin_sides, pins_payload
from ffet_flow.cells.spice import subckt, write_cells_sp
from ffet_flow.cells.verilog import write_cells_v
from ffet_flow.config import Config
from ffet_flow.log import Progress, get_logger
from ffet_flow.tech.model import build_tech
from ffet_flow.util import file_digest, stable_hash, write_json

LIB_FILES = {"cells_lef": "cells.lef", "cells_gds": "cells.gds", "cells_lib": "cells.lib",
             "cells_v": "cells.v", "cells_sp": "cells.sp", "pins_json": "pins.json"}
#: bump when any writer changes its output (part of the library cache key)
LIBRARY_VERSION = 1
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / "build" / "cache" / "cells"


def library_name(cfg: Config) -> str:
    return f"{cfg.arch}_cells"


def build_library(cfg: Config, out_dir: Path, cache_root: Path | None = None,
                  on_progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Build (or reuse from the cache) the library of `cfg` and copy its files to `out_dir`."""
    log = get_logger("cells")
    cache_root = Path(cache_root) if cache_root is not None else DEFAULT_CACHE
    source = "--set" if "cell_list" in cfg.sources and cfg.sources["cell_list"] == "--set" \
        else cfg.sources.get("cell_list", "config")
    cells = cell_set(cfg.cell_list, source=source)
    tech = build_tech(cfg)
    density = cfg.effective_input_pin_density
    back_signals = tech.signal_sides == "both" and tech.arch == "ffet"
    sides = assign_pin_sides(cells, density, back_signals)
    # ConfigError when a cell does not fit; name where cell_height_tracks came from
    layouts = build_layouts(cells, tech, sides, source=cfg.sources.get("cell_height_tracks", "defaults"))
    subckts = {c.name: subckt(c, layouts[c.name].parasitics) for c in cells if c.transistors}
    setup = D.Setup(vdd=cfg.vdd, temperature=cfg.temperature, slews=tuple(cfg.char_slews),
                    loads=tuple(cfg.char_loads))
    key = stable_hash({
        "cells": [c.name for c in cells], "subckts": subckts, "sides": sides,
        "tech": cfg.digest([k for k in cfg.keys_for_step("cells") if k not in ("char_jobs",)]),
        "char": CODE_VERSION, "lib": LIBRARY_VERSION,
        "layouts": {n: repr((lay.width, lay.height, sorted(lay.pins.items()),
                             lay.obstructions, sorted(lay.shapes.items())))
                    for n, lay in layouts.items()}})
    lib_dir = cache_root / key[:32]
    if not all((lib_dir / f).exists() for f in LIB_FILES.values()):
        progress = Progress(len(cells), "cells", log)

        def done(name: str, cached: bool) -> None:
            progress.update(name + (" (cached)" if cached else ""))
            if on_progress:
                on_progress(name)

        # private scratch and staging directories: two processes may build the same library
        (cache_root / "work").mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=key[:16] + ".", dir=cache_root / "work"))
        results = characterize_library(cells, subckts, setup, cache_root / "char", work,
                                       jobs=cfg.char_jobs, on_done=done)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:32]}.", suffix=".tmp", dir=cache_root))
        dbu2 = tech.dbu * tech.dbu
        areas = {n: lay.width * lay.height / dbu2 for n, lay in layouts.items()}
        write_cells_lef(layouts, tech, sides, tmp / LIB_FILES["cells_lef"], cells=cells)
        write_cells_gds(layouts, tech, tmp / LIB_FILES["cells_gds"], library=library_name(cfg))
        write_liberty(tmp / LIB_FILES["cells_lib"], library_name(cfg), cells, results, areas,
                      sides, cfg.vdd, cfg.temperature, setup.slews, setup.loads)
        write_cells_v(cells, tmp / LIB_FILES["cells_v"])
        write_cells_sp(cells, {n: lay.parasitics for n, lay in layouts.items()},
                       tmp / LIB_FILES["cells_sp"], title=f"{library_name(cfg)}: cells with "
                       "layout parasitics")
        residues = {n: list(r) for n, lay in layouts.items()
                    if (r := site_residues(lay, tech)) is not None}
        write_json(tmp / LIB_FILES["pins_json"],
                   pins_payload(sides, density, site_modulus(tech), residues))
        try:
            tmp.rename(lib_dir)  # the cache entry appears complete or not at all
        except OSError:  # another process published the same entry first: same content
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    else:
        log.info("cells: library %s from the cache", key[:12])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for artifact, fname in LIB_FILES.items():
        target = out_dir / fname
        if not (target.exists() and file_digest(target) == file_digest(lib_dir / fname)):
            tmp_target = out_dir / f".{fname}.tmp"
            shutil.copyfile(lib_dir / fname, tmp_target)
            tmp_target.replace(target)
        paths[artifact] = target
    return paths
