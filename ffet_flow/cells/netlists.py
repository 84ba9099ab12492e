"""Transistor-level netlists of the standard-cell set (the source every library file starts from).

Every cell is static CMOS built from *columns*: one p device and one n device under one gate
column, listed pairwise (p first, then n). In most columns both devices share the gate net (the
complementary pair of one input: a gate merge in FFET, a common gate in CFET). Clocked
(tristate) inverters in the flip-flops use *split-gate* columns, where the p and n device of the
column take the two clock phases; both architectures support that (FFET: the two tiers have
their own gates and the gate merge is simply left out; CFET: split gate through the middle
dielectric isolation, REFERENCES 4a). Series stacks are listed in chain order from the output
towards the supply, so a layout generator can derive gate columns and diffusion sharing from the
order alone.

Device widths are counted in nanosheet stacks (`width_units`, 1 = one 3-sheet stack of the base
width, see `ffet_flow.cells.device`). Drive X<k> scales the output stage to k stacks; the first
stages of multi-stage cells (BUF, AND2, OR2, MUX2, XOR2's NOR, flip-flop internals) stay at 1.
n and p stacks have equal width: the shared device card gives Ion,p / Ion,n = 0.85 (REFERENCES
6b), close enough to 1 that nanosheet libraries (ASAP7, GT2N) use equal n and p sheet counts.
Series stacks are not upsized either (GT2N and ASAP7 cells keep one sheet/fin count per cell).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ffet_flow.errors import ConfigError, Issue

VDD, VSS = "VDD", "VSS"


@dataclass(frozen=True)
class Transistor:
    name: str  # "MN0", "MP0"
    kind: str  # "n" | "p"
    drain: str
    gate: str
    source: str  # net names; supplies are "VDD" / "VSS"
    width_units: int  # device width in nanosheet stacks (1 = one 3-sheet stack)


@dataclass(frozen=True)
class SeqInfo:
    clock: str
    data: str
    reset: str | None  # active-low asynchronous reset pin, or None
    output: str
    next_state: str  # Liberty next_state expression, e.g. "D"


@dataclass(frozen=True)
class CellNetlist:
    name: str  # "NAND2_X1"
    base: str  # "NAND2"
    drive: int  # 1, 2, 4
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    functions: Mapping[str, str]  # output -> Liberty boolean expression
    transistors: tuple[Transistor, ...]
    kind: str  # "comb" | "seq" | "tie" | "fill"
    seq: SeqInfo | None = None
    fill_sites: int = 0  # FILL cells: width in sites

    @property
    def internal_nets(self) -> tuple[str, ...]:
        """Nets that are neither pins nor supplies, in order of first appearance."""
        pins = {*self.inputs, *self.outputs, VDD, VSS}
        seen: dict[str, None] = {}
        for t in self.transistors:
            for net in (t.drain, t.gate, t.source):
                if net not in pins:
                    seen.setdefault(net, None)
        return tuple(seen)


# ---------------------------------------------------------------------------------------------
# Building blocks. A pull-down network is a nested expression: a pin name (one n device), or
# ("s", a, b, ...) for a series chain (listed from the output down), or ("p", a, b, ...) for
# parallel branches. The pull-up network is its dual (series <-> parallel).


class _Builder:
    """Collects the columns of one cell and names internal nets n1, n2, ... and devices."""

    def __init__(self) -> None:
        self.columns: list[tuple[Transistor, Transistor]] = []
        self._nets = 0

    def net(self) -> str:
        self._nets += 1
        return f"_n{self._nets}"  # provisional; renumbered by first use in transistors()

    def column(self, p: tuple[str, str, str], n: tuple[str, str, str], width: int) -> None:
        """Add one column: p and n given as (drain, gate, source)."""
        i = len(self.columns)
        self.columns.append((Transistor(f"MP{i}", "p", *p, width),
                             Transistor(f"MN{i}", "n", *n, width)))

    def static(self, out: str, pulldown, width: int) -> None:
        """A static CMOS stage: output `out`, n network `pulldown`, p network its dual."""
        n_devs: dict[str, tuple[str, str, str]] = {}
        p_devs: dict[str, tuple[str, str, str]] = {}
        order: list[str] = []
        self._place(pulldown, out, VSS, n_devs, order, dual=False)
        self._place(pulldown, out, VDD, p_devs, [], dual=True)
        for gate in order:
            self.column(p_devs[gate], n_devs[gate], width)

    def _place(self, expr, top: str, bottom: str, devs: dict, order: list, dual: bool) -> None:
        if isinstance(expr, str):
            if expr in devs:
                raise ValueError(f"input {expr} used twice in one stage")
            devs[expr] = (top, expr, bottom)
            order.append(expr)
            return
        op, *items = expr
        series = (op == "s") != dual
        if series:
            nets = [top] + [self.net() for _ in items[:-1]] + [bottom]
            for item, a, b in zip(items, nets, nets[1:], strict=False):
                self._place(item, a, b, devs, order, dual)
        else:
            for item in items:
                self._place(item, top, bottom, devs, order, dual)

    def tristate_inv(self, inp: str, out: str, en_p: str, en_n: str, width: int = 1) -> None:
        """Clocked inverter out = !inp while the p device gated by `en_p` (low) and the n device
        gated by `en_n` (high) conduct. Chains: out-clk-data-supply on both sides."""
        xp, xn = self.net(), self.net()
        self.column((out, en_p, xp), (out, en_n, xn), width)  # split-gate clock column
        self.column((xp, inp, VDD), (xn, inp, VSS), width)

    def tristate_nand(self, a: str, b: str, out: str, en_p: str, en_n: str) -> None:
        """Clocked NAND2: out = !(a & b) while enabled (p gated by en_p, n by en_n)."""
        xp, xn, yn = self.net(), self.net(), self.net()
        self.column((out, en_p, xp), (out, en_n, xn), 1)
        self.column((xp, a, VDD), (xn, a, yn), 1)
        self.column((xp, b, VDD), (yn, b, VSS), 1)

    def transistors(self) -> tuple[Transistor, ...]:
        """The devices column by column, internal nets renumbered n1, n2, ... by first use."""
        devs = [t for col in self.columns for t in col]
        rename: dict[str, str] = {}
        for t in devs:
            for net in (t.drain, t.gate, t.source):
                if net.startswith("_n") and net not in rename:
                    rename[net] = f"n{len(rename) + 1}"

        def r(net: str) -> str:
            return rename.get(net, net)

        return tuple(Transistor(t.name, t.kind, r(t.drain), r(t.gate), r(t.source), t.width_units)
                     for t in devs)


def _inv(b: _Builder, a: str, y: str, w: int) -> None:
    b.static(y, a, w)


# Combinational cells: base -> (inputs, Liberty function of Y, builder(b, width)).
def _nand(ins):
    return lambda b, w: b.static("Y", ("s", *ins), w)


def _nor(ins):
    return lambda b, w: b.static("Y", ("p", *ins), w)


def _buf(b: _Builder, w: int) -> None:
    n = b.net()
    _inv(b, "A", n, 1)
    _inv(b, n, "Y", w)


def _and2(b: _Builder, w: int) -> None:
    n = b.net()
    b.static(n, ("s", "A", "B"), 1)
    _inv(b, n, "Y", w)


def _or2(b: _Builder, w: int) -> None:
    n = b.net()
    b.static(n, ("p", "A", "B"), 1)
    _inv(b, n, "Y", w)


def _xor2(b: _Builder, w: int) -> None:
    # Y = !((A & B) | NOR(A, B)): 10 devices, no input inverters needed.
    n = b.net()
    b.static(n, ("p", "A", "B"), 1)
    b.static("Y", ("p", ("s", "A", "B"), n), w)


def _xnor2(b: _Builder, w: int) -> None:
    # Y = !((A | B) & NAND(A, B))
    n = b.net()
    b.static(n, ("s", "A", "B"), 1)
    b.static("Y", ("s", ("p", "A", "B"), n), w)


def _mux2(b: _Builder, w: int) -> None:
    # Y = !AOI22(A, !S, B, S); the output inverter carries the drive.
    sn, m = b.net(), b.net()
    _inv(b, "S", sn, 1)
    b.static(m, ("p", ("s", "A", sn), ("s", "B", "S")), 1)
    _inv(b, m, "Y", w)


_COMB: dict[str, tuple[tuple[str, ...], str, object, tuple[int, ...]]] = {
    "INV": (("A",), "!A", lambda b, w: _inv(b, "A", "Y", w), (1, 2, 4)),
    "BUF": (("A",), "A", _buf, (1, 2, 4)),
    "NAND2": (("A", "B"), "!(A&B)", _nand(("A", "B")), (1, 2, 4)),
    "NOR2": (("A", "B"), "!(A|B)", _nor(("A", "B")), (1, 2, 4)),
    "NAND3": (("A", "B", "C"), "!(A&B&C)", _nand(("A", "B", "C")), (1, 2)),
    "NOR3": (("A", "B", "C"), "!(A|B|C)", _nor(("A", "B", "C")), (1, 2)),
    "AND2": (("A", "B"), "(A&B)", _and2, (1, 2)),
    "OR2": (("A", "B"), "(A|B)", _or2, (1, 2)),
    "AOI21": (("A1", "A2", "B"), "!((A1&A2)|B)",
              lambda b, w: b.static("Y", ("p", ("s", "A1", "A2"), "B"), w), (1, 2)),
    "AOI22": (("A1", "A2", "B1", "B2"), "!((A1&A2)|(B1&B2))",
              lambda b, w: b.static("Y", ("p", ("s", "A1", "A2"), ("s", "B1", "B2")), w), (1, 2)),
    "OAI21": (("A1", "A2", "B"), "!((A1|A2)&B)",
              lambda b, w: b.static("Y", ("s", ("p", "A1", "A2"), "B"), w), (1, 2)),
    "OAI22": (("A1", "A2", "B1", "B2"), "!((A1|A2)&(B1|B2))",
              lambda b, w: b.static("Y", ("s", ("p", "A1", "A2"), ("p", "B1", "B2")), w), (1, 2)),
    "XOR2": (("A", "B"), "(A^B)", _xor2, (1, 2)),
    "XNOR2": (("A", "B"), "!(A^B)", _xnor2, (1, 2)),
    "MUX2": (("A", "B", "S"), "((A&!S)|(B&S))", _mux2, (1, 2)),
}


def _dff(b: _Builder, w: int, reset: bool) -> None:
    """Master-slave flip-flop of clocked inverters, capturing D on the rising edge of CLK.

    cn = !CLK, cp = !cn. Master (transparent while CLK = 0): m1 = !D; m2 = !m1; the master
    keeper m2 -> m1 runs while CLK = 1. Slave (transparent while CLK = 1): s1 = !m1 = D;
    s2 = !s1; keeper s2 -> s1 while CLK = 0; Q = !s2. With RN (active low): the slave inverter
    becomes s2 = NAND(s1, RN) and the master keeper m1 = NAND(m2, RN), so RN = 0 forces s1 = 0
    and Q = 0 in both clock phases, and m1 = 1 so the slave does not reload a stale 1.
    """
    cn, cp = b.net(), b.net()
    _inv(b, "CLK", cn, 1)
    _inv(b, cn, cp, 1)
    m1, m2, s1, s2 = b.net(), b.net(), b.net(), b.net()
    b.tristate_inv("D", m1, en_p=cp, en_n=cn)  # on while CLK = 0
    _inv(b, m1, m2, 1)
    if reset:
        b.tristate_nand(m2, "RN", m1, en_p=cn, en_n=cp)  # keeper, on while CLK = 1
    else:
        b.tristate_inv(m2, m1, en_p=cn, en_n=cp)
    b.tristate_inv(m1, s1, en_p=cn, en_n=cp)  # slave input, on while CLK = 1
    if reset:
        b.static(s2, ("s", s1, "RN"), 1)
    else:
        _inv(b, s1, s2, 1)
    b.tristate_inv(s2, s1, en_p=cp, en_n=cn)  # slave keeper, on while CLK = 0
    _inv(b, s2, "Q", w)


def _tie(b: _Builder, high: bool) -> None:
    # TIEHI: the n device holds n1 at VSS (gate on its own drain), the p device drives Y high.
    # TIELO mirrors it. Both devices share gate n1, so they form one ordinary column.
    n = b.net()
    if high:
        b.column(("Y", n, VDD), (n, n, VSS), 1)
    else:
        b.column((n, n, VDD), ("Y", n, VSS), 1)


def _make_all() -> tuple[CellNetlist, ...]:
    cells: list[CellNetlist] = []
    for base, (ins, func, build, drives) in _COMB.items():
        for d in drives:
            b = _Builder()
            build(b, d)
            cells.append(CellNetlist(f"{base}_X{d}", base, d, ins, ("Y",),
                                     MappingProxyType({"Y": func}), b.transistors(), "comb"))
    for base, reset in (("DFF", False), ("DFFR", True)):
        for d in (1, 2):
            b = _Builder()
            _dff(b, d, reset)
            ins = ("D", "CLK", "RN") if reset else ("D", "CLK")
            seq = SeqInfo("CLK", "D", "RN" if reset else None, "Q", "D")
            cells.append(CellNetlist(f"{base}_X{d}", base, d, ins, ("Q",),
                                     MappingProxyType({"Q": "IQ"}), b.transistors(), "seq", seq))
    for base, high in (("TIEHI", True), ("TIELO", False)):
        b = _Builder()
        _tie(b, high)
        cells.append(CellNetlist(f"{base}_X1", base, 1, (), ("Y",),
                                 MappingProxyType({"Y": "1" if high else "0"}), b.transistors(),
                                 "tie"))
    for sites in (1, 2, 4):
        cells.append(CellNetlist(f"FILL_X{sites}", "FILL", sites, (), (), MappingProxyType({}),
                                 (), "fill", fill_sites=sites))
    return tuple(cells)


_CACHE: dict[str, tuple[CellNetlist, ...]] = {}


def all_cells() -> tuple[CellNetlist, ...]:
    """The whole cell set, in its canonical order (built once per process)."""
    if "all" not in _CACHE:
        _CACHE["all"] = _make_all()
    return _CACHE["all"]


def cell_names() -> tuple[str, ...]:
    return tuple(c.name for c in all_cells())


def cell_set(names: Iterable[str] | None = None, source: str = "config") -> tuple[CellNetlist, ...]:
    """The cells named in `names` (canonical order, duplicates ignored), or all when None/empty.

    Unknown names raise ConfigError naming key `cell_list`, the unknown names and the allowed ones.
    """
    cells = all_cells()
    if not names:
        return cells
    wanted = list(dict.fromkeys(names))
    known = {c.name for c in cells}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ConfigError(Issue(source, "cell_list", ",".join(unknown),
                                "unknown cell; allowed: " + ", ".join(cell_names())))
    chosen = set(wanted)
    return tuple(c for c in cells if c.name in chosen)
