"""`ffet view`: open a run's layout in the KLayout GUI with the project's technology and layer
properties (front and back layers in their own colour families and groups: hide a side with one
click on its group), and the layout check's marker databases (`NN-drc/drc.lyrdb`,
`lvs.lyrdb`) beside it when the run has them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.proc import find_program

HELP = "open a run's layout (or a library's cells with --cells) in the KLayout GUI"


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", type=Path, nargs="?", help="a flow run, e.g. build/riscv32/ffet")
    p.add_argument("--gds", type=Path, help="open this GDS instead (with --pdk-dir)")
    p.add_argument("--pdk-dir", type=Path, help="directory holding tech.lyt and layers.lyp")
    p.add_argument("--print", dest="print_only", action="store_true",
                   help="print the KLayout command instead of starting it")


def klayout_argv(gds: Path, lyt: Path, lyp: Path, markers: tuple[Path, ...] = ()) -> list[str]:
    argv = [find_program("klayout"), "-ne", "-t", "-nn", str(lyt), "-l", str(lyp), str(gds)]
    for rdb in markers:  # marker databases open into the layout's view
        argv += ["-m", str(rdb)]
    return argv


def run_markers(run_dir: Path) -> tuple[Path, ...]:
    """The newest drc step's marker databases of a run (none when the step has not run)."""
    steps = sorted(Path(run_dir).glob("*-drc"))
    if not steps:
        return ()
    return tuple(p for p in (steps[-1] / "drc.lyrdb", steps[-1] / "lvs.lyrdb") if p.is_file())


def run(args: argparse.Namespace) -> int:
    from ffet_flow.layout import run_files, write_run_layout

    markers: tuple[Path, ...] = ()
    if args.gds:
        if not args.pdk_dir:
            raise ConfigError(Issue("command line", "--pdk-dir", None, "required with --gds"))
        gds, lyt, lyp = args.gds, args.pdk_dir / "tech.lyt", args.pdk_dir / "layers.lyp"
    elif args.run_dir:
        files = run_files(args.run_dir)
        gds = write_run_layout(args.run_dir)["gds"]
        lyt, lyp = files.layers_json.parent / "tech.lyt", files.lyp
        markers = run_markers(args.run_dir)
    else:
        raise ConfigError(Issue("command line", "RUN_DIR", None, "give a run directory or --gds"))
    for path in (gds, lyt, lyp):
        if path is None or not Path(path).exists():
            raise ConfigError(Issue("command line", "file", str(path), "file not found"))
    argv = klayout_argv(gds, lyt, lyp, markers)
    if args.print_only:
        print(" ".join(argv))
        return 0
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        raise ConfigError(Issue("environment", "DISPLAY", "", "no display for the KLayout GUI; "
                                "use `ffet render` for PNG views"))
    os.execv(argv[0], argv)  # hand the terminal to the GUI
    return 0
