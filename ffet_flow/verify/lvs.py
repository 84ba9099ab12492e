"""Connectivity check (LVS): connectivity extracted from the layout's shapes against the netlist.

Extraction merges shapes, it does not trust the DEF's wiring topology: on every metal layer
the wiring, I/O pins and cell pin shapes of each net are merged (KLayout, per net property)
into polygons, the nodes. A via cut joins the polygons of its net below and above it (the
metals next to its cut layer in the LEF order; a via's pads belong to its net, so they always
hold the cut). Where polygons of different nets overlap (the DRC's shorts) they are joined.
Terminals (instance pins, I/O pins) sit on the node holding their label point; the shapes of
one instance pin on several layers or both sides (a dual-sided FFET output on M0 and BM0,
joined inside the cell) are one node. Groups are the connected components (scipy).

The reference is the Verilog netlist when given (instances by name, ports as DEF PINS; supply
pins from the DEF), else the DEF's own NETS connections. Reported:
- `opens`: nets whose terminals fall into more than one group (and the number of extra
  groups);
- `shorts`: groups joining terminals of two or more nets;
- `unconnected`: terminals of nets with two or more terminals that touch no DEF wiring (a wire
  or via on their polygon, of their own net or of a net overlapping it).
Supply nets (VDD/VSS pins) take part in shorts only: their rails are joined outside the DEF.
Polygons of different nets that only touch, without overlapping, are a spacing violation of
the DRC, not joined here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.log import get_logger
from ffet_flow.verify.cells import inside_point
from ffet_flow.verify.layout import NET, Geometry, is_pseudo

log = get_logger("verify")


@dataclass
class NetProblem:
    net: str
    kind: str  # open | short | unconnected
    text: str
    points: list[tuple[int, int]] = field(default_factory=list)  # terminal labels (dbu)


@dataclass
class LvsResult:
    opens: int = 0  # nets split into more than one group
    extra_groups: int = 0
    shorts: int = 0  # extracted groups joining several nets
    unconnected: int = 0  # terminals touching no wiring
    nets: int = 0  # nets checked
    reference: str = "DEF NETS"
    missing: list[str] = field(default_factory=list)  # netlist instances/ports not in the DEF
    problems: list[NetProblem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.opens or self.shorts or self.unconnected or self.missing)

    def metrics(self) -> dict[str, int]:
        return {"finish__lvs__opens": self.opens, "finish__lvs__shorts": self.shorts,
                "finish__lvs__unconnected": self.unconnected}


def _plain(region):
    r = region.dup()
    r.remove_properties()
    return r


def own_metal(g: Geometry, layer: str):
    """Per net: wiring, I/O pins and cell pins of a layer merged (the DRC's, when it ran)."""
    own = g.cache.get(("own", layer))
    if own is None:
        own = (g.routing[layer] + g.io[layer] + g.pins[layer]).merged()
    return own


class Nodes:
    """Merged polygons of every (layer, net), numbered, with point location through a grid
    of `cell` dbu: a point on a net's metal in a grid cell only one of the net's polygons
    reaches is on that polygon."""

    def __init__(self, cell: int):
        self.cell = max(cell, 1)
        self.buckets: dict[tuple[str, str, int, int], list[int]] = {}
        self.polygons: list[object] = []

    @property
    def count(self) -> int:
        return len(self.polygons)

    def add_layer(self, layer: str, own) -> None:
        c, buckets, polygons = self.cell, self.buckets, self.polygons
        for poly in own.each():
            net, box, n = str(poly.property(NET)), poly.bbox(), len(polygons)
            polygons.append(poly)
            for cx in range(box.left // c, box.right // c + 1):
                for cy in range(box.bottom // c, box.top // c + 1):
                    found = buckets.get((layer, net, cx, cy))
                    if found is None:
                        buckets[(layer, net, cx, cy)] = [n]
                    else:
                        found.append(n)

    def locate(self, queries: list[tuple[str, str, int, int]]) -> list[int | None]:
        """Node holding each (layer, net, x, y), None where no polygon of that net does."""
        import klayout.db as kdb

        c, buckets, polygons = self.cell, self.buckets, self.polygons
        out: list[int | None] = []
        for layer, net, x, y in queries:
            found = buckets.get((layer, net, x // c, y // c))
            if found is None:
                out.append(None)
            elif len(found) == 1:
                out.append(found[0])
            else:
                point = kdb.Point(x, y)
                out.append(next((n for n in found if polygons[n].inside(point)), None))
        return out


def _contacts(g: Geometry, layer: str, own, nodes: Nodes) -> list[list[int]]:
    """The nodes of `layer` that overlap each other, one list per overlap region."""
    import klayout.db as kdb

    overlaps = g.cache.get(("shorts", layer))
    if overlaps is None:
        overlaps = _plain(own).merged(False, 2)
    if overlaps.is_empty():
        return []
    regions = list(overlaps.each())
    cell = 4 * max(g.rules.metals[layer].min_width, 1)
    grid: dict[tuple[int, int], list[int]] = {}
    for i, poly in enumerate(regions):
        box = poly.bbox()
        for cx in range(box.left // cell, box.right // cell + 1):
            for cy in range(box.bottom // cell, box.top // cell + 1):
                grid.setdefault((cx, cy), []).append(i)
    queries, where = [], []
    for piece in own.and_(overlaps, kdb.Region.NoPropertyConstraint).each():
        x, y = inside_point(piece)
        point = kdb.Point(x, y)
        for i in grid.get((x // cell, y // cell), ()):
            if regions[i].inside(point):
                queries.append((layer, str(piece.property(NET)), x, y))
                where.append(i)
                break
    members: dict[int, list[int]] = {}
    for i, node in zip(where, nodes.locate(queries), strict=True):
        if node is not None:
            members.setdefault(i, []).append(node)
    return [group for group in members.values() if len(group) > 1]


def extract(g: Geometry) -> tuple[dict[int, int], set[int]]:
    """(terminal -> group, terminals whose polygon touches DEF wiring)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = Nodes(g.rules.dbu // 2)
    owns = {}
    for layer in g.rules.metals:
        owns[layer] = own_metal(g, layer)
        nodes.add_layer(layer, owns[layer])
    queries: list[tuple[str, str, int, int]] = []
    for via, sites in g.vias.items():  # below and above of each cut, in pairs
        cuts = [(layer, p) for layer, p in g.via_shapes[via] if layer in g.rules.cuts]
        if not cuts:
            continue
        rule = g.rules.cuts[cuts[0][0]]
        c = cuts[0][1].bbox().center()
        for x, y, net in sites:
            queries.append((rule.below, net, x + c.x, y + c.y))
            queries.append((rule.above, net, x + c.x, y + c.y))
    via_nodes = nodes.locate(queries)
    edges = [(a, b) for a, b in zip(via_nodes[0::2], via_nodes[1::2], strict=True)
             if a is not None and b is not None]
    wire_queries = [(layer, net, x0, y0) for net, layer, x0, y0, _x1, _y1 in g.segments()]
    wired = {n for n in (*via_nodes, *nodes.locate(wire_queries)) if n is not None}
    for layer in g.rules.metals:
        for group in _contacts(g, layer, owns[layer], nodes):
            edges.extend((group[0], n) for n in group[1:])
            if any(n in wired for n in group):  # another net's wiring touches these too
                wired.update(group)
    labels = [(t, (layer, g.terminals[t].net, x, y)) for layer, points in g.labels.items()
              for x, y, t in points]
    term_node: dict[int, list[int]] = {}
    for (t, _), node in zip(labels, nodes.locate([q for _, q in labels]), strict=True):
        if node is not None:
            term_node.setdefault(t, []).append(node)
    for found in term_node.values():
        edges.extend((found[0], n) for n in found[1:])
    a = np.array([e[0] for e in edges] + [0], dtype=np.int64)
    b = np.array([e[1] for e in edges] + [0], dtype=np.int64)
    size = max(nodes.count, 1)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(size, size))
    _, label = connected_components(graph, directed=False)
    groups = {t: int(label[found[0]]) for t, found in term_node.items()}
    touched = {t for t, found in term_node.items() if any(n in wired for n in found)}
    return groups, touched


def _reference_def(g: Geometry) -> dict[int, str]:
    """Terminal -> net of the DEF (NETS, SPECIALNETS, pin names of unconnected supplies)."""
    return {t: term.net for t, term in enumerate(g.terminals) if not is_pseudo(term.net)}


def _reference_verilog(g: Geometry, netlist: Path, result: LvsResult) -> dict[int, str]:
    from ffet_flow.io.verilog import CONST0, CONST1, CONSTX, read_verilog

    nl = read_verilog(netlist)
    alias = nl.alias_map()
    index = {(term.inst, term.pin): t for t, term in enumerate(g.terminals)}
    expected = {t: term.net for t, term in enumerate(g.terminals) if term.supply}
    placed = set(g.design.components.names)
    for inst in nl.instances:
        if inst.name not in placed:
            result.missing.append(f"instance {inst.name} ({inst.cell})")
            continue
        for pin, bit in inst.conns.items():
            net = alias.get(bit, bit)
            t = index.get((inst.name, pin))
            if t is not None and net not in (CONST0, CONST1, CONSTX):
                expected[t] = net
    for bit, _direction in nl.port_bits():
        t = index.get(("PIN", bit))
        if t is None:
            result.missing.append(f"port {bit}")
        else:
            expected[t] = alias.get(bit, bit)
    return expected


def compare(g: Geometry, groups: dict[int, int], touched: set[int],
            expected: dict[int, str], result: LvsResult) -> LvsResult:
    """Opens, shorts and unconnected terminals of `expected` (terminal -> net) against the
    extracted `groups` (terminal -> group)."""
    def group_of(t: int) -> int:
        return groups.get(t, -1 - t)  # a terminal without shapes is a group of its own

    by_net: dict[str, list[int]] = {}
    for t, net in expected.items():
        by_net.setdefault(net, []).append(t)
    label_at = {t: (x, y) for labels in g.labels.values() for x, y, t in labels}

    def name(t: int) -> str:
        term = g.terminals[t]
        return f"{term.inst}/{term.pin}" if term.inst != "PIN" else f"PIN {term.pin}"

    supply = {g.terminals[t].net for t in expected if g.terminals[t].supply}
    for net, tids in sorted(by_net.items()):
        if len(tids) < 2 or net in supply:
            continue
        result.nets += 1
        lonely = sorted(t for t in tids if t not in touched)
        result.unconnected += len(lonely)
        if lonely:
            result.problems.append(NetProblem(
                net, "unconnected", f"{len(lonely)} of {len(tids)} terminals touch no wiring: "
                + ", ".join(name(t) for t in lonely[:8]), [label_at[t] for t in lonely
                                                           if t in label_at]))
        parts: dict[int, list[int]] = {}
        for t in tids:
            parts.setdefault(group_of(t), []).append(t)
        if len(parts) > 1:
            result.opens += 1
            result.extra_groups += len(parts) - 1
            text = " | ".join(", ".join(name(t) for t in sorted(p)[:4])
                              + (" ..." if len(p) > 4 else "") for p in parts.values())
            result.problems.append(NetProblem(
                net, "open", f"{len(parts)} groups: {text}",
                [label_at[t] for t in tids if t in label_at]))
    members: dict[int, list[int]] = {}
    for t in expected:
        members.setdefault(group_of(t), []).append(t)
    for tids in members.values():
        nets = sorted({expected[t] for t in tids})
        if len(nets) > 1:
            result.shorts += 1
            result.problems.append(NetProblem(
                nets[0], "short", "joins nets " + ", ".join(nets[:8])
                + (f" (+{len(nets) - 8})" if len(nets) > 8 else ""),
                [label_at[t] for t in tids if t in label_at]))
    return result


def run_lvs_checks(g: Geometry, netlist: Path | None = None) -> LvsResult:
    result = LvsResult()
    if netlist is not None:
        if not Path(netlist).is_file():
            raise ConfigError(Issue("command line", "--netlist", str(netlist), "file not found"))
        result.reference = str(netlist)
        expected = _reference_verilog(g, Path(netlist), result)
    else:
        expected = _reference_def(g)
    groups, touched = extract(g)
    return compare(g, groups, touched, expected, result)
