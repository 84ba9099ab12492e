"""Flip-flop characterization: clock-to-Q tables, asynchronous clear, setup and hold.

Clock-to-Q (7x7 over clock slew x load): one transient per point with four rising clock edges:
edge 1 captures D = 0 (sets a known state), edge 2 captures 1 (Q rises), edge 3 captures 0 (Q
falls), edge 4 changes nothing (the clock-only energy, subtracted from Q's internal energy and
reported as the CLK pin's internal power). D changes in the middle of the clock-low phases.

Asynchronous clear (DFFR, over RN slew x load): Q is set to 1 by a clock edge, then RN falls
while the clock is low; RN -> Q fall delay and Q fall transition.

Setup and hold are scalars (Liberty `scalar` tables) at the middle slew of the grid for clock
and data and the smallest load: a scan of the D-to-clock offset in 3 ps steps, one transient per
offset in a single ngspice run (3 ps resolution). An offset passes when Q ends at the right value and the
clock-to-Q delay is at most 10 % above its value with a relaxed offset (the usual push-out
criterion); setup (hold) is the smallest offset from which every larger offset passes.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from ffet_flow.cells import chardecks as D

CODE_VERSION = 2
SCAN_STEP = 3e-12  # s
SETUP_SCAN = (-30e-12, 60e-12)
HOLD_SCAN = (-45e-12, 45e-12)
#: time-step limits (s): flip-flop decks are long (several clock phases), so they resolve edges
#: to 0.5 ps (grid) and 1 ps (setup/hold scans) instead of the combinational decks' finer limit
TMAX_GRID, TMAX_SCAN = 0.5e-12, 1e-12
PUSHOUT = 1.10


def _half_period(setup: D.Setup, load_ff: float, ramp: float, drive: int) -> float:
    return 60e-12 + D.settle_time(load_ff, drive) + ramp


def _clk_q_points(cell, setup: D.Setup) -> list[D.Point]:
    vdd = setup.vdd
    rd = D.ramp_of(setup.slews[len(setup.slews) // 2])
    points = []
    for i, s in enumerate(setup.slews):
        rc = D.ramp_of(s)
        for j, c in enumerate(setup.loads):
            h = _half_period(setup, c, max(rc, rd), cell.drive)
            t0 = 10e-12
            clk = D.edges([(0.0, 0)] + [(t0 + k * h, 1 - k % 2) for k in range(8)], vdd, rc)
            dat = D.edges([(0.0, 0), (t0 + 1.5 * h, 1), (t0 + 3.5 * h, 0)], vdd, rd)
            stop = t0 + 8 * h
            e2, e3, e4, e5 = (t0 + k * h for k in (2, 4, 6, 7))
            meas = [D.delay_meas("dr", "CLK", "rise", "Q", "rise", vdd, n_in=2, after=None),
                    f"df trig {D.cross('CLK', 0.5, vdd, 'rise', 3)} "
                    f"targ {D.cross('Q', 0.5, vdd, 'fall')} td={e3:.6g}",
                    D.trans_meas("tr", "Q", "rise", vdd, after=e2),
                    D.trans_meas("tf", "Q", "fall", vdd, after=e3),
                    D.integ_meas("eqr", "vdd", e2, e2 + h), D.integ_meas("eqf", "vdd", e3, e3 + h),
                    D.integ_meas("ecr", "vdd", e4, e5), D.integ_meas("ecf", "vdd", e5, stop),
                    D.integ_meas("qcr", "vclk", e4, e5), D.integ_meas("qcf", "vclk", e5, stop),
                    D.integ_meas("qdr", "vd", t0 + 1.5 * h, e2),
                    D.integ_meas("qdf", "vd", t0 + 3.5 * h, e3)]
            points.append(D.Point(f"p{i}_{j}", {"CLK": clk, "D": dat}, c * 1e-15, stop, meas,
                                  max(TMAX_GRID, D.step_limit(rc, c, cell.drive))))
    return points


def _grid(n_s: int, n_l: int) -> list[list[float]]:
    return [[0.0] * n_l for _ in range(n_s)]


def _clock_to_q(cell, sub: str, setup: D.Setup, work: Path, result: dict) -> None:
    from ffet_flow.cells.characterize import _need, run_deck

    vdd = setup.vdd
    points = _clk_q_points(cell, setup)
    sources = {"CLK": points[0].waves["CLK"], "D": points[0].waves["D"]}
    if cell.seq.reset:
        sources["RN"] = [(0.0, vdd)]
    text = D.deck(cell, sub, setup, f"clock-to-q {cell.name}", sources, ["Q"], points)
    res = run_deck(text, work, "clk_q")
    log = work / "clk_q.log"
    n_s, n_l = len(setup.slews), len(setup.loads)
    tab = {k: _grid(n_s, n_l) for k in ("cell_rise", "cell_fall", "rise_transition",
                                         "fall_transition", "rise_power", "fall_power")}
    clk_rise, clk_fall, caps = [0.0] * n_s, [0.0] * n_s, {}
    for i, j in itertools.product(range(n_s), range(n_l)):
        g = {k: _need(res, f"p{i}_{j}.{k}", f"{cell.name} CLK->Q", log)
             for k in ("dr", "df", "tr", "tf", "eqr", "eqf", "ecr", "ecf", "qcr", "qcf", "qdr",
                       "qdf")}
        e = {k: -g[k] * vdd * 1e15 for k in ("eqr", "eqf", "ecr", "ecf")}  # fJ
        cv2 = setup.loads[j] * vdd * vdd
        tab["cell_rise"][i][j], tab["cell_fall"][i][j] = g["dr"] * 1e9, g["df"] * 1e9
        tab["rise_transition"][i][j], tab["fall_transition"][i][j] = g["tr"] * 1e9, g["tf"] * 1e9
        tab["rise_power"][i][j] = e["eqr"] - e["ecr"] - cv2
        tab["fall_power"][i][j] = e["eqf"] - e["ecr"]
        if j == n_l // 2:
            clk_rise[i], clk_fall[i] = e["ecr"], e["ecf"]
            if i == n_s // 2:
                caps = {"CLK": (abs(g["qcr"]) / vdd * 1e15, abs(g["qcf"]) / vdd * 1e15),
                        "D": (abs(g["qdr"]) / vdd * 1e15, abs(g["qdf"]) / vdd * 1e15)}
    result["arcs"].append({"pin": "CLK", "output": "Q", "sense": "non_unate",
                           "type": "rising_edge", **tab, "when": {}})
    result["clock_power"] = {"pin": "CLK", "rise_power": clk_rise, "fall_power": clk_fall}
    for pin, (r, f) in caps.items():
        result["pins"][pin] = {"rise_cap": r, "fall_cap": f}


def _clear(cell, sub: str, setup: D.Setup, work: Path, result: dict) -> None:
    from ffet_flow.cells.characterize import _need, run_deck

    vdd = setup.vdd
    rc = D.ramp_of(setup.slews[len(setup.slews) // 2])
    points = []
    for i, s in enumerate(setup.slews):
        rr = D.ramp_of(s)
        for j, c in enumerate(setup.loads):
            h = _half_period(setup, c, max(rc, rr), cell.drive)
            t0 = 10e-12
            clk = D.edges([(0.0, 0), (t0, 1), (t0 + h, 0)], vdd, rc)
            rn = D.edges([(0.0, 1), (t0 + 2 * h, 0), (t0 + 3 * h, 1)], vdd, rr)
            stop = t0 + 4 * h
            meas = [f"d trig {D.cross('RN', 0.5, vdd, 'fall')} targ {D.cross('Q', 0.5, vdd, 'fall')}"
                    f" td={t0 + 2 * h:.6g}",
                    D.trans_meas("t", "Q", "fall", vdd, after=t0 + 2 * h),
                    D.integ_meas("e", "vdd", t0 + 2 * h, t0 + 3 * h),
                    D.integ_meas("qf", "vrn", t0 + 2 * h, t0 + 3 * h),
                    D.integ_meas("qr", "vrn", t0 + 3 * h, stop)]
            points.append(D.Point(f"p{i}_{j}", {"CLK": clk, "RN": rn}, c * 1e-15, stop, meas,
                                  max(TMAX_GRID, D.step_limit(rr, c, cell.drive))))
    sources = {"CLK": points[0].waves["CLK"], "RN": points[0].waves["RN"], "D": [(0.0, vdd)]}
    text = D.deck(cell, sub, setup, f"clear {cell.name}", sources, ["Q"], points)
    res = run_deck(text, work, "clear")
    log = work / "clear.log"
    n_s, n_l = len(setup.slews), len(setup.loads)
    tab = {k: _grid(n_s, n_l) for k in ("cell_fall", "fall_transition", "fall_power")}
    cap = (0.0, 0.0)
    for i, j in itertools.product(range(n_s), range(n_l)):
        g = {k: _need(res, f"p{i}_{j}.{k}", f"{cell.name} RN->Q", log)
             for k in ("d", "t", "e", "qf", "qr")}
        tab["cell_fall"][i][j], tab["fall_transition"][i][j] = g["d"] * 1e9, g["t"] * 1e9
        tab["fall_power"][i][j] = -g["e"] * vdd * 1e15
        if (i, j) == (n_s // 2, n_l // 2):
            cap = (abs(g["qr"]) / vdd * 1e15, abs(g["qf"]) / vdd * 1e15)
    result["arcs"].append({"pin": "RN", "output": "Q", "sense": "positive_unate",
                           "type": "clear", **tab, "when": {}})
    result["pins"]["RN"] = {"rise_cap": cap[0], "fall_cap": cap[1]}


def _scan(cell, sub: str, setup: D.Setup, work: Path, kind: str, d_edge: str) -> float:
    """Setup (kind "setup") or hold time (ns) for D making edge `d_edge` ("rise"/"fall")."""
    from ffet_flow.cells.characterize import run_deck

    vdd = setup.vdd
    r = D.ramp_of(setup.slews[len(setup.slews) // 2])
    c = setup.loads[0]
    h = 2 * _half_period(setup, c, r, cell.drive)  # room for the scanned offsets
    t0 = 10e-12
    clk = D.edges([(0.0, 0), (t0, 1), (t0 + h, 0), (t0 + 2 * h, 1), (t0 + 3 * h, 0)], vdd, r)
    c50 = t0 + 2 * h + r / 2  # 50 % time of the measured clock edge
    lo, hi = SETUP_SCAN if kind == "setup" else HOLD_SCAN
    offsets = [hi - k * SCAN_STEP for k in range(int(round((hi - lo) / SCAN_STEP)) + 1)]
    new = 1 if d_edge == "rise" else 0  # D's value after its edge
    # setup: D takes `new` at c50 - off and the flop must capture `new`;
    # hold: D held at 1-new through the edge, takes `new` at c50 + off; the flop must keep 1-new
    want = new if kind == "setup" else 1 - new
    q_edge = "rise" if want == 1 else "fall"
    points = []
    for k, off in enumerate(offsets):
        if kind == "setup":
            t_d = c50 - off - r / 2
            dat = D.edges([(0.0, 1 - new), (t_d, new)], vdd, r)
        else:
            t_d = c50 + off - r / 2
            # prime Q = 1 - want (edge 1), present `want` from mid low phase, leave it after
            dat = D.edges([(0.0, 1 - want), (t0 + 1.5 * h, want), (t_d, 1 - want)], vdd, r)
        stop = t0 + 2.6 * h
        meas = [f"dq trig {D.cross('CLK', 0.5, vdd, 'rise', 2)} "
                f"targ {D.cross('Q', 0.5, vdd, q_edge)} td={t0 + 2 * h:.6g}",
                f"vq find v(Q) at={stop * 0.999:.6g}"]
        points.append(D.Point(f"o{k}", {"CLK": clk, "D": dat}, c * 1e-15, stop, meas,
                              TMAX_SCAN))
    sources = {"CLK": clk, "D": points[0].waves["D"]}
    if cell.seq.reset:
        sources["RN"] = [(0.0, vdd)]
    name = f"{kind}_{d_edge}"
    text = D.deck(cell, sub, setup, f"{kind} {d_edge} {cell.name}", sources, ["Q"], points)
    res = run_deck(text, work, name)
    nominal = res.get("o0.dq")
    best = None
    for k, off in enumerate(offsets):
        dq, vq = res.get(f"o{k}.dq"), res.get(f"o{k}.vq")
        ok = (dq is not None and vq is not None and nominal is not None
              and dq <= PUSHOUT * nominal and (vq > vdd / 2) == (want == 1))
        if not ok:
            break
        best = off
    if best is None:
        from ffet_flow.errors import ToolError
        raise ToolError("cells", f"{cell.name}: no passing {kind} offset for D {d_edge}",
                        work / f"{name}.log")
    return best * 1e9


def characterize_flop(cell, sub: str, setup: D.Setup, work: Path, result: dict) -> None:
    _clock_to_q(cell, sub, setup, work, result)
    if cell.seq.reset:
        _clear(cell, sub, setup, work, result)
    for kind in ("setup", "hold"):
        result["constraints"].append({
            "pin": "D", "related": "CLK", "type": f"{kind}_rising",
            "rise": _scan(cell, sub, setup, work, kind, "rise"),
            "fall": _scan(cell, sub, setup, work, kind, "fall")})
