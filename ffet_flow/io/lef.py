"""LEF reader: units, layers, vias, sites and macros (with pin sides), in integer dbu.

`read_lef(paths, dbu_per_micron=None)` reads technology and cell LEF files into one `Library`.
LEF gives lengths in microns; every length is converted to integer database units (dbu) of the
design, `dbu_per_micron` (default: the first file's `UNITS DATABASE MICRONS`, else 2000).

Pin sides (dual-sided FFET cells): a pin whose port shapes are all on layers named `BM*` is
"back", all on other layers "front", on both "both". `apply_pin_sides(lib, pins_json)` overrides
the sides with the library's `pins.json` when given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io._tokens import Cursor, read_text, tokenize

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in dbu, x0 <= x1, y0 <= y1


@dataclass(frozen=True)
class Layer:
    """One LEF layer. Lengths in dbu; `pitch`/`offset` are across the preferred direction
    (the y pitch of a HORIZONTAL layer, the x pitch of a VERTICAL one)."""

    name: str
    type: str  # ROUTING | CUT | MASTERSLICE | OVERLAP | IMPLANT ...
    direction: str = ""  # HORIZONTAL | VERTICAL ("" for cut layers)
    pitch: int = 0
    pitch_x: int = 0
    pitch_y: int = 0
    width: int = 0
    spacing: int = 0  # smallest SPACING (or first SPACINGTABLE entry)
    offset: int = 0
    offset_x: int = 0
    offset_y: int = 0
    resistance: float | None = None  # ROUTING: Ohm per square (RPERSQ); CUT: Ohm per cut
    capacitance: float | None = None  # pF per um^2 (CPERSQDIST)
    edge_capacitance: float | None = None  # pF per um
    thickness: int = 0
    # design rules (dbu; area dbu^2)
    min_width: int = 0  # MINWIDTH (else WIDTH)
    area: int = 0  # AREA: minimum area of a metal polygon
    eol: tuple[tuple[int, int, int], ...] = ()  # SPACING s ENDOFLINE w WITHIN d: (s, w, d)
    # SPACINGTABLE PARALLELRUNLENGTH: (run lengths, ((width, spacings per run length), ...))
    spacing_table: tuple[tuple[int, ...], tuple[tuple[int, tuple[int, ...]], ...]] = ((), ())
    enclosures: tuple[tuple[str, int, int], ...] = ()  # CUT: ("ABOVE"|"BELOW"|"", o1, o2)

    @property
    def side(self) -> str:
        return layer_side(self.name)

    def spacing_for(self, width: int, prl: int = 0) -> int:
        """Spacing (dbu) a shape of `width` needs to another one it runs beside for `prl`
        (SPACINGTABLE PARALLELRUNLENGTH: the row of the largest width <= `width`, the
        column of the largest run length below `prl`); the plain SPACING without a table."""
        runs, rows = self.spacing_table
        if not rows:
            return self.spacing
        row = rows[0][1]
        for w, values in rows:
            if width > w or w == rows[0][0]:
                row = values
        col = 0
        for k, length in enumerate(runs):
            if prl > length or k == 0:
                col = k
        return max(self.spacing, row[col]) if self.spacing else row[col]


@dataclass(frozen=True)
class Via:
    """A fixed via: shapes per layer (rects relative to the via origin, dbu)."""

    name: str
    default: bool
    shapes: tuple[tuple[str, Rect], ...]

    @property
    def layers(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for layer, _ in self.shapes:
            seen.setdefault(layer, None)
        return tuple(seen)


@dataclass(frozen=True)
class Site:
    name: str
    width: int
    height: int
    cls: str = "CORE"
    symmetry: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pin:
    """A macro pin: shapes are (layer, rect) relative to the macro origin in orientation N."""

    name: str
    direction: str  # INPUT | OUTPUT | INOUT | FEEDTHRU
    use: str  # SIGNAL | POWER | GROUND | CLOCK ...
    shapes: tuple[tuple[str, Rect], ...]
    side: str  # front | back | both

    def center(self) -> tuple[int, int]:
        """Centre of the bounding box of the pin's shapes (dbu, macro coordinates)."""
        if not self.shapes:
            return 0, 0
        x0 = min(r[0] for _, r in self.shapes)
        y0 = min(r[1] for _, r in self.shapes)
        x1 = max(r[2] for _, r in self.shapes)
        y1 = max(r[3] for _, r in self.shapes)
        return (x0 + x1) // 2, (y0 + y1) // 2


