"""DEF 5.8 reader and writer.

`read_def(path) -> Design` and `write_def(design, path)` (deterministic, atomic). All coordinates
are integer dbu of the file's `UNITS DISTANCE MICRONS`. Components are stored column-wise
(`Components`: numpy x/y arrays, name/macro/orient/status lists) because designs have 10^4-10^6
of them; nets keep their connections and routed wiring (`Path`: layer, width, points and vias).

Sections kept: DIEAREA, ROW, TRACKS, GCELLGRID, VIAS (verbatim), COMPONENTS, PINS, NETS and
SPECIALNETS (connections, USE, routed wiring). Other sections (REGIONS, BLOCKAGES, GROUPS, ...)
are kept verbatim as token text in `Design.extra` and written back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath

import numpy as np

from ffet_flow.io._tokens import Cursor, read_text, tokenize
from ffet_flow.io.def_nets import Net, Path, parse_net, write_net
from ffet_flow.util import atomic_path

__all__ = ["Design", "Row", "Tracks", "IoPin", "Components", "Net", "Path", "read_def",
           "write_def", "orient_rect", "ORIENTS"]

ORIENTS = ("N", "S", "E", "W", "FN", "FS", "FE", "FW")


@dataclass(frozen=True)
class Row:
    name: str
    site: str
    x: int
    y: int
    orient: str
    num_x: int
    num_y: int
    step_x: int
    step_y: int


@dataclass(frozen=True)
class Tracks:
    axis: str  # "X": vertical tracks at x = start + i*step; "Y": horizontal tracks
    start: int
    num: int
    step: int
    layers: tuple[str, ...]


@dataclass
class IoPin:
    """A DEF PIN. `shapes` are (layer, rect) relative to (x, y) before applying `orient`."""

    name: str
    net: str
    direction: str = ""
    use: str = ""
    shapes: list[tuple[str, tuple[int, int, int, int]]] = field(default_factory=list)
    x: int = 0
    y: int = 0
    orient: str = "N"
    status: str = ""  # PLACED | FIXED | COVER | "" (unplaced)
    special: bool = False

    @property
    def layer(self) -> str:
        return self.shapes[0][0] if self.shapes else ""

    def abs_shapes(self) -> list[tuple[str, tuple[int, int, int, int]]]:
        """Shapes in die coordinates (dbu)."""
        return [(la, _shift(orient_rect(r, self.orient), self.x, self.y)) for la, r in self.shapes]

    def center(self) -> tuple[int, int]:
        """Centre of the first shape in die coordinates (the pin location if it has none)."""
        if not self.shapes:
            return self.x, self.y
        r = self.abs_shapes()[0][1]
        return (r[0] + r[2]) // 2, (r[1] + r[3]) // 2


def _shift(r: tuple[int, int, int, int], dx: int, dy: int) -> tuple[int, int, int, int]:
    return r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy


def orient_rect(r: tuple[int, int, int, int], orient: str) -> tuple[int, int, int, int]:
    """Rotate/flip a rect about the origin as DEF orientations do (for PIN shapes)."""
    x0, y0, x1, y1 = r
    pts = [(x0, y0), (x1, y1)]
    f = {"N": lambda x, y: (x, y), "S": lambda x, y: (-x, -y), "W": lambda x, y: (-y, x),
         "E": lambda x, y: (y, -x), "FN": lambda x, y: (-x, y), "FS": lambda x, y: (x, -y),
         "FW": lambda x, y: (y, x), "FE": lambda x, y: (-y, -x)}[orient]
    (a, b), (c, d) = (f(*p) for p in pts)
    return min(a, c), min(b, d), max(a, c), max(b, d)


@dataclass
class Components:
    """Column store of COMPONENTS. x, y: lower-left corner of the placed cell (dbu)."""

    names: list[str] = field(default_factory=list)
    macros: list[str] = field(default_factory=list)
    x: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    orients: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)  # UNPLACED | PLACED | FIXED | COVER
    extra: list[str] = field(default_factory=list)  # other "+ ..." properties, verbatim
    _index: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        if self._index is None or len(self._index) != len(self.names):
            self._index = {n: i for i, n in enumerate(self.names)}
        return self._index[name]

    def add(self, name: str, macro: str, x: int = 0, y: int = 0, orient: str = "N",
            status: str = "UNPLACED", extra: str = "") -> int:
        """Append one component (slow path for building small designs); returns its index."""
        self.names.append(name)
        self.macros.append(macro)
        self.x = np.append(self.x, np.int64(x))
        self.y = np.append(self.y, np.int64(y))
        self.orients.append(orient)
        self.status.append(status)
        self.extra.append(extra)
        self._index = None
        return len(self.names) - 1

    def fixed_mask(self) -> np.ndarray:
        return np.array([s in ("FIXED", "COVER") for s in self.status], dtype=bool)


@dataclass
class Design:
    name: str = "top"
    dbu: int = 2000
    version: str = "5.8"
    die_area: tuple[int, int, int, int] = (0, 0, 0, 0)
    rows: list[Row] = field(default_factory=list)
    tracks: list[Tracks] = field(default_factory=list)
    gcellgrid: list[tuple[str, int, int, int]] = field(default_factory=list)  # axis start num step
    vias: list[str] = field(default_factory=list)  # VIAS entries, verbatim ("- name ... ;")
    components: Components = field(default_factory=Components)
    pins: list[IoPin] = field(default_factory=list)
    nets: list[Net] = field(default_factory=list)
    specialnets: list[Net] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # (section, verbatim body)
    busbitchars: str = '"[]"'
    dividerchar: str = '"/"'

    def pin_index(self) -> dict[str, IoPin]:
        return {p.name: p for p in self.pins}

    def core_area(self, row_height: int = 0) -> tuple[int, int, int, int]:
        """Bounding box of all rows (dbu), or the die area when there are none.

        DEF rows do not state their height (the site's, in the LEF): pass it as `row_height`
        to include the top row; otherwise the box ends at the top row's origin."""
        if not self.rows:
            return self.die_area
        x0 = min(r.x for r in self.rows)
        y0 = min(r.y for r in self.rows)
        x1 = max(r.x + r.num_x * max(r.step_x, 0) for r in self.rows)
        y1 = max(r.y + (r.num_y - 1) * max(r.step_y, 0) + row_height for r in self.rows)
        return x0, y0, x1, y1


def _points(cur: Cursor, n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        cur.expect("(")
        x, y = cur.integer(), cur.integer()
        cur.expect(")")
        out.append((x, y))
    return out


def _section_end(cur: Cursor, name: str) -> None:
    cur.expect("END")
    cur.expect(name)


def _components(cur: Cursor, d: Design) -> None:
    cur.integer()
    cur.expect(";")
    names, macros, orients, status, extra = [], [], [], [], []
    xs: list[int] = []
    ys: list[int] = []
    toks = cur.toks
    i = cur.i
    while toks[i] == "-":
        end = toks.index(";", i)
        names.append(toks[i + 1])
        macros.append(toks[i + 2])
        st, ori, x, y, rest = "UNPLACED", "N", 0, 0, []
        j = i + 3
        while j < end:
            t = toks[j]
            key = toks[j + 1].upper() if t == "+" else ""
            if key in ("PLACED", "FIXED", "COVER"):
                st, x, y, ori = key, int(toks[j + 3]), int(toks[j + 4]), toks[j + 6].upper()
                j += 7
            elif key == "UNPLACED":
                j += 2
            else:
                rest.append(t)
                j += 1
        xs.append(x)
        ys.append(y)
        orients.append(ori)
        status.append(st)
        extra.append(" ".join(rest))
        i = end + 1
    cur.i = i
    d.components = Components(names, macros, np.array(xs, dtype=np.int64),
                              np.array(ys, dtype=np.int64), orients, status, extra)
    _section_end(cur, "COMPONENTS")


def _pins(cur: Cursor, d: Design) -> None:
    cur.integer()
    cur.expect(";")
    while cur.peek() == "-":
        cur.next()
        pin = IoPin(name=cur.next(), net="")
        layer = ""
        while (t := cur.next()) != ";":
            if t != "+":
                continue
            key = cur.next().upper()
            if key == "NET":
                pin.net = cur.next()
            elif key == "SPECIAL":
                pin.special = True
            elif key == "DIRECTION":
                pin.direction = cur.next().upper()
            elif key == "USE":
                pin.use = cur.next().upper()
            elif key == "LAYER":
                layer = cur.next()
                while cur.peek() != "(":  # MASK n, SPACING s, DESIGNRULEWIDTH w
                    cur.next()
                (x0, y0), (x1, y1) = _points(cur, 2)
                pin.shapes.append((layer, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))))
            elif key in ("PLACED", "FIXED", "COVER"):
                pin.status = key
                (pin.x, pin.y), = _points(cur, 1)
                pin.orient = cur.next().upper()
            # PORT, POLYGON, VIA, ANTENNA*: ignored (their tokens are skipped up to the next +)
        d.pins.append(pin)
    _section_end(cur, "PINS")


