"""The detailed router's parts on small hand-built graphs over the generated FFET rules:
graph construction, claim windows, pin marks, the A* search, access-point assignment,
negotiated rip-up and reroute, and the DEF wiring (gap fill, vias)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from ffet_flow.commands.pdk import write_pdk
from ffet_flow.config import load_config
from ffet_flow.io.lef import read_lef
from ffet_flow.route import maze
from ffet_flow.route.access import Terminal
from ffet_flow.route.detailed import DetailOptions, detail_route
from ffet_flow.route.pinassign import assign_access
from ffet_flow.route.rules import side_rules
from ffet_flow.route.trackgraph import BLOCKED, FREE, build_graph, claim_radius
from ffet_flow.route.wiring import side_wiring
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdk")
    cfg = load_config([ROOT / "pdk" / "ffet.toml"], set_items=["layers_front=5"])
    write_pdk(cfg, out)
    lib = read_lef([out / "tech_front.lef"])
    return side_rules(lib, "front", {"M1", "M2", "M3", "M4"})


def _graph(rules, size=(2040, 1680)):
    """Tracks as the flow counts them from the origin: M0/M2 every 56 dbu from 28, M1/M3 every
    68 from 34, M4 every 84 from 42."""
    w, h = size
    coords = {0: np.arange(28, h, 56), 1: np.arange(34, w, 68), 2: np.arange(28, h, 56),
              3: np.arange(34, w, 68), 4: np.arange(42, h, 84)}
    return build_graph(rules, [1, 2, 3, 4], coords, (0, 0, w, h))


def test_claim_radius_is_two_pads_and_the_tip_to_tip_spacing(rules):
    # M1: V0/V1 pads reach cut/2 + enclosure = 14 + 20 = 34 dbu along the track; the
    # end-of-line spacing is ceil(68 * 31 / 36) = 59 dbu (ASAP7's ratio): 34 + 34 + 59
    assert rules.ext(1) == 34 and rules.metals[1].eol_spacing == 59
    assert claim_radius(rules, 1) == 127
    # M2: pads of 14 + 14 = 28, tip-to-tip ceil(56 * 31 / 36) = 49
    assert claim_radius(rules, 2) == 28 + 28 + 49


def test_stops_are_the_crossings_with_the_neighbouring_layers(rules):
    g = _graph(rules)
    # M1 stops: the M0 and M2 tracks (the same y here); M2 stops: M1 and M3 tracks
    assert np.array_equal(g.stops[0], np.arange(28, 1680, 56))
    assert np.array_equal(g.stops[1], np.arange(34, 2040, 68))
    # M3 stops: M2 tracks (56) and M4 tracks (84) merged
    assert set(g.stops[2].tolist()) == set(range(28, 1680, 56)) | set(range(42, 1680, 84))
    # a via joins M1 (x=102, y=84) and M2 (y=84, x=102): both nodes exist and map to each other
    k1 = g.node(0, 1, 1)
    x, y = g.xy(np.array([k1]))
    assert (int(x[0]), int(y[0])) == (102, 84)
    it = g.up_tr[g.soff[0] + 1]
    js = g.up_st[g.toff[0] + 1]
    up = g.node(1, it, js)
    assert tuple(int(v[0]) for v in g.xy(np.array([up]))) == (102, 84)
    # claim windows: on M1 (stops 56 apart) two stops each way are within 127 dbu
    j = 10
    assert (g.win_lo[j], g.win_hi[j]) == (8, 12)


def test_pin_marks_keep_touching_nodes_for_the_net_and_block_the_rest(rules):
    g = _graph(rules)
    # an M2 pin of net 7 on the track y = 84 from x = 80 to 130 (touches the stop x = 102)
    g.mark(1, (80, 70, 130, 98), 7, rules.metals[2].spacing, rules.metals[2].eol_spacing)
    g.mark(0, (500, 500, 520, 520), BLOCKED, 34, 59)
    g.finish_marks()
    on = g.node(1, 1, 1)  # (102, 84)
    assert g.owner[on] == 7
    # the stops next to it (x = 34, 170) do not touch the pin, but their pads would end closer
    # than the end-of-line spacing: blocked for every net, its own too; x = 238 is far enough
    assert g.owner[g.node(1, 1, 0)] == BLOCKED and g.owner[g.node(1, 1, 2)] == BLOCKED
    assert g.owner[g.node(1, 1, 3)] == FREE
    # the neighbouring M2 track (y = 140) keeps the spacing: free
    assert g.owner[g.node(1, 2, 1)] == FREE
    assert (g.owner == BLOCKED).any()


def _search(g, net, src, dst, weight=1.0):
    n = g.n_nodes
    dist, prev = np.zeros(n), np.full(n, -1, dtype=np.int64)
    seen, tmark, tpin = (np.zeros(n, dtype=np.int32) for _ in range(3))
    occ, hist = np.zeros(n, dtype=np.int32), np.zeros(n, dtype=np.float32)
    pinmark = np.full(n, -1, dtype=np.int32)
    box = np.array([0, 0, 10 ** 9, 10 ** 9], dtype=np.int64)
    res = maze.search(g.base, g.nst, g.soff, g.toff, g.stops_flat, g.tracks_flat, g.horizontal,
                      g.up_tr, g.up_st, g.dn_tr, g.dn_st, g.owner, occ, hist, pinmark, net,
                      np.array([src]), np.zeros(1), np.array([dst]),
                      np.zeros(1, dtype=np.int32), box, np.zeros(0, dtype=np.uint8), 1,
                      np.zeros(0, dtype=np.uint8), 1, 0.0, g.tr_gc, g.st_gc, dist, prev, seen, tmark, tpin, 1, 100.0, 0.0, 0.0, 0.0,
                      np.ones(len(g.levels)), weight, 10 ** 6, 56.0)
    return res, dist, prev


def test_search_finds_the_shortest_path_with_one_turn(rules):
    g = _graph(rules)
    src, dst = g.node(0, 2, 3), g.node(0, 20, 17)  # M1 (170, 196) to M1 (1394, 980)
    (reached, _pin, _exp), dist, prev = _search(g, 1, src, dst)
    assert reached == dst
    buf = np.zeros(4096, dtype=np.int64)
    path = buf[:maze.trace(reached, prev, buf)]
    x, y = g.xy(path)
    length = int(np.abs(np.diff(x)).sum() + np.abs(np.diff(y)).sum())
    assert length == abs(1394 - 170) + abs(980 - 196)  # Manhattan: no detour
    k, _, _ = g.decode(path)
    vias = int(np.count_nonzero(np.diff(k)))
    assert vias == 2  # up to M2 for the horizontal leg and back down
    assert dist[dst] == pytest.approx(length + 2 * 100.0)


def test_search_goes_around_a_blocked_node(rules):
    g = _graph(rules)
    # block M1 and M2 around the straight line so the route must climb to M3
    for k in (0, 1):
        g.owner[g.base[k]:g.base[k + 1]] = BLOCKED
    src, dst = g.node(2, 2, 3), g.node(2, 2, 30)
    (reached, _p, _e), _d, _prev = _search(g, 1, src, dst)
    assert reached == dst
    (reached, _p, _e), _d, _prev = _search(g, 1, g.node(0, 2, 3), dst)
    assert reached == -1  # its own start is blocked


def test_access_assignment_untangles_pins_sharing_a_track(rules):
    g = _graph(rules)
    col = lambda i, j: g.node(0, i, j)  # noqa: E731  M1 track i, stop j
    # pins A (net a) and B (net b), one M1 stop apart on tracks 5 and 6; A may use either
    # track, B only track 5: A must take track 6
    terms = {"a": [Terminal("u1/A", np.array([col(5, 10), col(6, 10)]), ("", "")),
                   Terminal("u9/Y", np.array([col(25, 20)]), ("",))],
             "b": [Terminal("u1/B", np.array([col(5, 11)]), ("",)),
                   Terminal("u8/Y", np.array([col(25, 2)]), ("",))]}
    chosen, left = assign_access(g, terms, {"a": 1, "b": 2})
    assert left == []
    assert chosen[("a", 0)] == col(6, 10) and chosen[("b", 0)] == col(5, 11)


def test_two_crossing_nets_route_without_conflict_and_wire_up(rules):
    g = _graph(rules)
    n1 = lambda i, j: g.node(0, i, j)  # noqa: E731
    terms = {"a": [Terminal("PIN/a0", np.array([n1(3, 14)]), ("",)),
                   Terminal("PIN/a1", np.array([n1(25, 14)]), ("",))],
             "b": [Terminal("PIN/b0", np.array([n1(14, 3)]), ("",)),
                   Terminal("PIN/b1", np.array([n1(14, 25)]), ("",))]}
    ids = {"a": 1, "b": 2}
    res = detail_route(g, terms, ids, DetailOptions(max_iterations=5))
    assert res.conflicts == {} and all(not w.unreached for w in res.wiring.values())
    # the two nets' nodes keep every claim window clear of each other
    occ = np.zeros(g.n_nodes, dtype=np.int32)
    maze.claim(res.wiring["a"].nodes, 1, occ, g.base, g.nst, g.soff, g.win_lo, g.win_hi,
               len(g.levels))
    assert not occ[res.wiring["b"].nodes].any()
    wires = side_wiring(g, rules, res.wiring, terms, ids)
    layers = {p.layer for ps in wires.paths.values() for p in ps}
    assert layers >= {"M1", "M2"}
    assert sum(wires.vias.values()) >= 4


def test_two_runs_of_a_net_closer_than_the_claim_radius_are_joined(rules):
    from ffet_flow.route.wiring import _runs

    win = np.array([min(j + 2, 30) for j in range(31)])
    # stops 3-5 and 7-9 of one net: stop 6 between them is within reach, so they join
    assert _runs([3, 4, 5, 7, 8, 9], {3, 4, 7, 8}, win, lambda a, b: True) == [(3, 9)]
    # unless a stop between is not free for the net
    assert _runs([3, 4, 5, 7, 8, 9], {3, 4, 7, 8}, win, lambda a, b: False) == [(3, 5), (7, 9)]
    # far apart: two runs
    assert _runs([3, 4, 12, 13], {3, 12}, win, lambda a, b: True) == [(3, 4), (12, 13)]


def _jit_case(tmp: str) -> str:
    """Route two crossing nets on a small graph; the nodes of each (run in a subprocess)."""
    import json

    cfg = load_config([ROOT / "pdk" / "ffet.toml"], set_items=["layers_front=5"])
    write_pdk(cfg, tmp)
    r = side_rules(read_lef([f"{tmp}/tech_front.lef"]), "front", {"M1", "M2", "M3", "M4"})
    g = _graph(r, (1020, 840))
    n = lambda i, j: g.node(0, i, j)  # noqa: E731
    t = {"a": [Terminal("p", np.array([n(2, 7)]), ("",)), Terminal("q", np.array([n(12, 7)]), ("",))],
         "b": [Terminal("r", np.array([n(7, 2)]), ("",)), Terminal("s", np.array([n(7, 12)]), ("",))]}
    res = detail_route(g, t, {"a": 1, "b": 2}, DetailOptions(max_iterations=3))
    return json.dumps({k: [int(v) for v in w.nodes] for k, w in sorted(res.wiring.items())})


def test_the_python_path_routes_like_the_compiled_one(tmp_path):
    """The kernels run as plain Python with FFET_NO_JIT=1 (numba's subset): same result."""
    code = ("import sys; import tests.unit.test_route_detail as T; "
            f"print(T._jit_case({str(tmp_path)!r}))")
    outs = []
    for jit in ("", "1"):
        env = dict(os.environ)
        env.pop("FFET_NO_JIT", None)
        if jit:
            env["FFET_NO_JIT"] = jit
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True, cwd=ROOT)
        outs.append(run.stdout)
    assert outs[0] == outs[1] and outs[0].strip()