@dataclass(frozen=True)
class Macro:
    name: str
    cls: str  # CORE, BLOCK, PAD, ENDCAP ... (first word of CLASS, upper case)
    width: int
    height: int
    origin: tuple[int, int] = (0, 0)
    site: str = ""
    symmetry: tuple[str, ...] = ()
    pins: Mapping[str, Pin] = field(default_factory=dict)
    obstructions: tuple[tuple[str, Rect], ...] = ()

    @property
    def area(self) -> int:
        return self.width * self.height


@dataclass
class Library:
    """Everything read from the LEF files; lengths in dbu of `dbu` per micron."""

    dbu: int
    manufacturing_grid: int = 0
    layers: dict[str, Layer] = field(default_factory=dict)  # in file order, bottom-up
    vias: dict[str, Via] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    macros: dict[str, Macro] = field(default_factory=dict)

    def routing_layers(self) -> list[Layer]:
        return [layer for layer in self.layers.values() if layer.type == "ROUTING"]


def layer_side(name: str) -> str:
    """Wafer side of a layer by name: `BM*`/`BV*` layers are the back side."""
    up = name.upper()
    return "back" if up.startswith("BM") or up.startswith("BV") else "front"


def _side_of(shapes: Iterable[tuple[str, Rect]]) -> str:
    sides = {layer_side(layer) for layer, _ in shapes}
    if sides == {"back"}:
        return "back"
    return "both" if sides == {"front", "back"} else "front"