def _nets(cur: Cursor, section: str, out: list[Net]) -> None:
    cur.integer()
    cur.expect(";")
    while cur.peek() == "-":
        out.append(parse_net(cur, special=section == "SPECIALNETS"))
    _section_end(cur, section)


def _verbatim(cur: Cursor, section: str) -> str:
    """Tokens of a section we do not interpret, up to `END section`, re-joined as DEF text."""
    lines, line = [], []
    while not (cur.peek().upper() == "END" and cur.peek(1).upper() == section):
        t = cur.next()
        line.append(t)
        if t == ";":
            lines.append(" ".join(line))
            line = []
    if line:
        lines.append(" ".join(line))
    cur.next()
    cur.next()
    return "\n".join(lines)


def read_def(path: FsPath | str) -> Design:
    """Parse a DEF file. Raises ConfigError (file, line, token, expectation) on bad syntax."""
    text = read_text(FsPath(path), "DEF file")
    cur = Cursor(tokenize(text), str(path), text)
    d = Design()
    try:
        while cur.more():
            word = cur.next().upper()
            if word == "VERSION":
                d.version = cur.next()
                cur.expect(";")
            elif word == "DESIGN":
                d.name = cur.next()
                cur.expect(";")
            elif word == "BUSBITCHARS":
                d.busbitchars = cur.next()
                cur.expect(";")
            elif word == "DIVIDERCHAR":
                d.dividerchar = cur.next()
                cur.expect(";")
            elif word == "UNITS":
                stmt = cur.skip_statement()
                d.dbu = int(float(stmt[-1]))
            elif word == "DIEAREA":
                pts = []
                while cur.peek() == "(":
                    pts.extend(_points(cur, 1))
                cur.expect(";")
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                d.die_area = (min(xs), min(ys), max(xs), max(ys))
            elif word == "ROW":
                s = cur.skip_statement()
                num_x = num_y = 1
                step_x = step_y = 0
                if len(s) > 5 and s[5].upper() == "DO":
                    num_x, num_y = int(s[6]), int(s[8])
                    if len(s) > 9 and s[9].upper() == "STEP":
                        step_x, step_y = int(s[10]), int(s[11])
                d.rows.append(Row(s[0], s[1], int(s[2]), int(s[3]), s[4].upper(),
                                  num_x, num_y, step_x, step_y))
            elif word == "TRACKS":
                s = cur.skip_statement()
                layers = ()
                up = [t.upper() for t in s]
                if "LAYER" in up:
                    layers = tuple(s[up.index("LAYER") + 1:])
                d.tracks.append(Tracks(s[0].upper(), int(s[1]), int(s[3]), int(s[5]), layers))
            elif word == "GCELLGRID":
                s = cur.skip_statement()
                d.gcellgrid.append((s[0].upper(), int(s[1]), int(s[3]), int(s[5])))
            elif word == "COMPONENTS":
                _components(cur, d)
            elif word == "PINS":
                _pins(cur, d)
            elif word in ("NETS", "SPECIALNETS"):
                _nets(cur, word, d.nets if word == "NETS" else d.specialnets)
            elif word == "VIAS":
                cur.skip_statement()
                body = _verbatim(cur, "VIAS")
                d.vias = [v for v in body.split("\n") if v]
            elif word == "END" and cur.peek().upper() == "DESIGN":
                break
            elif word in ("PROPERTYDEFINITIONS",):
                _verbatim(cur, word)  # property definitions are not written back
            elif word in ("REGIONS", "BLOCKAGES", "GROUPS", "NONDEFAULTRULES", "FILLS",
                          "SCANCHAINS", "STYLES", "SLOTS", "PINPROPERTIES"):
                head = cur.skip_statement()
                d.extra.append((word, f"{word} {' '.join(head)} ;\n" + _verbatim(cur, word)))
            else:
                cur.skip_statement()
    except (ValueError, IndexError) as exc:
        raise cur.error(cur.peek(-1), f"malformed DEF ({type(exc).__name__}: {exc})") from None
    return d


