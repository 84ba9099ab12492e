"""Design rules of the layout checker, taken from the LEF (`ffet_flow.io.lef.read_lef`).

Pure data, no KLayout: one `MetalRule` per ROUTING layer and one `CutRule` per CUT layer, in
integer dbu (areas in dbu^2). Which metal layers a cut joins comes from the LEF layer order:
the nearest ROUTING layer before and after it in the files. The merged FFET `tech.lef` lists
the back side top-down (BM11 .. BM0, then M0 .. M11, no cut between BM0 and M0), so file order
is not "bottom-up" there; its ENCLOSURE BELOW/ABOVE keep each side's own sense (BELOW is the
level nearer the device, BV0's BELOW is BM0). `below`/`above` of a cut are therefore the lower-
and higher-numbered of its two metals when both names end in a level number, else the metal
before and after it in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.lef import Layer, Library, layer_side


@dataclass(frozen=True)
class SpacingStep:
    """One spacing requirement: `spacing` between shapes of different nets, applying where the
    wider shape is wider than `over_width` and the run length exceeds `over_prl` (None: any)."""

    spacing: int
    over_width: int | None = None
    over_prl: int | None = None


@dataclass(frozen=True)
class MetalRule:
    name: str
    side: str  # front | back
    direction: str  # HORIZONTAL | VERTICAL
    min_width: int
    spacing: tuple[SpacingStep, ...]
    eol: tuple[tuple[int, int, int], ...]  # (eol_spacing, eol_width, within)
    area: int  # dbu^2, 0 = no rule


@dataclass(frozen=True)
class CutRule:
    name: str
    side: str
    spacing: int
    width: int
    below: str  # metal layer nearer the device / lower level
    above: str
    enclosure_below: tuple[tuple[int, int], ...]  # (overhang1, overhang2) alternatives
    enclosure_above: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Rules:
    dbu: int
    grid: int  # manufacturing grid in dbu (0: none)
    metals: dict[str, MetalRule]
    cuts: dict[str, CutRule]

    def side(self, layer: str) -> str:
        return layer_side(layer)

    def knows(self, layer: str) -> bool:
        return layer in self.metals or layer in self.cuts


def spacing_steps(layer: Layer) -> tuple[SpacingStep, ...]:
    """The spacing checks of a layer: the plain SPACING, plus one per SPACINGTABLE cell whose
    value exceeds what a coarser cell already demands (values from `Layer.spacing_for`)."""
    base = layer.spacing_for(0, 0)
    steps = [SpacingStep(base)] if base > 0 else []
    runs, rows = layer.spacing_table
    for i, (width, _) in enumerate(rows):
        for k, prl in enumerate(runs or (0,)):
            if i == 0 and k == 0:
                continue
            over_width = width if i > 0 else None
            over_prl = prl if k > 0 else None
            value = layer.spacing_for(width + 1 if i > 0 else 0, prl + 1 if k > 0 else 0)
            coarser = [s.spacing for s in steps
                       if (s.over_width or -1) <= (over_width or -1)
                       and (s.over_prl or -1) <= (over_prl or -1)]
            if value > max(coarser, default=0):
                steps.append(SpacingStep(value, over_width, over_prl))
    return tuple(steps)


_LEVEL = re.compile(r"^(.*?)(\d+)$")


def _ordered(before: str, after: str) -> tuple[str, str]:
    """(below, above) of the two metals a cut joins, listed `before`/`after` it in the LEF."""
    a, b = _LEVEL.match(before), _LEVEL.match(after)
    if a and b and a.group(1) == b.group(1) and int(a.group(2)) > int(b.group(2)):
        return after, before
    return before, after


def rules_from_lef(lib: Library, source: str = "LEF") -> Rules:
    """Rules of every ROUTING and CUT layer of `lib`. A cut layer without a ROUTING layer on
    both sides in the file order is a ConfigError (its vias could not join anything)."""
    metals: dict[str, MetalRule] = {}
    cuts: dict[str, CutRule] = {}
    order = [la for la in lib.layers.values() if la.type in ("ROUTING", "CUT")]
    issues = []
    for i, la in enumerate(order):
        if la.type == "ROUTING":
            metals[la.name] = MetalRule(
                name=la.name, side=layer_side(la.name), direction=la.direction,
                min_width=la.min_width or la.width, spacing=spacing_steps(la), eol=la.eol,
                area=la.area)
            continue
        before = next((x.name for x in reversed(order[:i]) if x.type == "ROUTING"), None)
        after = next((x.name for x in order[i + 1:] if x.type == "ROUTING"), None)
        if before is None or after is None:
            issues.append(Issue(source, f"LAYER {la.name}", "CUT",
                                "a cut layer needs a ROUTING layer before and after it"))
            continue
        below, above = _ordered(before, after)
        enc = {"BELOW": [], "ABOVE": []}
        for where, o1, o2 in la.enclosures:
            for key in (("BELOW", "ABOVE") if where == "" else (where,)):
                enc[key].append((o1, o2))
        cuts[la.name] = CutRule(name=la.name, side=layer_side(la.name), spacing=la.spacing,
                                width=la.width, below=below, above=above,
                                enclosure_below=tuple(enc["BELOW"]),
                                enclosure_above=tuple(enc["ABOVE"]))
    if issues:
        raise ConfigError(issues)
    return Rules(dbu=lib.dbu, grid=lib.manufacturing_grid, metals=metals, cuts=cuts)