class _LefParser:
    def __init__(self, cur: Cursor, lib: Library, file_dbu: list[int]):
        self.cur, self.lib, self.file_dbu = cur, lib, file_dbu

    def d(self, microns: float) -> int:
        return int(round(microns * self.lib.dbu))

    def run(self) -> None:
        cur = self.cur
        while cur.more():
            word = cur.next().upper()
            if word == "END":
                if cur.peek().upper() == "LIBRARY":
                    cur.next()
                    return
                continue
            if word == "UNITS":
                self._units()
            elif word == "MANUFACTURINGGRID":
                self.lib.manufacturing_grid = self.d(cur.number())
                cur.expect(";")
            elif word == "LAYER":
                self._layer()
            elif word == "VIA":
                self._via()
            elif word == "SITE":
                self._site()
            elif word == "MACRO":
                self._macro()
            elif word in ("VIARULE", "NONDEFAULTRULE", "SPACING", "PROPERTYDEFINITIONS",
                          "BEGINEXT", "IRDROP", "ARRAY", "NOISETABLE", "CORRECTIONTABLE"):
                self._skip_block(word)
            else:
                cur.skip_statement()

    def _skip_block(self, word: str) -> None:
        """Skip `WORD [name] ... END [name]` blocks we do not need (balanced on END)."""
        cur = self.cur
        if word == "BEGINEXT":
            while cur.more() and cur.next().upper() != "ENDEXT":
                pass
            return
        name = "" if word in ("SPACING", "PROPERTYDEFINITIONS", "IRDROP") else cur.next()
        end_name = name or word
        while cur.more():
            t = cur.next()
            if t.upper() == "END" and cur.peek() == end_name:
                cur.next()
                return

    def _units(self) -> None:
        cur = self.cur
        while cur.more():
            stmt = cur.skip_statement() if cur.peek().upper() != "END" else None
            if stmt is None:
                cur.next()
                cur.expect("UNITS")
                return
            if len(stmt) >= 3 and stmt[0].upper() == "DATABASE" and stmt[1].upper() == "MICRONS":
                self.file_dbu.append(int(float(stmt[2])))

    def _layer(self) -> None:
        cur = self.cur
        name = cur.next()
        f: dict = {"name": name, "type": ""}
        spacings: list[int] = []
        eol: list[tuple[int, int, int]] = []
        enclosures: list[tuple[str, int, int]] = []
        while True:
            stmt = self._stmt_or_end(name)
            if stmt is None:
                break
            if not stmt:
                continue
            key = stmt[0].upper()
            try:
                if key == "TYPE":
                    f["type"] = stmt[1].upper()
                elif key == "DIRECTION":
                    f["direction"] = stmt[1].upper()
                elif key == "WIDTH":
                    f["width"] = self.d(float(stmt[1]))
                elif key == "PITCH":
                    px = self.d(float(stmt[1]))
                    f["pitch_x"], f["pitch_y"] = px, self.d(float(stmt[2])) if len(stmt) > 2 else px
                elif key == "OFFSET":
                    ox = self.d(float(stmt[1]))
                    f["offset_x"], f["offset_y"] = ox, self.d(float(stmt[2])) if len(stmt) > 2 else ox
                elif key == "SPACING" and len(stmt) > 1:
                    up = [s.upper() for s in stmt]
                    if "ENDOFLINE" in up:
                        j = up.index("ENDOFLINE")
                        within = (self.d(float(stmt[up.index("WITHIN") + 1]))
                                  if "WITHIN" in up else 0)
                        eol.append((self.d(float(stmt[1])), self.d(float(stmt[j + 1])), within))
                    spacings.append(self.d(float(stmt[1])))
                elif key == "SPACINGTABLE":
                    f["spacing_table"] = self._spacing_table(stmt)
                    rows = f["spacing_table"][1]
                    if rows:
                        spacings.append(rows[0][1][0])
                elif key == "MINWIDTH":
                    f["min_width"] = self.d(float(stmt[1]))
                elif key == "AREA":
                    f["area"] = int(round(float(stmt[1]) * self.lib.dbu * self.lib.dbu))
                elif key == "ENCLOSURE":
                    where = stmt[1].upper() if stmt[1].upper() in ("ABOVE", "BELOW") else ""
                    nums = stmt[2:4] if where else stmt[1:3]
                    enclosures.append((where, self.d(float(nums[0])), self.d(float(nums[1]))))
                elif key == "RESISTANCE":
                    value = stmt[2] if stmt[1].upper() == "RPERSQ" else stmt[1]
                    f["resistance"] = float(value)
                elif key == "CAPACITANCE" and stmt[1].upper() == "CPERSQDIST":
                    f["capacitance"] = float(stmt[2])
                elif key == "EDGECAPACITANCE":
                    f["edge_capacitance"] = float(stmt[1])
                elif key == "THICKNESS":
                    f["thickness"] = self.d(float(stmt[1]))
            except (IndexError, ValueError):
                raise ConfigError(Issue(self.cur.path, f"LAYER {name} {key}", " ".join(stmt),
                                        "malformed statement")) from None
        if spacings:
            f["spacing"] = min(spacings)
        f["eol"], f["enclosures"] = tuple(eol), tuple(enclosures)
        if "min_width" not in f and "width" in f:
            f["min_width"] = f["width"]
        vertical = f.get("direction") == "VERTICAL"
        if "pitch_x" in f:
            f["pitch"] = f["pitch_x"] if vertical else f["pitch_y"]
        if "offset_x" in f:
            f["offset"] = f["offset_x"] if vertical else f["offset_y"]
        self.lib.layers[name] = Layer(**f)

    def _spacing_table(self, stmt: list[str]) -> tuple:
        """SPACINGTABLE PARALLELRUNLENGTH l0 l1 .. WIDTH w0 s00 s01 .. WIDTH w1 .. ;"""
        up = [t.upper() for t in stmt]
        if "PARALLELRUNLENGTH" not in up or "WIDTH" not in up:
            return ((), ())  # other table kinds (TWOWIDTHS, INFLUENCE) are not read
        j = up.index("PARALLELRUNLENGTH") + 1
        runs = []
        while up[j] != "WIDTH":
            runs.append(self.d(float(stmt[j])))
            j += 1
        rows = []
        while j < len(stmt) and up[j] == "WIDTH":
            vals = [self.d(float(t)) for t in stmt[j + 1: j + 2 + len(runs)]]
            rows.append((vals[0], tuple(vals[1:])))
            j += 2 + len(runs)
        return tuple(runs), tuple(rows)

    def _stmt_or_end(self, name: str | None) -> list[str] | None:
        """Next statement's tokens, or None at `END [name]` (consumed)."""
        cur = self.cur
        if cur.peek().upper() == "END":
            cur.next()
            if name is not None and cur.peek() == name:
                cur.next()
            return None
        return cur.skip_statement()

    def _geometry(self, end_name: str | None) -> list[tuple[str, Rect]]:
        """LAYER / RECT / POLYGON statements up to END; polygons kept as bounding boxes."""
        shapes: list[tuple[str, Rect]] = []
        layer = ""
        while True:
            stmt = self._stmt_or_end(end_name)
            if stmt is None:
                return shapes
            if not stmt:
                continue
            key = stmt[0].upper()
            if key == "LAYER":
                layer = stmt[1]
            elif key in ("RECT", "POLYGON"):
                nums = [t for t in stmt[1:] if t.upper() not in ("MASK",)]
                if nums and stmt[1].upper() == "MASK":
                    nums = nums[1:]
                try:
                    vals = [self.d(float(t)) for t in nums]
                except ValueError:
                    raise ConfigError(Issue(self.cur.path, key, " ".join(stmt),
                                            "malformed coordinates")) from None
                xs, ys = vals[0::2], vals[1::2]
                shapes.append((layer, (min(xs), min(ys), max(xs), max(ys))))

    def _via(self) -> None:
        cur = self.cur
        name = cur.next()
        default = False
        if cur.peek().upper() == "DEFAULT":
            cur.next()
            default = True
        if cur.peek().upper() == "GENERATED":
            cur.next()
        shapes = self._geometry(name)
        self.lib.vias[name] = Via(name, default, tuple(shapes))

    def _site(self) -> None:
        name = self.cur.next()
        f: dict = {"name": name, "width": 0, "height": 0}
        while (stmt := self._stmt_or_end(name)) is not None:
            if not stmt:
                continue
            key = stmt[0].upper()
            if key == "SIZE":
                f["width"], f["height"] = self.d(float(stmt[1])), self.d(float(stmt[3]))
            elif key == "CLASS":
                f["cls"] = stmt[1].upper()
            elif key == "SYMMETRY":
                f["symmetry"] = tuple(s.upper() for s in stmt[1:])
        self.lib.sites[name] = Site(**f)

    def _macro(self) -> None:
        cur = self.cur
        name = cur.next()
        f: dict = {"name": name, "cls": "CORE", "width": 0, "height": 0}
        pins: dict[str, Pin] = {}
        obs: list[tuple[str, Rect]] = []
        while True:
            word = cur.peek().upper()
            if word == "END":
                cur.next()
                if cur.peek() == name:
                    cur.next()
                break
            if word == "PIN":
                cur.next()
                pin = self._pin(cur.next())
                pins[pin.name] = pin
                continue
            if word == "OBS":
                cur.next()
                obs.extend(self._geometry(None))
                continue
            stmt = cur.skip_statement()
            if not stmt:
                continue
            key = stmt[0].upper()
            if key == "CLASS":
                f["cls"] = stmt[1].upper()
            elif key == "SIZE":
                f["width"], f["height"] = self.d(float(stmt[1])), self.d(float(stmt[3]))
            elif key == "ORIGIN":
                f["origin"] = (self.d(float(stmt[1])), self.d(float(stmt[2])))
            elif key == "SITE":
                f["site"] = stmt[1]
            elif key == "SYMMETRY":
                f["symmetry"] = tuple(s.upper() for s in stmt[1:])
        ox, oy = f.get("origin", (0, 0))
        if ox or oy:  # shapes are given relative to ORIGIN; store them from the lower left
            def shift(s: list[tuple[str, Rect]]) -> tuple[tuple[str, Rect], ...]:
                return tuple((la, (r[0] + ox, r[1] + oy, r[2] + ox, r[3] + oy)) for la, r in s)
            pins = {n: replace(p, shapes=shift(list(p.shapes))) for n, p in pins.items()}
            obs = list(shift(obs))
        self.lib.macros[name] = Macro(pins=pins, obstructions=tuple(obs), **f)

    def _pin(self, name: str) -> Pin:
        cur = self.cur
        direction, use = "INPUT", "SIGNAL"
        shapes: list[tuple[str, Rect]] = []
        while True:
            word = cur.peek().upper()
            if word == "END":
                cur.next()
                if cur.peek() == name:
                    cur.next()
                break
            if word == "PORT":
                cur.next()
                shapes.extend(self._geometry(None))
                continue
            stmt = cur.skip_statement()
            if not stmt:
                continue
            key = stmt[0].upper()
            if key == "DIRECTION":
                direction = stmt[1].upper()
            elif key == "USE":
                use = stmt[1].upper()
        return Pin(name, direction, use, tuple(shapes), _side_of(shapes))


