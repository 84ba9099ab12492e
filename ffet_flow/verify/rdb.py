"""The KLayout marker database (`.lyrdb`) of a check: one category per rule, one sub-category
per layer (DRC) or per kind (LVS), items in microns on the design's top cell.

Open it beside the layout in KLayout (`klayout layout.gds -m drc.lyrdb`, or `ffet view RUN_DIR`,
which adds it when the run has one). At most `max_items` items per sub-category are written
(the first ones; the JSON summary has the full counts), so a badly broken layout still gives a
file the viewer opens quickly.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ffet_flow.util import atomic_path
from ffet_flow.verify.drc import RULES, Violations
from ffet_flow.verify.lvs import LvsResult

MAX_ITEMS = 1000


def _first(collection, n: int):
    """The first n objects of a Region/EdgePairs/Edges as the same kind of collection."""
    if collection.count() <= n:
        return collection
    out = type(collection)()
    for _, obj in zip(range(n), collection.each(), strict=False):
        out.insert(obj)
    return out


def _new(top_cell: str, description: str, source: str):
    import klayout.rdb as krdb

    db = krdb.ReportDatabase(description)
    db.description = description
    db.generator = "ffet-flow verify"
    db.original_file = source
    db.top_cell_name = top_cell
    return db, db.create_cell(top_cell)


def _save(db, path: Path) -> Path:
    with atomic_path(Path(path)) as tmp:
        db.save(str(tmp))
    return Path(path)


def write_drc_rdb(path: Path, violations: Iterable[Violations], top_cell: str, dbu: int,
                  source: str, max_items: int = MAX_ITEMS) -> Path:
    import klayout.db as kdb

    db, cell = _new(top_cell, "DRC", source)
    to_um = kdb.CplxTrans(1.0 / dbu)
    by_rule: dict[str, list[Violations]] = {}
    for v in violations:
        by_rule.setdefault(v.rule, []).append(v)
    for rule in RULES:
        found = [v for v in by_rule.get(rule, []) if v.count]
        if not found:
            continue
        cat = db.create_category(rule)
        cat.description = f"{rule}: {sum(v.count for v in found)} violations"
        for v in sorted(found, key=lambda v: v.layer):
            sub = db.create_category(cat, v.layer)
            shown = "" if v.count <= max_items else f" (first {max_items} shown)"
            sub.description = f"{v.description}: {v.count}{shown}"
            for collection in (v.polygons, v.edge_pairs, v.edges):
                if collection is not None and collection.count():
                    db.create_items(cell.rdb_id(), sub.rdb_id(), to_um,
                                    _first(collection, max_items))
    return _save(db, path)


def write_lvs_rdb(path: Path, result: LvsResult, top_cell: str, dbu: int, source: str,
                  max_items: int = MAX_ITEMS) -> Path:
    import klayout.db as kdb

    db, cell = _new(top_cell, "LVS", source)
    half = 0.01  # marker box half size around a terminal, um
    cats = {}
    shown: dict[str, int] = {}
    for problem in result.problems:
        if problem.kind not in cats:
            cats[problem.kind] = db.create_category(problem.kind)
        if shown.get(problem.kind, 0) >= max_items:
            continue
        shown[problem.kind] = shown.get(problem.kind, 0) + 1
        item = db.create_item(cell.rdb_id(), cats[problem.kind].rdb_id())
        item.add_value(f"{problem.net}: {problem.text}")
        for x, y in problem.points[:16]:
            cx, cy = x / dbu, y / dbu
            item.add_value(kdb.DBox(cx - half, cy - half, cx + half, cy + half))
    for kind, cat in cats.items():
        cat.description = {"open": f"{result.opens} nets split into more than one group",
                           "short": f"{result.shorts} groups joining several nets",
                           "unconnected": f"{result.unconnected} terminals touching no "
                                          "wiring"}.get(kind, kind)
    return _save(db, path)
