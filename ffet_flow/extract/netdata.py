"""Plain data of dual-sided extraction: nets with their pins and wiring (dbu), the
technology as the extractor sees it (R in Ohm/um, C in fF/um, via R in Ohm), and the RC
network of one net. ffet_flow/extract/rctree.py builds RcNets from NetRoutes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Shape:
    """A rectangle on one metal layer, dbu."""

    layer: str
    x0: int
    y0: int
    x1: int
    y1: int

    def center(self) -> tuple[int, int]:
        return ((self.x0 + self.x1) // 2, (self.y0 + self.y1) // 2)


@dataclass(frozen=True)
class NetPin:
    """One connection of a net: an instance pin (inst set) or a top-level port (inst None).

    direction as in SPEF *CONN: for instance pins the pin's direction ("I" input, "O" output,
    "B" inout); for ports the port's direction (an input port drives the net).
    shapes: the pin's rectangles in absolute dbu, on M0 and/or BM0 (ports: their pin layer).
    """

    inst: str | None
    pin: str
    direction: str
    shapes: tuple[Shape, ...] = ()
    cell: str = ""

    @property
    def label(self) -> str:
        return self.pin if self.inst is None else f"{self.inst}:{self.pin}"

    @property
    def drives(self) -> bool:
        return self.direction == "O" if self.inst is not None else self.direction == "I"


@dataclass(frozen=True)
class Wire:
    """A centre-line wire segment on one layer, dbu (Manhattan)."""

    layer: str
    x0: int
    y0: int
    x1: int
    y1: int
    c_per_um: float | None = None  # fF/um; None: the layer's worst-case value


@dataclass(frozen=True)
class ViaAt:
    """One via instance: via (cut layer) name and its location, dbu."""

    via: str
    x: int
    y: int


@dataclass(frozen=True)
class NetRoute:
    name: str
    pins: tuple[NetPin, ...]
    wires: tuple[Wire, ...] = ()
    vias: tuple[ViaAt, ...] = ()


@dataclass(frozen=True)
class LayerRC:
    """What the extractor needs of one metal layer: side, level, R (Ohm/um), C (fF/um,
    both neighbours present), and for the neighbour-aware mode (ffet_flow/extract/coupling.py)
    the track pitch (dbu; 0 disables it) and the capacitance of one side of the line with the
    neighbour present (c_side_full) or absent (c_side_iso), fF/um."""

    side: str
    level: int
    r_per_um: float
    c_per_um: float
    pitch: int = 0
    c_side_full: float = 0.0
    c_side_iso: float = 0.0


@dataclass(frozen=True)
class ViaRC:
    lower: str
    upper: str
    resistance: float  # Ohm per cut


@dataclass(frozen=True)
class RcTech:
    dbu: int
    layers: Mapping[str, LayerRC]
    vias: Mapping[str, ViaRC]

    def estimate_layer(self, side: str) -> LayerRC:
        """The layer an estimated (unrecorded) connection on `side` is assumed to use."""
        cands = sorted((la.level, name) for name, la in self.layers.items() if la.side == side)
        if not cands:
            raise KeyError(f"no layers on side {side!r}")
        lvl1 = [c for c in cands if c[0] >= 1]
        return self.layers[(lvl1 or cands)[0][1]]


@dataclass
class RcNet:
    """One extracted net. Nodes: ints >= 0 are internal nodes, ("pin", i) is pins[i].

    caps: node -> ground capacitance (fF, wire only); resistors: (node, node, Ohm).
    """

    name: str
    pins: tuple[NetPin, ...]
    caps: dict[object, float] = field(default_factory=dict)
    resistors: list[tuple[object, object, float]] = field(default_factory=list)
    cap_by_side: dict[str, float] = field(default_factory=dict)
    estimated: int = 0  # repairs: pins or wiring pieces joined by an estimated wire

    @property
    def total_cap(self) -> float:
        return float(sum(self.caps.values()))


def rc_tech_from(tech) -> RcTech:
    """Build the extractor's view of a `ffet_flow.tech.model.Tech`.

    c_side_iso: half the Wong/PTM ground capacitance of the line with its spacing taken as
    100 pitches (the coupling term is then below 0.1 % of its minimum-spacing value and the
    fringe field ends on the planes), the same model tech/rc.py uses for `c_per_um`.
    """
    from ffet_flow.tech import rc

    layers = {}
    for la in tech.all_layers():
        nm = 1000.0 / tech.dbu
        cg_iso, _, _ = rc.wong_capacitance(la.width * nm, 100 * la.pitch * nm,
                                           la.thickness * nm,
                                           (la.dielectric_height or la.thickness) * nm,
                                           la.k_eff)
        layers[la.name] = LayerRC(la.side, la.level, la.r_per_um, la.c_per_um, la.pitch,
                                  la.c_per_um / 2.0, float(cg_iso) / 2.0)
    vias = {v.name: ViaRC(v.lower, v.upper, v.resistance) for v in tech.all_vias()}
    return RcTech(dbu=tech.dbu, layers=layers, vias=vias)