def read_lef(paths: Sequence[Path | str] | Path | str,
             dbu_per_micron: int | None = None) -> Library:
    """Read LEF files (technology first, then cells) into one Library in integer dbu.

    dbu_per_micron: database units per micron of the result (the design's DEF UNITS);
    default: the first file's `UNITS DATABASE MICRONS`, else 2000.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    texts = [(str(p), read_text(Path(p), "LEF file")) for p in paths]
    if dbu_per_micron is None:
        dbu_per_micron = 2000
        for _, text in texts:
            toks = tokenize(text[: text.find("END UNITS") + 10]) if "END UNITS" in text else []
            for i, t in enumerate(toks[:-2]):
                if t.upper() == "DATABASE" and toks[i + 1].upper() == "MICRONS":
                    dbu_per_micron = int(float(toks[i + 2]))
                    break
            else:
                continue
            break
    lib = Library(dbu=int(dbu_per_micron))
    for path, text in texts:
        _LefParser(Cursor(tokenize(text), path, text), lib, []).run()
    return lib


def apply_pin_sides(lib: Library, pins_json: Path | Mapping | None) -> Library:
    """Override macro pin sides with a `pins.json` mapping `{"cells": {cell: {pin: side}}}`."""
    if pins_json is None:
        return lib
    if not isinstance(pins_json, Mapping):
        try:
            pins_json = json.loads(read_text(Path(pins_json), "pins.json"))
        except ValueError as exc:
            raise ConfigError(Issue(str(pins_json), "pins.json", "", f"malformed JSON: {exc}")) \
                from None
    cells = pins_json.get("cells", {})
    issues = []
    for cell, sides in cells.items():
        macro = lib.macros.get(cell)
        if macro is None:
            continue
        new_pins = dict(macro.pins)
        for pin, side in sides.items():
            if side not in ("front", "back", "both"):
                issues.append(Issue("pins.json", f"{cell}.{pin}", side,
                                    "allowed: 'front', 'back', 'both'"))
            elif pin in new_pins:
                new_pins[pin] = replace(new_pins[pin], side=side)
        lib.macros[cell] = replace(macro, pins=new_pins)
    if issues:
        raise ConfigError(issues)
    return lib
