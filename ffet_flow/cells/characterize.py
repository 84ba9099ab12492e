"""Cell characterization with ngspice (batch mode): NLDM timing, power, pin capacitance, leakage,
flip-flop constraints. One ngspice process per (cell, arc) sweeps the whole slew x load grid;
cells run in parallel; results are cached per cell under a hash of every input.

Results per cell (units: ns, fF, fJ, nW) are plain dicts that `liberty.py` writes:
`{"pins": {pin: {"rise_cap", "fall_cap"}}, "arcs": [...], "leakage": {...}, "static": [...],
"constraints": [...]}`. Measurement conventions are in `chardecks.py`.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from ffet_flow.cells import chardecks as D
from ffet_flow.cells import seqchar
from ffet_flow.cells.boolexpr import evaluate
from ffet_flow.cells.device import card_digest, parse_results
from ffet_flow.cells.netlists import CellNetlist
from ffet_flow.errors import ToolError
from ffet_flow.proc import find_program, run_tool
from ffet_flow.util import atomic_write_text, json_dumps, stable_hash

#: bump when measurement code changes what it produces (part of every cache key)
CODE_VERSION = 4


def run_deck(text: str, work: Path, name: str) -> dict[str, float]:
    """Run one deck in ngspice batch mode; return its RESULT values."""
    work.mkdir(parents=True, exist_ok=True)
    # ngspice runs BSIM4 with one OpenMP thread per core by default; with our own process-level
    # parallelism those threads only contend (10x slowdowns measured on 2 cores), so one thread
    (work / ".spiceinit").write_text("set num_threads=1\n")
    path = work / f"{name}.sp"
    path.write_text(text)
    log = work / f"{name}.log"
    run_tool("cells", [find_program("ngspice"), "-b", path.name], log, cwd=work)
    return parse_results(log.read_text(errors="replace"))


def _need(res: Mapping[str, float], key: str, where: str, log: Path) -> float:
    if key not in res:
        raise ToolError("cells", f"ngspice gave no value for {key} ({where})", log)
    return res[key]


def sensitizations(cell: CellNetlist, pin: str) -> dict[str, dict[str, int]]:
    """Side-input vectors that make `out` depend on `pin`: {"positive_unate": vec, ...}."""
    out = cell.outputs[0]
    func = cell.functions[out]
    others = [p for p in cell.inputs if p != pin]
    found: dict[str, dict[str, int]] = {}
    for bits in itertools.product((0, 1), repeat=len(others)):
        env = dict(zip(others, bits, strict=True))
        lo = evaluate(func, {**env, pin: 0})
        hi = evaluate(func, {**env, pin: 1})
        if lo != hi:
            found.setdefault("positive_unate" if hi else "negative_unate", env)
    return found


def comb_arc(cell: CellNetlist, sub: str, setup: D.Setup, pin: str, sense: str,
             env: Mapping[str, int], work: Path) -> dict:
    """One input -> output arc under side inputs `env`; tables indexed [slew][load]."""
    out = cell.outputs[0]
    vdd = setup.vdd
    stages = 2 if cell.base in ("BUF", "AND2", "OR2", "MUX2", "XOR2", "XNOR2") else 1
    rise_out = "rise" if sense == "positive_unate" else "fall"
    fall_out = "fall" if rise_out == "rise" else "rise"
    points = []
    t1 = 10e-12
    for i, s in enumerate(setup.slews):
        ramp = D.ramp_of(s)
        for j, c in enumerate(setup.loads):
            settle = D.settle_time(c, cell.drive, stages) + ramp
            t2 = t1 + ramp + settle
            stop = t2 + ramp + settle
            wave = D.edges([(0.0, 0), (t1, 1), (t2, 0)], vdd, ramp)
            meas = [D.delay_meas("d1", pin, "rise", out, rise_out, vdd),
                    D.trans_meas("t1", out, rise_out, vdd),
                    D.delay_meas("d2", pin, "fall", out, fall_out, vdd),
                    D.trans_meas("t2", out, fall_out, vdd),
                    D.integ_meas("e1", "vdd", t1, t2), D.integ_meas("e2", "vdd", t2, stop),
                    D.integ_meas("q1", f"v{pin.lower()}", t1, t2),
                    D.integ_meas("q2", f"v{pin.lower()}", t2, stop)]
            points.append(D.Point(f"p{i}_{j}", {pin: wave}, c * 1e-15, stop, meas,
                                  D.step_limit(ramp, c, cell.drive)))
    sources = {p: [(0.0, env[p] * vdd)] * 4 for p in cell.inputs if p != pin}
    sources[pin] = points[0].waves[pin]
    text = D.deck(cell, sub, setup, f"arc {cell.name} {pin}->{out} {sense}", sources, [out],
                  points)
    name = f"arc_{pin}_{sense.split('_')[0]}"
    res = run_deck(text, work, name)
    log = work / f"{name}.log"
    n_s, n_l = len(setup.slews), len(setup.loads)
    tab = {k: [[0.0] * n_l for _ in range(n_s)] for k in
           ("cell_rise", "cell_fall", "rise_transition", "fall_transition", "rise_power",
            "fall_power")}
    caps = []
    for i, j in itertools.product(range(n_s), range(n_l)):
        g = {k: _need(res, f"p{i}_{j}.{k}", f"{cell.name} {pin}", log)
             for k in ("d1", "t1", "d2", "t2", "e1", "e2", "q1", "q2")}
        c_load = setup.loads[j] * 1e-15
        e_in_rise = -g["e1"] * vdd * 1e15  # fJ drawn from VDD during the input rise
        e_in_fall = -g["e2"] * vdd * 1e15
        # Liberty internal energy: supply energy minus the C_L VDD^2 that charges the load on an
        # output rise (the tool adds 1/2 C V^2 per transition as switching energy)
        cv2 = c_load * vdd * vdd * 1e15
        if rise_out == "rise":
            e_r, e_f = e_in_rise - cv2, e_in_fall
            tab["cell_rise"][i][j], tab["cell_fall"][i][j] = g["d1"], g["d2"]
            tab["rise_transition"][i][j], tab["fall_transition"][i][j] = g["t1"], g["t2"]
        else:
            e_r, e_f = e_in_fall - cv2, e_in_rise
            tab["cell_rise"][i][j], tab["cell_fall"][i][j] = g["d2"], g["d1"]
            tab["rise_transition"][i][j], tab["fall_transition"][i][j] = g["t2"], g["t1"]
        tab["rise_power"][i][j], tab["fall_power"][i][j] = e_r, e_f
        for k in ("cell_rise", "cell_fall", "rise_transition", "fall_transition"):
            tab[k][i][j] *= 1e9  # s -> ns
        caps.append((abs(g["q1"]) / vdd * 1e15, abs(g["q2"]) / vdd * 1e15))
    mid = len(caps) // 2
    return {"pin": pin, "output": out, "sense": sense, "type": "combinational", **tab,
            "rise_cap": caps[mid][0], "fall_cap": caps[mid][1], "when": dict(env)}


def _merge_non_unate(a: dict, b: dict) -> dict:
    """A non-unate arc: the worse of its two sensitizations, point by point."""
    out = dict(a, sense="non_unate", when={})
    for k in ("cell_rise", "cell_fall", "rise_transition", "fall_transition", "rise_power",
              "fall_power"):
        out[k] = [[max(x, y) for x, y in zip(ra, rb, strict=True)]
                  for ra, rb in zip(a[k], b[k], strict=True)]
    out["rise_cap"] = max(a["rise_cap"], b["rise_cap"])
    out["fall_cap"] = max(a["fall_cap"], b["fall_cap"])
    return out


def static_run(cell: CellNetlist, sub: str, setup: D.Setup, work: Path) -> list[dict]:
    """Every input vector: output voltages (V) and leakage power (nW)."""
    vectors = [dict(zip(cell.inputs, bits, strict=True))
               for bits in itertools.product((0, 1), repeat=len(cell.inputs))]
    res = run_deck(D.static_deck(cell, sub, setup, vectors), work, "static")
    log = work / "static.log"
    rows = []
    for i, vec in enumerate(vectors):
        outs = {o: _need(res, f"s{i}.{o}", cell.name, log) for o in cell.outputs}
        idd = _need(res, f"s{i}.idd", cell.name, log)
        rows.append({"inputs": vec, "outputs": outs, "leakage": abs(idd) * setup.vdd * 1e9})
    return rows


def characterize_cell(cell: CellNetlist, sub: str, setup: D.Setup, work: Path) -> dict:
    """Everything the Liberty file needs about one cell (FILL: nothing to simulate)."""
    result: dict = {"name": cell.name, "pins": {}, "arcs": [], "constraints": [], "static": []}
    if cell.kind == "fill":
        return result
    result["static"] = static_run(cell, sub, setup, work)
    if cell.kind == "comb":
        for pin in cell.inputs:
            sens = sensitizations(cell, pin)
            arcs = [comb_arc(cell, sub, setup, pin, s, env, work) for s, env in sorted(sens.items())]
            arc = arcs[0] if len(arcs) == 1 else _merge_non_unate(*arcs)
            result["arcs"].append(arc)
            result["pins"][pin] = {"rise_cap": arc["rise_cap"], "fall_cap": arc["fall_cap"]}
    elif cell.kind == "seq":
        seqchar.characterize_flop(cell, sub, setup, work, result)
    return result


def cache_key(cell: CellNetlist, sub: str, setup: D.Setup) -> str:
    return stable_hash({"cell": cell.name, "functions": dict(cell.functions), "subckt": sub,
                        "card": card_digest(), "vdd": setup.vdd, "temp": setup.temperature,
                        "slews": list(setup.slews), "loads": list(setup.loads),
                        "code": CODE_VERSION, "seq": seqchar.CODE_VERSION})


def characterize_library(cells: Sequence[CellNetlist], subckts: Mapping[str, str],
                         setup: D.Setup, cache_dir: Path, work_dir: Path, jobs: int = 0,
                         on_done: Callable[[str, bool], None] | None = None) -> dict[str, dict]:
    """Characterize every cell (cached ones are read back); `jobs` parallel workers."""
    jobs = jobs or os.cpu_count() or 1
    results: dict[str, dict] = {}
    todo = []
    for cell in cells:
        path = cache_dir / f"{cell.name}-{cache_key(cell, subckts.get(cell.name, ''), setup)[:24]}.json"
        if path.exists():
            results[cell.name] = json.loads(path.read_text())
            if on_done:
                on_done(cell.name, True)
        else:
            todo.append((cell, path))

    def work(cell: CellNetlist, path: Path) -> dict:
        res = characterize_cell(cell, subckts.get(cell.name, ""), setup, work_dir / cell.name)
        atomic_write_text(path, json_dumps(res))
        return res

    # the slowest cells (most devices, flip-flops) first keeps both workers busy to the end
    todo.sort(key=lambda cp: (-(len(cp[0].transistors) + 100 * (cp[0].kind == "seq")),
                              cp[0].name))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(work, c, p): c.name for c, p in todo}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if on_done:
                on_done(futures[fut], False)
    return {c.name: results[c.name] for c in cells}
