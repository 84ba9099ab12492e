"""Per-net wiring plans of a cell: terminals, inter-tier links, which side's metal wires a net.

Pure functions over the gate columns (ffet_flow.cells.columns); ffet_flow.cells.layout turns the
chosen plans into tracks and shapes. Positions are x in dbu.

Links (rules.py): FFET drain merge "DM" (same net on the n and p source/drain at one position),
gate merge "GM" (same gate net on both tiers of a column), field drain merge "FDM" (added where
the two sides' wires must meet but share no DM/GM position); CFET vertical drain link "SV" and
shared gate "SG" (one electrode, no resistance).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ffet_flow.cells.columns import Slot

SIDES = ("front", "back")


@dataclass(frozen=True)
class Term:
    """One terminal of a net: a source/drain region or a gate, on a tier, at x (dbu)."""

    kind: str  # "sd" | "g"
    tier: str  # "p" | "n"
    x: int
    side: str


@dataclass
class NetPlan:
    """How one net is wired: wire span per side, contacts (terminal, tall), links (kind, x)."""

    net: str
    wires: dict  # side -> (x0, x1)
    contacts: list  # (Term, tall: bool)
    links: list  # (kind, x)
    pin_sides: tuple


def terminals(slots: Sequence[Slot], cpp: int, tier_side: Mapping[str, str]):
    """Per net: its terminals; per position: S/D net of each tier."""
    n = len(slots)
    sd: dict[str, list[str | None]] = {"p": [None] * (n + 1), "n": [None] * (n + 1)}
    terms: dict[str, list[Term]] = {}
    for i, s in enumerate(slots):
        for tier in ("p", "n"):
            d = getattr(s, tier)
            if d is None:
                continue
            sd[tier][i] = d.left
            sd[tier][i + 1] = d.right
            terms.setdefault(d.gate, []).append(Term("g", tier, (i + 1) * cpp, tier_side[tier]))
    for tier in ("p", "n"):
        for k, net in enumerate(sd[tier]):
            if net is not None:
                terms.setdefault(net, []).append(
                    Term("sd", tier, k * cpp + cpp // 2, tier_side[tier]))
    return terms, sd


def net_links(net: str, terms: list[Term], arch: str) -> list[tuple[str, Term, Term]]:
    """Inter-tier links of a net: same kind of terminal at the same x on both tiers."""
    by = {(t.kind, t.x): {} for t in terms}
    for t in terms:
        by[(t.kind, t.x)][t.tier] = t
    out = []
    for (kind, _x), tiers in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if "p" in tiers and "n" in tiers:
            if kind == "sd":
                out.append(("DM" if arch == "ffet" else "SV", tiers["p"], tiers["n"]))
            else:
                out.append(("GM" if arch == "ffet" else "SG", tiers["p"], tiers["n"]))
    return out


def connected(terms: list[Term], links, wired: Iterable[str]) -> bool:
    parent = list(range(len(terms)))
    idx = {id(t): i for i, t in enumerate(terms)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for _k, a, b in links:
        union(idx[id(a)], idx[id(b)])
    for side in wired:
        members = [i for i, t in enumerate(terms) if t.side == side]
        for a in members[1:]:
            union(members[0], a)
    return len({find(i) for i in range(len(terms))}) <= 1


def net_options(net: str, terms: list[Term], pin_need: tuple[str, ...], arch: str,
                 far_tier: str | None) -> list[NetPlan]:
    """Every valid way to wire a net (which sides carry a wire), cheapest first.

    A wired side's wire joins all the net's terminals on that side; the inter-tier links (DM,
    GM, supervia, shared gate) join terminals at the same x; the choice must connect all
    terminals and put the net on each side its pin needs. When the two sides' wires share no
    link position, a field drain merge (FDM) joins them. Cost: total wire span (+1 dbu per FDM).
    """
    links = net_links(net, terms, arch)
    options = [("front",), ("back",), ("front", "back")] if arch == "ffet" else [("front",)]
    linked_far = {id(b if a.tier != far_tier else a) for k, a, b in links if k == "SV"} | \
        {id(a if a.tier == far_tier else b) for k, a, b in links if k == "SG"}
    out = []
    for wired in options:
        if not set(pin_need) <= set(wired):
            continue
        fdm = None
        empty = [s for s in wired if not any(t.side == s for t in terms)]
        if not connected(terms, links, wired) or empty:
            if len(wired) < 2:
                continue
            # no DM/GM position joins the two sides: a field drain merge at the closest pair
            fr = [t for t in terms if t.side == "front"]
            bk = [t for t in terms if t.side == "back"]
            if fr and bk:
                a, _b = min(((a, b) for a in fr for b in bk),
                            key=lambda ab: (abs(ab[0].x - ab[1].x), ab[0].x, ab[1].x))
                fdm = a.x
            else:
                fdm = (fr or bk)[0].x
        full = {s: sorted({t.x for t in terms if t.side == s} | ({fdm} if fdm is not None
                                                                 else set())) for s in wired}
        variants = [full]
        link_x = sorted({a.x for k, a, _b in links if k in ("DM", "GM")})
        if len(wired) == 2 and fdm is None and link_x:
            # one side (primary) joins every linked pair; the other only its own unlinked
            # terminals, tied in at the nearest link position
            linked = {id(t) for _k, a, b in links for t in (a, b)}
            for prim in wired:
                sec = "back" if prim == "front" else "front"
                must = sorted({t.x for t in terms if t.side == sec and id(t) not in linked})
                if not must and sec not in pin_need:
                    continue
                mid = (must[0] + must[-1]) // 2 if must else link_x[0]
                tie = min(link_x, key=lambda x: (abs(x - mid), x))
                variants.append({prim: full[prim], sec: sorted(set(must) | {tie})})
        for points in variants:
            out.append(_make_option(net, terms, wired, points, fdm, links, linked_far, pin_need,
                                    far_tier))
    if not out:  # unreachable for the generated cells; a netlist bug otherwise
        raise ValueError(f"net {net}: cannot connect its terminals")
    out.sort(key=lambda kp: kp[0])
    return [p for _k, p in out]


def _make_option(net, terms, wired, points, fdm, links, linked_far, pin_need, far_tier):
    """One wiring option: a wire per side over `points` (x, dbu), contacts under the wires."""
    cost = sum(p[-1] - p[0] for p in points.values() if p) + (0 if fdm is None else 1)
    wires: dict[str, tuple[int, int]] = {}
    contacts: list[tuple[Term, bool]] = []
    for side in wired:
        pts = points.get(side, [])
        if pts and (len(pts) >= 2 or side in pin_need or fdm is not None):
            wires[side] = (pts[0], pts[-1])
            for t in terms:
                if t.side != side or id(t) in linked_far or not pts[0] <= t.x <= pts[-1]:
                    continue
                contacts.append((t, far_tier is not None and t.tier == far_tier))
    used = [(k, a.x) for k, a, _b in links if k != "SG"]
    if fdm is not None:
        used.append(("FDM", fdm))
    return (cost, len(wired), wired, tuple(sorted(wires.items()))), \
        NetPlan(net, wires, contacts, used, pin_need)


def pin_need(side: str | None) -> tuple[str, ...]:
    """Sides a net must reach for its pin: () for internal nets."""
    return {"front": ("front",), "back": ("back",), "both": ("front", "back"), None: ()}[side]