def test_same_net_runs_join_where_their_line_ends_would_face_too_close():
    from ffet_flow.route.wiring import _runs

    window = np.array([0, 1, 2, 3, 4, 5, 6, 7])  # each stop's claim window: itself only
    always = lambda a, b: True  # noqa: E731
    # stops 1 and 3 of one net, no path between them: two runs, unless their metal is close
    assert _runs([1, 3], set(), window, always) == [(1, 1), (3, 3)]
    assert _runs([1, 3], set(), window, always, lambda a, b: b - a <= 2) == [(1, 3)]
    # ... and only where the stops between are the net's to fill
    assert _runs([1, 3], set(), window, lambda a, b: False, lambda a, b: True) == \
        [(1, 1), (3, 3)]
    # a path step joins regardless
    assert _runs([1, 2, 5], {1}, window, always) == [(1, 2), (5, 5)]


def _tree_check(w):
    """(pieces of w's wiring, its leaves that are no pin's access point)."""
    adj = {}
    for p in w.paths:
        fl = p.tolist()
        for nd in fl:
            adj.setdefault(nd, set())
        for a, b in zip(fl, fl[1:], strict=False):
            adj[a].add(b)
            adj[b].add(a)
    seen, pieces = set(), 0
    for st in adj:
        if st in seen:
            continue
        pieces += 1
        todo = [st]
        seen.add(st)
        while todo:
            for m in adj[todo.pop()]:
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
    pins = set(w.term_nodes.values())
    return pieces, [nd for nd, nb in adj.items() if len(nb) <= 1 and nd not in pins]


