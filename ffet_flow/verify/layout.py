"""A routed DEF with its LEFs as net-labelled KLayout regions, the input of DRC and LVS.

Geometry comes from KLayout's own LEF/DEF reader (`klayout.db.Layout.read` with a
`LEFDEFReaderConfiguration`): wires, special wires and I/O pins of the DEF carry their net as
a property; LEF macros become cells with their pin and obstruction shapes; vias become cells.
Our DEF reader (`ffet_flow.io.def_.read_def`) adds what KLayout does not attach to shapes:
which net each via belongs to, which net each instance pin is on (NETS), and the TRACKS.

Every shape carries the property `NET`: its net, or a pseudo-net for what belongs to no DEF net:
- DEF wires, vias, special wires, I/O pins: their DEF net;
- a placed cell's pin: the net of that instance pin in NETS/SPECIALNETS (`( * VDD )` included);
  a supply pin on no net: its pin name; any other unconnected pin: a pseudo-net of its own;
- a placed cell's obstructions: one pseudo-net per instance.
Pseudo-net names contain a space, which no DEF name can, so they never equal a real net.
LVS gets the terminals (instance pins and I/O pins) as label points inside their pin shapes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io.def_ import Design, read_def
from ffet_flow.io.lef import Library, read_lef
from ffet_flow.log import get_logger
from ffet_flow.verify.rules import Rules, rules_from_lef

log = get_logger("verify")

NET = "net"  # property key: net name of a shape
INST = "inst"  # property key: instance name of a placed cell shape
VIA_PREFIX = "ffetvia$"  # KLayout cell name prefix of via definitions
# layer name suffixes of KLayout's reader output
_SUFFIX = {"routing": ".R", "special": ".S", "via": ".V", "pins": ".PIN", "lef_pins": ".LP",
           "obs": ".OBS"}
_OUTLINE = "OUTLINE"


def pseudo_net(kind: str, owner: str) -> str:
    """Name of a pseudo-net ("OBS u1", "PIN u1/A"): never a DEF net name (it has a space)."""
    return f"{kind} {owner}"


def is_pseudo(net: str) -> bool:
    return " " in net


@dataclass(frozen=True)
class Terminal:
    """A connection point of the design: an instance pin or an I/O pin ("PIN", name)."""

    inst: str
    pin: str
    net: str  # the DEF's net of this terminal (pseudo-net when unconnected)
    supply: bool = False


@dataclass
class Geometry:
    """Everything the checks read. Regions are flat, in dbu, with the property NET (see the
    module doc)."""

    def_path: Path
    design: Design
    lib: Library
    rules: Rules
    layout: object  # klayout.db.Layout (kept alive: the regions refer to its shapes)
    routing: dict[str, object]  # metal -> DEF wires, special wires and vias
    io: dict[str, object]  # metal -> DEF PINS shapes
    pins: dict[str, object]  # metal -> placed LEF pin shapes
    obs: dict[str, object]  # metal -> placed LEF obstructions
    intra: dict[str, object]  # metal -> overlaps of different pins/OBS inside one cell
    cuts: dict[str, object]  # cut layer -> cut shapes of vias and cells
    cell_cuts: dict[str, object]  # cut layer -> cut shapes of cells (LEF pins, OBS)
    outlines: object  # Region of instance outlines, merged semantics off
    vias: dict[str, list[tuple[int, int, str]]]  # via name -> placements (x, y, net)
    via_shapes: dict[str, list[tuple[str, object]]]  # via name -> (layer, Polygon at origin)
    terminals: list[Terminal]
    labels: dict[str, list[tuple[int, int, int]]]  # metal -> (x, y, terminal) inside pin shapes
    seconds: dict[str, float] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # derived regions shared by the checks

    def segments(self) -> list[tuple[str, str, int, int, int, int]]:
        """(net, layer, x0, y0, x1, y1) of every wire piece of NETS (centre lines, dbu)."""
        if "segments" not in self.cache:
            self.cache["segments"] = [(net.name, layer, x0, y0, x1, y1)
                                      for net in self.design.nets
                                      for layer, x0, y0, x1, y1, _ in net.segments()]
        return self.cache["segments"]


def _reader_options(lef_paths: Sequence[Path], dbu: int):
    import klayout.db as kdb

    c = kdb.LEFDEFReaderConfiguration()
    c.lef_files = [str(Path(p).resolve()) for p in lef_paths]
    c.read_lef_with_def = False
    c.paths_relative_to_cwd = True
    c.dbu = 1.0 / dbu
    c.net_property_name = NET
    c.instance_property_name = INST
    c.pin_property_name = "pin"
    c.macro_resolution_mode = 1  # always the LEF geometry of a macro
    c.via_cellname_prefix = VIA_PREFIX
    c.routing_suffix, c.routing_datatype = _SUFFIX["routing"], 100
    c.special_routing_suffix, c.special_routing_datatype = _SUFFIX["special"], 101
    c.via_geometry_suffix, c.via_geometry_datatype = _SUFFIX["via"], 102
    c.pins_suffix, c.pins_datatype = _SUFFIX["pins"], 103
    c.lef_pins_suffix, c.lef_pins_datatype = _SUFFIX["lef_pins"], 104
    c.obstructions_suffix, c.obstructions_datatype = _SUFFIX["obs"], 105
    c.produce_labels = c.produce_lef_labels = False
    c.produce_blockages = c.produce_placement_blockages = c.produce_regions = False
    c.produce_cell_outlines = True
    c.cell_outline_layer = f"{_OUTLINE} (1000/0)"
    opts = kdb.LoadLayoutOptions()
    opts.lefdef_config = c
    return opts


def _read_klayout(def_path: Path, lef_paths: Sequence[Path], dbu: int):
    import klayout.db as kdb
    import klayout.tl as ktl

    layout = kdb.Layout()
    verbosity = ktl.Logger.verbosity
    ktl.Logger.set_verbosity(-1)  # our own checks report bad input in one line each
    try:
        layout.read(str(def_path), _reader_options(lef_paths, dbu))
    except RuntimeError as exc:  # what our readers accepted but KLayout's refuses
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(Issue(str(def_path), "KLayout LEF/DEF reader", message,
                                "readable DEF and LEF")) from None
    finally:
        ktl.Logger.set_verbosity(verbosity)
    return layout


def _cell_layers(found: dict[tuple[str, str], int]) -> dict[str, dict[int, str]]:
    """{"pin"|"obs"|"outline": {KLayout layer index: layer name}} of the macros' shapes."""
    return {"pin": {li: n for (n, suffix), li in found.items() if suffix == _SUFFIX["lef_pins"]},
            "obs": {li: n for (n, suffix), li in found.items() if suffix == _SUFFIX["obs"]},
            "outline": {li: n for (n, suffix), li in found.items() if suffix == ""}}