def _fmt_rect(r: tuple[int, int, int, int]) -> str:
    return f"( {r[0]} {r[1]} ) ( {r[2]} {r[3]} )"


def def_text(d: Design) -> str:
    """The DEF text of a design (deterministic)."""
    out: list[str] = [f"VERSION {d.version} ;", f"DIVIDERCHAR {d.dividerchar} ;",
                      f"BUSBITCHARS {d.busbitchars} ;", f"DESIGN {d.name} ;",
                      f"UNITS DISTANCE MICRONS {d.dbu} ;", "",
                      f"DIEAREA {_fmt_rect(d.die_area)} ;", ""]
    for r in d.rows:
        out.append(f"ROW {r.name} {r.site} {r.x} {r.y} {r.orient} DO {r.num_x} BY {r.num_y} "
                   f"STEP {r.step_x} {r.step_y} ;")
    if d.rows:
        out.append("")
    for t in d.tracks:
        out.append(f"TRACKS {t.axis} {t.start} DO {t.num} STEP {t.step} LAYER "
                   f"{' '.join(t.layers)} ;")
    for axis, start, num, step in d.gcellgrid:
        out.append(f"GCELLGRID {axis} {start} DO {num} STEP {step} ;")
    if d.vias:
        out += ["", f"VIAS {len(d.vias)} ;", *(f"    {v}" for v in d.vias), "END VIAS"]
    for _, body in d.extra:
        if not body.startswith(("BLOCKAGES",)):
            out += ["", body]
            out.append("END " + body.split()[0])
    c = d.components
    out += ["", f"COMPONENTS {len(c)} ;"]
    xs, ys = c.x.tolist(), c.y.tolist()
    for i, name in enumerate(c.names):
        st = c.status[i]
        place = "" if st == "UNPLACED" else f" + {st} ( {xs[i]} {ys[i]} ) {c.orients[i]}"
        extra = f" {c.extra[i]}" if c.extra and c.extra[i] else ""
        out.append(f"    - {name} {c.macros[i]}{place}{extra} ;")
    out.append("END COMPONENTS")
    out += ["", f"PINS {len(d.pins)} ;"]
    for p in d.pins:
        line = f"    - {p.name} + NET {p.net}"
        if p.special:
            line += " + SPECIAL"
        if p.direction:
            line += f" + DIRECTION {p.direction}"
        if p.use:
            line += f" + USE {p.use}"
        for layer, r in p.shapes:
            line += f"\n      + LAYER {layer} {_fmt_rect(r)}"
        if p.status:
            line += f"\n      + {p.status} ( {p.x} {p.y} ) {p.orient}"
        out.append(line + " ;")
    out.append("END PINS")
    for _, body in d.extra:
        if body.startswith("BLOCKAGES"):
            out += ["", body, "END BLOCKAGES"]
    if d.specialnets:
        out += ["", f"SPECIALNETS {len(d.specialnets)} ;"]
        out += [write_net(n) for n in d.specialnets]
        out.append("END SPECIALNETS")
    out += ["", f"NETS {len(d.nets)} ;"]
    out += [write_net(n) for n in d.nets]
    out += ["END NETS", "", "END DESIGN", ""]
    return "\n".join(out)


def write_def(d: Design, path: FsPath | str) -> None:
    """Write a design as DEF 5.8, atomically (temp file then rename)."""
    with atomic_path(FsPath(path)) as tmp:
        tmp.write_text(def_text(d), encoding="utf-8")
