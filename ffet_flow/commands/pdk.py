"""`ffet pdk`: write the technology files (tech LEFs, layers.json, KLayout .lyt/.lyp)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ffet_flow.commands._common import add_tech_args, config_from_args
from ffet_flow.config import Config
from ffet_flow.log import get_logger
from ffet_flow.tech.klayout import write_klayout_files
from ffet_flow.tech.layers_json import write_layers_json
from ffet_flow.tech.lef import write_tech_lefs
from ffet_flow.tech.model import build_tech

HELP = "write the technology: tech_front.lef, tech_back.lef, tech.lef, layers.json, tech.lyt, layers.lyp"

#: artifact name -> file name (the pdk step publishes the same names)
PDK_FILES = {"tech_lef": "tech.lef", "tech_front_lef": "tech_front.lef",
             "tech_back_lef": "tech_back.lef", "layers_json": "layers.json",
             "lyt": "tech.lyt", "lyp": "layers.lyp", "tech_place_lef": "tech_place.lef"}


def write_pdk(cfg: Config, out_dir: Path) -> dict[str, Path]:
    """Build the technology of `cfg` and write every pdk file into `out_dir`.

    The Tech is built (and any ConfigError raised) before the directory is touched; each file
    is written atomically. Returns {artifact: path} with the keys of PDK_FILES.
    """
    tech = build_tech(cfg)
    out_dir = Path(out_dir)
    paths = dict(write_tech_lefs(tech, out_dir))
    paths["layers_json"] = out_dir / PDK_FILES["layers_json"]
    write_layers_json(tech, paths["layers_json"])
    paths.update(write_klayout_files(tech, out_dir, lef_files=(PDK_FILES["tech_lef"],)))
    assert set(paths) == set(PDK_FILES)
    return paths


def register(p: argparse.ArgumentParser) -> None:
    add_tech_args(p)
    p.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                   help="output directory (default: build/pdk/<arch>)")


def run(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    out = args.output if args.output is not None else Path("build/pdk") / cfg.arch
    paths = write_pdk(cfg, out)
    log = get_logger("pdk")
    tech_layers = f"{cfg.layers_front} front + {cfg.layers_back} back layers"
    log.info("%s technology, %s, written to %s", cfg.arch, tech_layers, out)
    for name in sorted(paths):
        print(paths[name])
    return 0