def _layers(layout) -> dict[tuple[str, str], int]:
    """(layer name, suffix) -> KLayout layer index of the reader's output."""
    out = {}
    for li in layout.layer_indexes():
        name = layout.get_info(li).name
        if name == _OUTLINE:
            out[(name, "")] = li
        for suffix in _SUFFIX.values():
            if name.endswith(suffix):
                out[(name[: -len(suffix)], suffix)] = li
    return out


def _input_issues(design: Design, lib: Library, rules: Rules, def_path: Path) -> list[Issue]:
    """Layers, vias and macros the DEF uses but the LEF does not define."""
    src = str(def_path)
    def_vias = {v.split()[1] for v in design.vias if len(v.split()) > 1}
    layers, vias = {}, {}
    for net in (*design.nets, *design.specialnets):
        for p in net.paths:
            layers.setdefault(p.layer, f"net {net.name}")
            for it in p.items:
                if isinstance(it, str):
                    vias.setdefault(it, net.name)
    for pin in design.pins:
        for layer, _ in pin.shapes:
            layers.setdefault(layer, f"PIN {pin.name}")
    issues = [Issue(src, "layer", name, f"used by {where} but not a ROUTING or CUT layer of "
                    "the LEF") for name, where in sorted(layers.items()) if not rules.knows(name)]
    issues += [Issue(src, "via", name, f"used by net {where} but defined neither in the LEF "
                     "nor in the DEF VIAS") for name, where in sorted(vias.items())
               if name not in lib.vias and name not in def_vias]
    missing = sorted(set(design.components.macros) - set(lib.macros))
    if missing:
        issues.append(Issue(src, "component macro", ", ".join(missing[:5]),
                            "not defined in the cell LEF"))
    return issues


