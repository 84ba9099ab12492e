"""Placed cell geometry for the checks: every instance's LEF pin and obstruction shapes with
the net they belong to, the instance outlines, and the terminal labels of LVS.

KLayout's LEF/DEF reader makes one cell per macro (pin shapes carry their pin name) and one
instance per component (carrying its name); a shape inside a macro cannot carry the net of
one instance, so the shapes are placed here, one Python object per shape (the cost of about
a second for 20,000 cells).
"""

from __future__ import annotations

from ffet_flow.verify.layout import INST, VIA_PREFIX, pseudo_net


def _macro_templates(layout, tables):
    """Per macro cell: [(layer, 'pin'|'obs', pin name, polygon)] in macro coordinates."""
    import klayout.db as kdb

    lp, obs = tables["pin"], tables["obs"]
    templates = {}
    for cell in layout.each_cell():
        if cell.is_top() or cell.name.startswith(VIA_PREFIX):
            continue
        shapes = []
        for table, kind in ((lp, "pin"), (obs, "obs")):
            for li, layer in table.items():
                for s in cell.shapes(li).each():
                    pin = s.property("pin") if kind == "pin" else ""
                    shapes.append((layer, kind, str(pin or ""), kdb.Polygon(s.polygon)))
        templates[cell.cell_index()] = shapes
    return templates


def inside_point(poly) -> tuple[int, int]:
    """A point inside a polygon: the centre of a box, else of its first trapezoid."""
    box = poly.bbox() if poly.is_box() else poly.decompose_trapezoids()[0].bbox()
    c = box.center()
    return c.x, c.y


def _overlaps_inside(shapes) -> list[tuple[str, object]]:
    """(layer, polygon) where different pins or obstructions of one macro overlap."""
    import klayout.db as kdb

    by_layer: dict[str, object] = {}
    for layer, kind, pin, poly in shapes:
        by_layer.setdefault(layer, kdb.Region()).insert(
            kdb.PolygonWithProperties(poly, {"owner": pin if kind == "pin" else " OBS"}))
    out = []
    for layer, region in by_layer.items():
        flat = region.merged()
        flat.remove_properties()
        out.extend((layer, p) for p in flat.merged(False, 2).each())
    return out


def place_cells(layout, tables, pid, term_index, terminals):
    """Placed LEF shapes: ({"pin"|"obs"|"intra": {layer: [polygons]}}, instance outlines, pin
    labels {layer: [(x, y, terminal)]}). Pins carry the net of the instance pin, obstructions
    a pseudo-net per instance; "intra" are overlaps between a cell's own pins/obstructions."""
    import klayout.db as kdb

    templates = _macro_templates(layout, tables)
    outline_li = next(iter(tables["outline"]), None)
    out: dict[str, dict[str, list]] = {"pin": {}, "obs": {}, "intra": {}}
    labels: dict[str, list[tuple[int, int, int]]] = {}
    boxes = []
    pwp = kdb.PolygonWithProperties
    for ci, shapes in templates.items():
        cell = layout.cell(ci)
        outline = [s.box for s in cell.shapes(outline_li).each()] if outline_li is not None else []
        buckets = [(out[kind].setdefault(layer, []), labels.setdefault(layer, []), kind, pin,
                    poly) for layer, kind, pin, poly in shapes]
        intra = [(out["intra"].setdefault(layer, []), poly)
                 for layer, poly in _overlaps_inside(shapes)]
        for parent in cell.each_parent_inst():
            inst = parent.child_inst()
            name = str(inst.property(INST))
            trans = inst.trans
            for bucket, labelled, kind, pin, poly in buckets:
                placed = poly.transformed(trans)
                if kind == "obs":
                    p = pid(pseudo_net("OBS", name))
                else:
                    t = term_index.get((name, pin))
                    p = pid(terminals[t].net if t is not None
                            else pseudo_net("PIN", f"{name}/{pin}"))
                    if t is not None:
                        labelled.append((*inside_point(placed), t))
                bucket.append(pwp(placed, p))
            for bucket, poly in intra:
                bucket.append(poly.transformed(trans))
            boxes.extend(b.transformed(trans) for b in outline)
    outlines = kdb.Region(boxes) if boxes else kdb.Region()
    outlines.merged_semantics = False
    return out, outlines, labels
