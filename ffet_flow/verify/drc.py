"""Design-rule checks on a `Geometry`, each one KLayout region operations (no loops over shapes).

Rules (the names used in reports and metrics), per layer of both sides:
- `short`: metal of different nets overlapping; one violation per merged overlap region.
- `spacing`: metal of different nets closer than the layer's spacing (SPACINGTABLE rows by the
  wider shape's width and the run length, Euclidean); pairs with a DEF shape (wire, via, I/O
  pin) on either side, and pairs between shapes of different cell instances (pairs inside one
  instance are the cell generator's check). One violation per edge pair.
- `eol`: a line end (a convex edge shorter than ENDOFLINE's width of a net's merged metal,
  not on a cell pin) with metal of another net less than the end-of-line spacing in front of
  it and less than WITHIN beyond its sides (LEF 5.8 SPACING .. ENDOFLINE .. WITHIN).
- `width`: DEF wiring narrower than MINWIDTH (a net's wiring merged with its pin shapes).
- `area`: a net's merged metal (wiring plus the pin shapes it touches) smaller than AREA, for
  polygons that contain DEF wiring.
- `cut_spacing`: cuts closer than the cut layer's SPACING, whatever their nets.
- `enclosure`: a cut whose metal below/above does not reach ENCLOSURE overhang1 beyond two
  opposite sides and overhang2 beyond the other two (either orientation, any alternative).
  A via's own pads enclose its cut at least as well as its definition does, so only the
  instances of definitions that fail on their own (and cuts of cells) are checked in place.
- `offgrid`: a vertex off the MANUFACTURINGGRID.
- `offtrack` (`ffet_flow.verify.tracks`): wires and via cuts off the DEF TRACKS.

A short is reported as a short only: spacing, end-of-line and width violations that touch a
short region of their layer are not counted again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ffet_flow.verify.layout import NET, Geometry
from ffet_flow.verify.rules import CutRule, MetalRule

RULES = ("short", "spacing", "eol", "width", "area", "cut_spacing", "enclosure", "offgrid",
         "offtrack")


@dataclass
class Violations:
    """The violations of one rule on one layer, as KLayout objects in dbu."""

    rule: str
    layer: str
    side: str
    description: str
    polygons: object | None = None  # klayout.db.Region
    edge_pairs: object | None = None  # klayout.db.EdgePairs
    edges: object | None = None  # klayout.db.Edges
    notes: list[str] = field(default_factory=list)  # a few examples for the report
    total: int | None = None  # when the markers above are only the first ones

    @property
    def count(self) -> int:
        if self.total is not None:
            return self.total
        return sum(x.count() for x in (self.polygons, self.edge_pairs, self.edges)
                   if x is not None)


def _kdb():
    import klayout.db as kdb

    return kdb


def _where(box, dbu: int) -> str:
    return f"({box.left / dbu:.4f}, {box.bottom / dbu:.4f}) um"


def _space(a, d: int, other=None, min_projection=None):
    """Edge pairs between shapes of different nets closer than d (Euclidean), each once."""
    kdb = _kdb()
    args = (d, False, kdb.Metrics.Euclidian, None, min_projection, None, False,
            kdb.Region.NoOppositeFilter, kdb.Region.NoRectFilter, False,
            kdb.Region.DifferentPropertiesConstraint)
    if other is not None:
        return a.separation_check(other, *args)
    # with a property constraint the check reports a pair once from each net's side
    pairs = a.space_check(*args)
    if pairs.is_empty():
        return pairs
    unique = kdb.EdgePairs()
    seen = set()
    for pair in pairs.each():
        key = tuple(sorted((str(pair.first), str(pair.second))))
        if key not in seen:
            seen.add(key)
            unique.insert(pair)
    return unique


def _wider_than(region, width: int):
    """The parts of a region wider than `width` dbu (an opening; odd widths at twice the
    scale, where half the width is an integer)."""
    kdb = _kdb()
    flat = region.dup()
    flat.remove_properties()
    if width % 2 == 0:
        half = width // 2
        return flat.sized(-half, -half, 2).sized(half, half, 2)
    doubled = flat.transformed(kdb.ICplxTrans(2.0))
    return doubled.sized(-width, -width, 2).sized(width, width, 2).transformed(
        kdb.ICplxTrans(0.5))


def _nets_at(metal, found, dbu: int, limit: int = 20) -> list[str]:
    """'net / net at (x, y) um' for the first `limit` polygons of `found`."""
    kdb = _kdb()
    boxes = [p.bbox() for _, p in zip(range(limit), found.each(), strict=False)]
    if not boxes:
        return []
    probe = kdb.Region([b.enlarged(1, 1) for b in boxes])
    nets: list[set[str]] = [set() for _ in boxes]
    for piece in metal.and_(probe, kdb.Region.NoPropertyConstraint).each():
        net = str(piece.properties().get(NET, ""))
        for i, box in enumerate(boxes):
            if piece.bbox().touches(box):
                nets[i].add(net)
    return [f"{' / '.join(sorted(n))} at {_where(box, dbu)}"
            for n, box in zip(nets, boxes, strict=True)]


class MetalChecks:
    """The checks of one metal layer, sharing the derived regions between the rules."""

    def __init__(self, g: Geometry, rule: MetalRule):
        kdb = _kdb()
        self.g, self.rule, self.layer = g, rule, rule.name
        self.wiring = (g.routing[self.layer] + g.io[self.layer]).merged()  # DEF shapes, per net
        self.cells = g.pins[self.layer] + g.obs[self.layer]
        pins = g.pins[self.layer]
        # per net: wiring + its pins
        self.own = (self.wiring + pins).merged() if not pins.is_empty() else self.wiring
        self.metal = self.own + g.obs[self.layer].merged()  # every net's merged metal
        g.cache[("own", self.layer)] = self.own
        self.shorts = kdb.Region()

    def _out(self, rule: str, description: str, **kw) -> Violations:
        return Violations(rule, self.layer, self.rule.side, description, **kw)

    def _not_short(self, found):
        return found.not_interacting(self.shorts) if not self.shorts.is_empty() else found

    def flat_metal(self):
        """All metal of the layer, merged, without nets."""
        flat = self.metal.dup()
        flat.remove_properties()
        flat.merge()
        return flat

    def run(self) -> list[Violations]:
        found = [self.short(), self.spacing(), self.eol(), self.width(), self.area(),
                 self.offgrid()]
        return [v for v in found if v is not None]

    def short(self) -> Violations:
        flat = self.metal.dup()
        flat.remove_properties()
        overlaps = flat.merged(False, 2)  # where merged polygons of two nets overlap
        intra = self.g.intra[self.layer]
        if not intra.is_empty():  # a cell's own overlapping shapes are its generator's check
            overlaps -= intra
        self.shorts = overlaps
        self.g.cache[("shorts", self.layer)] = overlaps
        return self._out("short", "metal of different nets overlapping", polygons=overlaps,
                         notes=_nets_at(self.metal, overlaps, self.g.rules.dbu))

    def spacing(self) -> Violations:
        kdb = _kdb()
        pairs = kdb.EdgePairs()
        done = 0
        wide: dict[int, object] = {}
        for step in self.rule.spacing:
            proj = step.over_prl + 1 if step.over_prl is not None else None
            found = _space(self.wiring, step.spacing, min_projection=proj)
            found += _space(self.wiring, step.spacing, self.cells, min_projection=proj)
            found += _space(self.cells, step.spacing, min_projection=proj) \
                .not_inside(self.g.outlines)
            if step.over_width is not None:  # only pairs with a shape wider than that
                if step.over_width not in wide:
                    wide[step.over_width] = _wider_than(self.wiring + self.cells,
                                                        step.over_width)
                found = found.interacting(wide[step.over_width])
            if done:  # pairs closer than a coarser step's spacing were reported there
                found = found.with_distance(done, None, False)
            pairs += found
            done = max(done, step.spacing)
        text = ", ".join(f"{s.spacing}" + (f" (width > {s.over_width})" if s.over_width else "")
                         + (f" (run > {s.over_prl})" if s.over_prl else "")
                         for s in self.rule.spacing)
        pairs = self._not_short(pairs)
        return self._out("spacing", f"different nets closer than {text} dbu", edge_pairs=pairs,
                         notes=_nets_at(self.metal, pairs.polygons(1), self.g.rules.dbu))

    def eol(self) -> Violations | None:
        if not self.rule.eol:
            return None
        kdb = _kdb()
        bad = kdb.Region()
        for eol_space, eol_width, within in self.rule.eol:
            ends = self.own.edges(kdb.Region.Convex).with_length(None, eol_width, False)
            ends = ends.not_interacting(self.g.pins[self.layer])  # pin ends: the cell's own
            windows = ends.extended(within, within, eol_space, 0, False)  # keeps the net
            hits = windows.and_(self.metal, kdb.Region.DifferentPropertiesConstraint)
            if not hits.is_empty():  # one violation per line end with other metal in front
                bad += windows.overlapping(hits)
        text = "; ".join(f"{s} in front of line ends shorter than {w}, {d} beyond their sides"
                         for s, w, d in self.rule.eol)
        bad = self._not_short(bad)
        return self._out("eol", f"end-of-line spacing: {text} dbu", polygons=bad,
                         notes=_nets_at(self.metal, bad, self.g.rules.dbu))

    def width(self) -> Violations | None:
        if not self.rule.min_width:
            return None
        pairs = self.own.width_check(self.rule.min_width).interacting(self.wiring)
        return self._out("width", f"wiring narrower than {self.rule.min_width} dbu",
                         edge_pairs=self._not_short(pairs))

    def area(self) -> Violations | None:
        if not self.rule.area:
            return None
        # a polygon inside the pin shapes is a cell's own
        small = self.own.with_area(None, self.rule.area, False).not_inside(self.g.pins[self.layer])
        return self._out("area", f"net metal smaller than {self.rule.area} dbu^2",
                         polygons=small)

    def offgrid(self) -> Violations | None:
        grid = self.g.rules.grid
        if grid <= 1:
            return None
        pairs = (self.wiring + self.cells).grid_check(grid, grid)
        return self._out("offgrid", f"vertices off the {grid} dbu grid", edge_pairs=pairs)


def _enclosed(cuts, metal, alternatives) -> object:
    """The cuts of `cuts` (merged semantics off) that no alternative (o1, o2) encloses."""
    bad = cuts
    for o1, o2 in alternatives:
        for dx, dy in ((o1, o2), (o2, o1)):
            bad.merged_semantics = False
            bad = bad.not_inside(metal.sized(-dx, -dy, 2))
            if bad.is_empty():
                return bad
    return bad


def _failing_vias(g: Geometry, rule: CutRule, metal: str, alternatives) -> set[str]:
    """Via definitions with a cut on `rule`'s layer that their own pads on `metal` do not
    enclose."""
    kdb = _kdb()
    failing = set()
    for via, shapes in g.via_shapes.items():
        cuts = kdb.Region([p for layer, p in shapes if layer == rule.name])
        if cuts.is_empty():
            continue
        pads = kdb.Region([p for layer, p in shapes if layer == metal])
        if not _enclosed(cuts, pads, alternatives).is_empty():
            failing.add(via)
    return failing


def cut_checks(g: Geometry, rule: CutRule, flat_metal) -> list[Violations]:
    """Spacing, enclosure and grid checks of one cut layer; `flat_metal(layer)` gives a
    metal layer's merged shapes without nets."""
    kdb = _kdb()
    cuts = g.cuts[rule.name].dup()
    cuts.remove_properties()
    out = []
    if rule.spacing:
        pairs = cuts.space_check(rule.spacing, False, kdb.Metrics.Euclidian)
        out.append(Violations("cut_spacing", rule.name, rule.side,
                              f"cuts closer than {rule.spacing} dbu", edge_pairs=pairs))
    for metal, alternatives in ((rule.below, rule.enclosure_below),
                                (rule.above, rule.enclosure_above)):
        if not alternatives:
            continue
        suspects = kdb.Region()
        for via in sorted(_failing_vias(g, rule, metal, alternatives)):
            cut = [p for layer, p in g.via_shapes[via] if layer == rule.name]
            suspects.insert([c.moved(x, y) for x, y, _ in g.vias[via] for c in cut])
        suspects += g.cell_cuts[rule.name]
        suspects.remove_properties()
        bad = _enclosed(suspects, flat_metal(metal), alternatives) \
            if not suspects.is_empty() else kdb.Region()
        text = " or ".join(f"{o1}/{o2}" for o1, o2 in alternatives)
        out.append(Violations("enclosure", rule.name, rule.side,
                              f"cut not enclosed by {metal} by {text} dbu", polygons=bad))
    if g.rules.grid > 1:
        out.append(Violations("offgrid", rule.name, rule.side,
                              f"vertices off the {g.rules.grid} dbu grid",
                              edge_pairs=cuts.grid_check(g.rules.grid, g.rules.grid)))
    return out