def test_partial_rip_up_keeps_the_rest_cuts_dead_ends_and_joins_again(rules):
    from ffet_flow.route.detailed import _defaults, _kept, _reroute_net, _Search

    g = _graph(rules)
    n1 = lambda i, j: g.node(0, i, j)  # noqa: E731
    # three pins of one net in an L
    terms = [Terminal("a", np.array([n1(3, 5)]), ("",)),
             Terminal("b", np.array([n1(20, 5)]), ("",)),
             Terminal("c", np.array([n1(20, 25)]), ("",))]
    res = detail_route(g, {"n": terms}, {"n": 1}, DetailOptions(max_iterations=1))
    w = res.wiring["n"]
    assert sorted(w.term_nodes) == [0, 1, 2] and _tree_check(w) == (1, [])
    # rip up the nodes near pin b: its access point and what leads to it
    xb, yb = g.xy(np.array([n1(20, 5)]))
    x, y = g.xy(w.nodes)
    near = w.nodes[(np.abs(x - xb[0]) <= 68) & (np.abs(y - yb[0]) <= 112)]
    rip = np.zeros(g.n_nodes, dtype=bool)
    rip[near] = True
    kept, pieces, loose = _kept(g, w, rip, 3)
    assert loose == [1]
    assert not rip[kept.nodes].any() and set(kept.nodes.tolist()) < set(w.nodes.tolist())
    assert sorted(p for _n, pins, _c in pieces for p in pins) == [0, 2]
    for nodes, _pins, cuts in pieces:  # cut where the wiring was taken away
        assert len(cuts) and set(cuts.tolist()) <= set(nodes.tolist())
    assert _tree_check(kept)[1] == []  # no dead end left
    # joined again: one tree, every pin on it, no dead end
    s = _Search(g)
    o = _defaults(g, DetailOptions())
    box = np.array([0, 0, 2040, 1680], dtype=np.int64)
    none = np.zeros(0, dtype=np.uint8)
    w2, _exp = _reroute_net(s, 1, terms, w, rip, box, (none, none), box, o, o.occ_cost,
                            np.ones(len(g.levels)))
    assert sorted(w2.term_nodes) == [0, 1, 2] and not w2.unreached
    assert _tree_check(w2) == (1, [])
    assert set(w2.nodes.tolist()) == {nd for p in w2.paths for nd in p.tolist()}


