"""Gate columns of a cell: device pairing, fingers, ordering with diffusion sharing.

A *column* is one gate position (one CPP) holding at most one p device and one n device. The
netlist (ffet_flow.cells.netlists) lists devices pairwise, p then n, per column; a device of
`width_units` k becomes k fingers, i.e. k columns (drive strength = fingers, more gate columns).

Each device in a column can be drawn either way round (source left or right): a transistor is
symmetric, and the two tiers have separate source/drain regions. Two neighbouring columns share
a diffusion region on a tier when both hold a device on that tier and the facing source/drain
nets are equal; if some tier cannot share, a diffusion break (one dummy gate, i.e. one extra
column) separates them. The order and orientations that minimise the number of breaks are found
by a beam search over partial sequences (an Euler-path search on the pair graph, as in classic
CMOS cell generators, generalised to unequal networks and split-gate columns); ties are broken by
the number of nets whose n and p drains share no position (no drain merge), the M0
track density and the total net span, and finally by a fixed ordering key, so the result
is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

SUPPLIES = ("VDD", "VSS")
#: separator of per-finger copies of an internal net (see _split_nets)
FINGER_SEP = "~"
#: number of partial sequences kept per step of the beam search; 16 columns x 4 orientations x
#: this many states stays far below a second per cell in pure Python.
BEAM = 48


@dataclass(frozen=True)
class Dev:
    """One finger on one tier: left S/D net, gate net, right S/D net."""

    kind: str  # "p" | "n"
    left: str
    gate: str
    right: str
    name: str


@dataclass(frozen=True)
class Slot:
    """One gate position. dummy: a diffusion break (no device on either tier)."""

    p: Dev | None
    n: Dev | None
    dummy: bool = False

    @property
    def split(self) -> bool:
        """p and n gates carry different nets (split gate)."""
        return self.p is not None and self.n is not None and self.p.gate != self.n.gate


def _fingers(cell) -> list[tuple[tuple[str, str, str, str] | None, tuple[str, str, str, str] | None]]:
    """(p, n) device tuples (drain, gate, source, name) per column after finger expansion."""
    ts = list(cell.transistors)
    split = _split_nets(cell)
    cols = []
    i = 0
    while i < len(ts):
        a = ts[i]
        b = ts[i + 1] if i + 1 < len(ts) else None
        if b is not None and {a.kind, b.kind} == {"p", "n"}:
            p, n = (a, b) if a.kind == "p" else (b, a)
            i += 2
        else:
            p, n = (a, None) if a.kind == "p" else (None, a)
            i += 1
        wp = p.width_units if p else 0
        wn = n.width_units if n else 0
        for f in range(max(wp, wn)):
            def fn(net: str, f: int = f) -> str:
                return f"{net}{FINGER_SEP}{f}" if net in split else net
            pf = (fn(p.drain), p.gate, fn(p.source), f"{p.name}_{f}") if p and f < wp else None
            nf = (fn(n.drain), n.gate, fn(n.source), f"{n.name}_{f}") if n and f < wn else None
            cols.append((pf, nf))
    return cols


def _split_nets(cell) -> set[str]:
    """Internal series nodes that each finger may keep to itself ("folded stack").

    A stage whose devices all have k fingers is k parallel copies of itself; the internal node
    between two series devices can then stay local to each copy (the copies sit at equal
    potential, so joining them carries no current). This holds for a net that is no pin, no
    supply, never a gate, and whose devices all have the same width k > 1.
    """
    widths: dict[str, set[int]] = {}
    gates = {t.gate for t in cell.transistors}
    fixed = {*cell.inputs, *cell.outputs, *SUPPLIES} | gates
    for t in cell.transistors:
        for net in (t.drain, t.source):
            widths.setdefault(net, set()).add(t.width_units)
    return {net for net, w in widths.items()
            if net not in fixed and len(w) == 1 and min(w) > 1}


def base_net(net: str) -> str:
    """The netlist net of a per-finger copy made by the folded-stack rule."""
    return net.split(FINGER_SEP)[0]


def _orient(dev: tuple[str, str, str, str] | None, kind: str, flip: int) -> Dev | None:
    if dev is None:
        return None
    d, g, s, name = dev
    return Dev(kind, s, g, d, name) if flip == 0 else Dev(kind, d, g, s, name)


def _breaks(a: Slot, b: Slot) -> bool:
    """True when columns a (left) and b (right) cannot share diffusion."""
    for x, y in ((a.p, b.p), (a.n, b.n)):
        if x is not None and y is not None and x.right != y.left:
            return True
    return False


def _unaligned(slots: Sequence[Slot]) -> int:
    """Nets on the source/drains of both tiers that share no position (no drain merge or
    vertical drain link possible: they need a field drain merge or a tall contact)."""
    pos: dict[str, dict[str, set[int]]] = {"p": {}, "n": {}}
    for i, s in enumerate(slots):
        for tier in ("p", "n"):
            d = getattr(s, tier)
            if d is not None:
                pos[tier].setdefault(d.left, set()).add(i)
                pos[tier].setdefault(d.right, set()).add(i + 1)
    return sum(1 for net, xs in pos["p"].items()
               if net not in SUPPLIES and net in pos["n"] and not xs & pos["n"][net])


def _density(slots: Sequence[Slot]) -> tuple[int, int]:
    """(largest number of non-supply nets spanning one x, total span) of a column sequence.

    A proxy for the M0 tracks a cell needs, used only to break ties between orders with the
    same number of diffusion breaks.
    """
    pos: dict[str, list[int]] = {}
    for i, s in enumerate(slots):
        for d in (s.p, s.n):
            if d is None:
                continue
            for net, x in ((d.left, 2 * i), (d.gate, 2 * i + 1), (d.right, 2 * i + 2)):
                if net not in SUPPLIES:
                    pos.setdefault(net, []).append(x)
    spans = [(min(v), max(v)) for v in pos.values() if max(v) > min(v)]
    if not spans:
        return 0, 0
    width = 2 * len(slots) + 1
    cover = [0] * (width + 1)
    for lo, hi in spans:
        for x in range(lo, hi + 1):
            cover[x] += 1
    return max(cover), sum(hi - lo for lo, hi in spans)


def order_columns(cell, arch: str) -> tuple[Slot, ...]:
    """The best column order of `cell` (see `column_orders`)."""
    orders = column_orders(cell, arch)
    return orders[0] if orders else ()


def column_orders(cell, arch: str) -> tuple[tuple[Slot, ...], ...]:
    """Ordered gate positions (devices and diffusion-break dummies) of `cell` for `arch`.

    CFET rule (docs/cells-layout.md): a split-gate column needs its bottom gate contacted from
    the front through a split-gate contact beside the top gate, which takes the neighbouring
    source/drain space; a dummy (break) position next to it hosts that contact, so a split-gate
    column without a break on either side gets one inserted. FFET contacts each tier's gate
    from its own side and simply omits the gate merge, so split gates cost nothing.
    """
    return _order_cached(cell.name, _fingers_key(cell), arch)


#: orders handed to the layout generator, best first; it takes the first one whose wiring fits
ALTERNATIVES = 8


def _fingers_key(cell) -> tuple:
    return tuple(_fingers(cell))


@lru_cache(maxsize=512)
def _order_cached(name: str, cols: tuple, arch: str) -> tuple[tuple[Slot, ...], ...]:
    n = len(cols)
    if n == 0:
        return ((),)
    variants = [[Slot(_orient(p, "p", fp), _orient(nn, "n", fn))
                 for fp in ((0, 1) if p else (0,)) for fn in ((0, 1) if nn else (0,))]
                for p, nn in cols]
    # state: (breaks, sequence of (column index, variant index)); keyed by (used, last, variant)
    beam: list[tuple[int, tuple[tuple[int, int], ...]]] = [
        (0, ((c, v),)) for c in range(n) for v in range(len(variants[c]))]
    for _ in range(n - 1):
        best: dict[tuple[frozenset, int, int], tuple[int, tuple[tuple[int, int], ...]]] = {}
        for cost, seq in beam:
            used = frozenset(c for c, _ in seq)
            lc, lv = seq[-1]
            last = variants[lc][lv]
            seen_cols: set[tuple] = set()
            for c in range(n):
                if c in used or cols[c] in seen_cols:
                    continue  # identical fingers are interchangeable: try one of them
                seen_cols.add(cols[c])
                for v, slot in enumerate(variants[c]):
                    nc = cost + (1 if _breaks(last, slot) else 0)
                    key = (used | {c}, c, v)
                    cand = (nc, seq + ((c, v),))
                    if key not in best or cand < best[key]:
                        best[key] = cand
        beam = sorted(best.values())[:BEAM]

    def expand(seq: tuple[tuple[int, int], ...]) -> tuple[Slot, ...]:
        slots: list[Slot] = []
        for c, v in seq:
            s = variants[c][v]
            if slots and _breaks(slots[-1], s):
                slots.append(Slot(None, None, dummy=True))
            slots.append(s)
        if arch == "cfet":
            i = 0
            while i < len(slots):
                s = slots[i]
                if s.split:
                    left = i > 0 and slots[i - 1].dummy
                    right = i + 1 < len(slots) and slots[i + 1].dummy
                    if not (left or right):
                        slots.insert(i + 1, Slot(None, None, dummy=True))
                i += 1
        return tuple(slots)

    scored = []
    for _cost, seq in beam:
        slots = expand(seq)
        scored.append((len(slots), _unaligned(slots), *_density(slots), seq, slots))
    scored.sort(key=lambda t: t[:5])
    unique: list[tuple[Slot, ...]] = []
    for t in scored:
        if t[5] not in unique:
            unique.append(t[5])
    return tuple(unique[:ALTERNATIVES])