def load_geometry(def_path: Path | str, lef_paths: Sequence[Path | str]) -> Geometry:
    """Read the DEF and LEFs; raise ConfigError for a missing file, a DEF layer the LEF rules
    lack, an unknown via or macro."""
    import klayout.db as kdb

    def_path = Path(def_path)
    lef_paths = [Path(p) for p in lef_paths]
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    for p in (def_path, *lef_paths):
        if not p.is_file():
            raise ConfigError(Issue("command line", "file", str(p), "file not found"))
    design = read_def(def_path)
    lib = read_lef(lef_paths, dbu_per_micron=design.dbu)
    rules = rules_from_lef(lib, " ".join(str(p) for p in lef_paths))
    issues = _input_issues(design, lib, rules, def_path)
    if issues:
        raise ConfigError(issues)
    seconds["read_def"] = time.monotonic() - t0

    t0 = time.monotonic()
    layout = _read_klayout(def_path, lef_paths, design.dbu)
    top = layout.top_cell()
    seconds["klayout_read"] = time.monotonic() - t0

    t0 = time.monotonic()
    found = _layers(layout)
    pid_cache: dict[str, int] = {}

    def pid(net: str) -> int:
        value = pid_cache.get(net)
        if value is None:
            value = pid_cache[net] = layout.properties_id({NET: net})
        return value

    from ffet_flow.verify.cells import place_cells

    terminals, term_index = _terminals(design, lib)
    placed, via_sites, via_shapes = _place_vias(design, layout, found, pid)
    cells, outlines, labels = place_cells(layout, _cell_layers(found), pid, term_index,
                                          terminals)

    def reader_region(name: str, suffix: str):
        r = kdb.Region()
        li = found.get((name, suffix))
        if li is not None:
            it = top.begin_shapes_rec(li)
            it.max_depth = 0
            it.enable_properties()
            r.insert(it)
            if suffix == ".PIN":  # I/O pins also carry their pin name
                r.filter_properties([NET])
        return r

    def region(items: list):
        r = kdb.Region()
        if items:
            r.insert(items)
        return r

    routing, io, pins, obs, intra, cuts, cell_cuts = {}, {}, {}, {}, {}, {}, {}
    for name in (*rules.metals, *rules.cuts):
        r = reader_region(name, ".R") + reader_region(name, ".S") + region(placed.get(name))
        if name in rules.cuts:
            cell_cuts[name] = region(cells["pin"].get(name)) + region(cells["obs"].get(name))
            cuts[name] = r + reader_region(name, ".PIN") + cell_cuts[name]
            continue
        routing[name] = r
        io[name] = reader_region(name, ".PIN")
        pins[name] = region(cells["pin"].get(name))
        obs[name] = region(cells["obs"].get(name))
        intra[name] = region(cells["intra"].get(name))
    for layer, x, y, t in _io_labels(design, term_index):
        labels.setdefault(layer, []).append((x, y, t))
    seconds["shapes"] = time.monotonic() - t0
    log.info("layout: %d instances, %d terminals, %d vias (%.1f s)", len(design.components),
             len(terminals), sum(len(v) for v in via_sites.values()), sum(seconds.values()))
    return Geometry(def_path=def_path, design=design, lib=lib, rules=rules, layout=layout,
                    routing=routing, io=io, pins=pins, obs=obs, intra=intra, cuts=cuts,
                    cell_cuts=cell_cuts,
                    outlines=outlines, vias=via_sites, via_shapes=via_shapes,
                    terminals=terminals, labels=labels, seconds=seconds)


