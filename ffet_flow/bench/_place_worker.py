"""One synthetic placement run in its own process (for runtime and peak-memory scaling).

`python -m ffet_flow.bench._place_worker CELLS SEED EFFORT` prints one JSON line: wall and CPU
(user + system) seconds of the placement (problem build + Coloquinte + site snapping + legality check, not the netlist
generation), peak resident memory of the process (MiB), HPWL per side and legality.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from ffet_flow.io.lef import read_lef
    from ffet_flow.place.engine import PlaceOptions, place
    from ffet_flow.place.floorplan import FloorplanOptions, floorplan
    from ffet_flow.place.legal import check_legality
    from ffet_flow.place.netlist_def import design_from_netlist
    from ffet_flow.place.problem import build_problem
    from ffet_flow.place.synthetic import synthetic_lef, synthetic_netlist

    cells, seed, effort = int(argv[0]), int(argv[1]), int(argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        lef = Path(tmp) / "synth.lef"
        lef.write_text(synthetic_lef(back_input_fraction=0.5))
        lib = read_lef([lef])
    design = design_from_netlist(synthetic_netlist(cells, seed), lib)
    floorplan(design, lib, FloorplanOptions(utilization=0.7))
    start = time.monotonic()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    problem = build_problem(design, lib)
    result = place(problem, PlaceOptions(effort=effort, seed=seed, density=0.7))
    violations = check_legality(problem, result.x, result.y, result.orient)
    seconds = time.monotonic() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"cells": cells, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                      "peak_mib": round(peak, 1),
                      "stages": {k: round(v, 2) for k, v in result.seconds.items()},
                      "hpwl_front": round(result.hpwl_final["front"], 1),
                      "hpwl_back": round(result.hpwl_final["back"], 1),
                      "legal": not violations}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