def test_a_local_pass_also_rips_kept_wiring_that_earlier_reroutes_ran_into(rules):
    from ffet_flow.route.detailed import _around, _fresh_area

    g = _graph(rules)
    wire = np.array([g.node(0, 4, j) for j in range(3, 12)], dtype=np.int64)
    occ = np.zeros(g.n_nodes, dtype=np.int32)
    rip = np.zeros(g.n_nodes, dtype=bool)
    assert not len(_fresh_area(g, wire, occ, rip, (1, 2)))  # nobody claims it: nothing to rip
    hit = g.node(0, 4, 7)
    occ[hit] = 1  # a net rerouted earlier in the pass claims one of its nodes
    area = _fresh_area(g, wire, occ, rip, (1, 2))
    assert set(area.tolist()) == set(_around(g, np.array([hit]), 1, 2).tolist())
    # what the pass's rip area already holds is not returned again
    rip[g.node(0, 4, 8)] = True
    assert set(_fresh_area(g, wire, occ, rip, (1, 2)).tolist()) == \
        set(area.tolist()) - {g.node(0, 4, 8)}
    rip[hit] = True  # the conflict itself is in it: the pass rips it anyway
    assert not len(_fresh_area(g, wire, occ, rip, (1, 2)))



def test_local_passes_repair_conflicts_to_a_clean_result(rules):
    """Fourteen random two-pin nets (seed 17) conflict after the first pass; the repairs end
    clean both in the default mode and with every pass after the first local."""
    g = _graph(rules, (1020, 840))
    rng = np.random.default_rng(17)
    used: set = set()
    terms = {}
    for q in range(14):
        pins = []
        for p in range(2):
            while True:
                i, j = int(rng.integers(1, g.ntr[0] - 1)), int(rng.integers(1, g.nst[0] - 1))
                if all(abs(i - a) > 0 or abs(j - b) > 3 for a, b in used):
                    break
            used.add((i, j))
            pins.append(Terminal(f"n{q}/p{p}", np.array([g.node(0, i, j)]), ("",)))
        terms[f"n{q}"] = pins
    ids = {n: k + 1 for k, n in enumerate(sorted(terms))}
    wide = detail_route(g, terms, ids, DetailOptions())
    local = detail_route(g, terms, ids, DetailOptions(local_above=-1, stall=1.0))
    assert wide.history[0] > 0 and local.history[0] > 0  # there was something to repair
    assert local.history != wide.history  # ... and the local passes repaired it their way
    for res in (wide, local):
        assert not res.conflicts and not len(res.conflict_nodes)
        assert all(sorted(w.term_nodes) == [0, 1] for w in res.wiring.values())