def _terminals(design: Design, lib: Library) -> tuple[list[Terminal], dict[tuple[str, str], int]]:
    """Every instance pin with shapes and every I/O pin, with the DEF's net of each."""
    conn: dict[tuple[str, str], str] = {}
    every: dict[str, str] = {}  # pin -> net for `( * pin )`
    for net in (*design.specialnets, *design.nets):
        for comp, pin in net.conns:
            if comp == "*":
                every.setdefault(pin, net.name)
            else:
                conn.setdefault((comp, pin), net.name)
    terminals: list[Terminal] = []
    index: dict[tuple[str, str], int] = {}
    for inst, macro_name in zip(design.components.names, design.components.macros, strict=True):
        macro = lib.macros[macro_name]
        for pin in macro.pins.values():
            if not pin.shapes:
                continue
            supply = pin.use in ("POWER", "GROUND")
            net = conn.get((inst, pin.name)) or every.get(pin.name)
            if net is None:
                net = pin.name if supply else pseudo_net("PIN", f"{inst}/{pin.name}")
            index[(inst, pin.name)] = len(terminals)
            terminals.append(Terminal(inst, pin.name, net, supply))
    for p in design.pins:
        index[("PIN", p.name)] = len(terminals)
        terminals.append(Terminal("PIN", p.name, p.net or conn.get(("PIN", p.name), ""),
                                  p.use in ("POWER", "GROUND")))
    return terminals, index


def _via_templates(layout, found, names: set[str]) -> dict[str, list[tuple[str, object]]]:
    """Shapes (layer, box or polygon) of each via definition, from KLayout's via cells."""
    templates = {}
    by_li = {li: name for (name, suffix), li in found.items() if suffix == ".V"}
    for via in names:
        cell = layout.cell(VIA_PREFIX + via)
        if cell is None:
            continue
        shapes = []
        for li, layer in by_li.items():
            for s in cell.shapes(li).each():
                shapes.append((layer, s.box if s.is_box() else s.polygon))
        templates[via] = shapes
    return templates


def _place_vias(design, layout, found, pid):
    """Via shapes with the net of the DEF path they sit on (KLayout's via instances carry no
    net): ({layer: [PolygonWithProperties]}, {via: [(x, y, net)]}, via templates)."""
    import klayout.db as kdb

    sites: dict[str, list[tuple[int, int, str]]] = {}
    for net in (*design.nets, *design.specialnets):
        for via, x, y in net.vias():
            sites.setdefault(via, []).append((x, y, net.name))
    templates = _via_templates(layout, found, set(sites))
    unknown = sorted(set(sites) - set(templates))
    if unknown:
        raise ConfigError(Issue(str(design.name), "via", ", ".join(unknown[:5]),
                                "not defined in the LEF or the DEF VIAS"))
    out: dict[str, list] = {}
    pwp = kdb.PolygonWithProperties
    for via, placed in sites.items():
        targets = [(out.setdefault(layer, []), kdb.Polygon(shape))
                   for layer, shape in templates[via]]
        for x, y, net in placed:
            p = pid(net)
            for bucket, poly in targets:
                bucket.append(pwp(poly.moved(x, y), p))
    shapes = {via: [(layer, kdb.Polygon(shape)) for layer, shape in t]
              for via, t in templates.items()}
    return out, sites, shapes


def _io_labels(design: Design, term_index) -> list[tuple[str, int, int, int]]:
    out = []
    for p in design.pins:
        t = term_index[("PIN", p.name)]
        for layer, (x0, y0, x1, y1) in p.abs_shapes():
            out.append((layer, (x0 + x1) // 2, (y0 + y1) // 2, t))
    return out
