"""The design rules a side's router obeys, read from the LEF (the single source: the tech
generator writes them there and the layout checker reads the same statements).

Per metal level of one wafer side (level 0 = the cell pin layer M0 / BM0 / metal1): direction,
pitch, width, spacing, end-of-line spacing, minimum area; per pair of adjacent levels: the via
definitions that join them (cut, the metal pad on each of the two layers), best first, and the
cut spacing. All lengths are integer dbu, areas dbu^2.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.lef import Library, layer_side

Rect = tuple[int, int, int, int]


@dataclass(frozen=True)
class MetalRule:
    name: str
    level: int  # 0 = nearest the device
    horizontal: bool
    pitch: int
    width: int
    spacing: int
    eol_spacing: int  # tip-to-tip spacing of line ends (the spacing when the LEF has none)
    eol_within: int
    min_area: int  # dbu^2 (0: no rule)
    routable: bool  # signals may be routed on it


@dataclass(frozen=True)
class ViaDef:
    """A LEF via joining levels `level` and `level + 1`; rects relative to its origin."""

    name: str
    level: int
    cut_layer: str
    cut: Rect
    lower: Rect  # metal pad on `level`
    upper: Rect  # metal pad on `level + 1`


@dataclass(frozen=True)
class SideRules:
    side: str
    metals: tuple[MetalRule, ...]  # by level
    vias: dict[int, tuple[ViaDef, ...]]  # lower level -> via definitions, best first
    cut_spacing: dict[int, int]  # lower level -> cut-to-cut spacing of its cut layer

    def via(self, level: int) -> ViaDef:
        return self.vias[level][0]

    def pad_half(self, level: int, via: ViaDef, upper: bool) -> tuple[int, int]:
        """(along, across) half sizes of `via`'s pad on its lower (upper) metal, measured along
        and across that metal's direction (worst side of the origin)."""
        r = via.upper if upper else via.lower
        hx, hy = max(-r[0], r[2]), max(-r[1], r[3])
        return (hx, hy) if self.metals[level].horizontal else (hy, hx)

    def ext(self, level: int) -> int:
        """How far (dbu) any via's pad reaches beyond its centre along `level`'s direction."""
        out = 0
        if level in self.vias:
            out = max(out, self.pad_half(level, self.vias[level][0], upper=False)[0])
        if level - 1 in self.vias:
            out = max(out, self.pad_half(level, self.vias[level - 1][0], upper=True)[0])
        return out or self.metals[level].width // 2


def _pad(shapes, layer: str) -> Rect | None:
    rects = [r for la, r in shapes if la == layer]
    if not rects:
        return None
    return (min(r[0] for r in rects), min(r[1] for r in rects),
            max(r[2] for r in rects), max(r[3] for r in rects))


def _via_score(lib: Library, m_lo, m_hi, lo: Rect, hi: Rect) -> tuple:
    """Sort key: pads no wider than the line across their metal's direction, then a DEFAULT
    via, then the smallest pads."""
    def across(r: Rect, horizontal: bool) -> int:
        return (r[3] - r[1]) if horizontal else (r[2] - r[0])

    too_wide = (across(lo, m_lo.horizontal) > m_lo.width) + (across(hi, m_hi.horizontal) > m_hi.width)
    area = (lo[2] - lo[0]) * (lo[3] - lo[1]) + (hi[2] - hi[0]) * (hi[3] - hi[1])
    return too_wide, area


def side_rules(lib: Library, side: str, routable: Collection[str],
               source: str = "LEF") -> SideRules:
    """Rules of one side's metal stack from `lib` (the merged tech LEF lists the back stack
    top-down; levels count from the device outwards either way)."""
    metals = [la for la in lib.routing_layers() if layer_side(la.name) == side]
    if side == "back":
        metals = metals[::-1]
    rules = []
    for level, la in enumerate(metals):
        eol = max((e[0] for e in la.eol), default=0)
        within = max((e[2] for e in la.eol), default=0)
        rules.append(MetalRule(
            name=la.name, level=level, horizontal=not la.direction.upper().startswith("V"),
            pitch=la.pitch or la.pitch_x or la.pitch_y, width=la.width or la.min_width,
            spacing=la.spacing, eol_spacing=max(eol, la.spacing), eol_within=within,
            min_area=la.area, routable=la.name in routable))
    level_of = {m.name: m.level for m in rules}
    cuts = {name: la for name, la in lib.layers.items() if la.type == "CUT"}
    vias: dict[int, list[tuple[tuple, ViaDef]]] = {}
    for name, via in sorted(lib.vias.items()):
        metal_levels = sorted({level_of[la] for la, _ in via.shapes if la in level_of})
        cut_layers = [la for la in via.layers if la in cuts]
        if len(metal_levels) != 2 or metal_levels[1] != metal_levels[0] + 1 or len(cut_layers) != 1:
            continue
        lo_l = metal_levels[0]
        lo = _pad(via.shapes, rules[lo_l].name)
        hi = _pad(via.shapes, rules[lo_l + 1].name)
        cut = _pad(via.shapes, cut_layers[0])
        vdef = ViaDef(name, lo_l, cut_layers[0], cut, lo, hi)
        key = (*_via_score(lib, rules[lo_l], rules[lo_l + 1], lo, hi), not via.default, name)
        vias.setdefault(lo_l, []).append((key, vdef))
    ordered = {lv: tuple(v for _k, v in sorted(items, key=lambda kv: kv[0]))
               for lv, items in vias.items()}
    spacing = {lv: cuts[vs[0].cut_layer].spacing for lv, vs in ordered.items()}
    missing = [f"{rules[lv].name}-{rules[lv + 1].name}" for lv in range(len(rules) - 1)
               if (rules[lv + 1].routable or rules[lv].routable) and lv not in ordered]
    if missing:
        raise ConfigError(Issue(source, "VIA", ", ".join(missing),
                                "a via definition joining each pair of adjacent routing layers"))
    return SideRules(side, tuple(rules), ordered, spacing)


def routing_levels(rules: SideRules) -> list[int]:
    """The levels signals are routed on (consecutive, level >= 1)."""
    return [m.level for m in rules.metals if m.routable and m.level >= 1]


def check_stack(rules: SideRules, n_nets: int, source: str) -> Sequence[int]:
    """The routing levels; ConfigError unless they are consecutive from level 1 and hold a
    horizontal and a vertical layer."""
    levels = routing_levels(rules)
    dirs = {rules.metals[lv].horizontal for lv in levels}
    if dirs != {True, False} or levels != list(range(1, len(levels) + 1)):
        have = ", ".join(rules.metals[lv].name for lv in levels) or "none"
        key = "layers_front" if rules.side == "front" else "layers_back / signal_sides"
        raise ConfigError(Issue(source, key, have, f"{n_nets} nets have pins on the "
                                f"{rules.side} side, which needs consecutive routing layers "
                                "from level 1 with a horizontal and a vertical one (at least 3 "
                                "metal layers)"))
    return levels
