"""A small Liberty (.lib) reader: cells, pins, direction, capacitance, area, function, and on
request the NLDM delay tables of the timing arcs.

Only what extraction, synthesis checks, the flow and the benchmarks need. Power tables are
always skipped and timing groups are skipped unless `timing=True` (brace-matched, not parsed),
so reading a generated library of a few MB takes well under a second. Units: capacitances are
returned in fF, areas in um^2 and delay tables in ns whatever the library's
`capacitive_load_unit` and `time_unit` say (converted with them), so callers never see the
file's units.

Malformed text raises ConfigError naming the file and line (a Liberty file read back is user
input, DESIGN.md section 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue

# One token: a comment, a quoted string, a punctuation mark, or a bare word (which in Liberty
# may hold digits, signs, dots, letters, '!' and the like).
_TOKEN = re.compile(r"""
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<punct>[{}();:,])
  | (?P<cont>\\\r?\n)
  | (?P<newline>\n)
  | (?P<space>[ \t\r]+)
  | (?P<word>[^\s{}();:,"]+)
""", re.VERBOSE | re.DOTALL)

_CAP_UNITS_FF = {"ff": 1.0, "pf": 1e3, "nf": 1e6, "uf": 1e9}
_TIME_UNITS_NS = {"ps": 1e-3, "ns": 1.0, "us": 1e3}
_TIME_UNIT = re.compile(r"^\s*([0-9.]+)\s*(ps|ns|us)\s*$", re.IGNORECASE)

#: the NLDM tables of a timing group kept when timing is read: delays and output transitions
DELAY_TABLES = ("cell_rise", "cell_fall", "rise_transition", "fall_transition")


@dataclass(frozen=True)
class LibTiming:
    """One timing arc, held by the pin it ends at: related pin(s) as written, timing type and
    sense, and the delay tables present (`DELAY_TABLES`) in ns, rows along the template's
    index_1 (input transition), columns along index_2 (output load)."""

    related_pin: str
    timing_type: str = "combinational"
    timing_sense: str = ""
    tables: dict[str, tuple[tuple[float, ...], ...]] = field(default_factory=dict)

    def middle(self, table: str) -> float | None:
        """The table's value at its middle row and column (None if the arc lacks the table)."""
        rows = self.tables.get(table)
        if not rows:
            return None
        row = rows[len(rows) // 2]
        return row[len(row) // 2]


@dataclass(frozen=True)
class LibPin:
    """One cell pin. capacitance in fF (the max of rise/fall when only those are given)."""

    name: str
    direction: str  # "input" | "output" | "inout" | "internal"
    capacitance: float = 0.0
    function: str = ""
    is_clock: bool = False
    max_capacitance: float = 0.0  # fF; 0 = the pin sets no limit
    timing: tuple[LibTiming, ...] = ()  # arcs ending here; read only with timing=True


@dataclass(frozen=True)
class LibCell:
    """One cell: area in um^2, pins by name, and the kind of state element it holds."""

    name: str
    area: float
    pins: dict[str, LibPin] = field(default_factory=dict)
    is_ff: bool = False
    is_latch: bool = False
    dont_use: bool = False
    leakage_nw: float = 0.0  # cell_leakage_power in the library's leakage unit (as given)

    def inputs(self) -> list[str]:
        return [p.name for p in self.pins.values() if p.direction == "input"]

    def outputs(self) -> list[str]:
        return [p.name for p in self.pins.values() if p.direction == "output"]


@dataclass(frozen=True)
class Library:
    name: str
    cells: dict[str, LibCell]
    time_unit: str = "1ns"
    capacitive_load_unit: tuple[float, str] = (1.0, "ff")
    voltage: float | None = None  # nom_voltage, V

    def pin_cap(self, cell: str, pin: str) -> float:
        """Input capacitance of `cell`/`pin` in fF (KeyError if unknown)."""
        return self.cells[cell].pins[pin].capacitance

    def single_stage(self, inverting: bool) -> list[LibCell]:
        """Combinational one-input, one-output cells whose function is their input (buffers)
        or its complement (inverters, `inverting`), by name."""
        out = []
        for c in self.cells.values():
            if len(c.inputs()) != 1 or len(c.outputs()) != 1 or c.is_ff or c.is_latch:
                continue
            a = c.inputs()[0]
            f = c.pins[c.outputs()[0]].function.replace(" ", "")
            if (f in (f"!{a}", f"{a}'", f"!({a})")) if inverting else f == a:
                out.append(c)
        return sorted(out, key=lambda c: c.name)

    def largest_buffer(self) -> LibCell | None:
        """The buffer of largest area (the strongest drive), None when there is none."""
        return min(self.single_stage(inverting=False), key=lambda c: (-c.area, c.name),
                   default=None)


_SKIP = re.compile(r'"(?:[^"\\]|\\.)*"|/\*.*?\*/|//[^\n]*|[{}]', re.DOTALL)
_EOF = ("eof", "", 0)


class _Parser:
    """Recursive-descent parser over a lazily tokenized text, keeping a generic tree of the
    groups we care about and skipping every other group by scanning for its closing brace
    (strings and comments respected), so timing and power tables are never tokenized."""

    KEEP = frozenset({"library", "cell", "pin", "bus", "bundle", "ff", "latch",
                      "operating_conditions"})

    def __init__(self, text: str, source: str, keep: frozenset[str] = KEEP):
        self.source = source
        self.keep = keep
        self.text = text
        self.pos = 0
        self.line = 1
        self._ahead: tuple[str, str, int] | None = None
        self.last: tuple[str, str, int] = _EOF

    def _scan(self) -> tuple[str, str, int]:
        text, n, match = self.text, len(self.text), _TOKEN.match
        while self.pos < n:
            m = match(text, self.pos)
            if m is None:
                raise ConfigError(Issue(self.source, f"line {self.line}",
                                        text[self.pos:self.pos + 20],
                                        "unexpected character in Liberty text"))
            kind = m.lastgroup
            value = m.group(kind)
            self.pos = m.end()
            if kind == "newline":
                self.line += 1
            elif kind in ("comment", "cont"):
                self.line += value.count("\n")
            elif kind != "space":
                return kind, value, self.line
        return _EOF

    def error(self, message: str) -> ConfigError:
        tok = self._ahead if self._ahead is not None else self.last
        return ConfigError(Issue(self.source, f"line {tok[2] or self.line}", tok[1], message))

    def peek(self) -> tuple[str, str, int] | None:
        if self._ahead is None:
            self._ahead = self._scan()
        return None if self._ahead is _EOF else self._ahead

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise self.error("unexpected end of file" + (f", expected {value!r}" if value else ""))
        if value is not None and tok[1] != value:
            raise self.error(f"expected {value!r}")
        self._ahead = None
        self.last = tok
        return tok

    def args(self) -> list[str]:
        self.take("(")
        out: list[str] = []
        while True:
            kind, value, _ = self.take()
            if value == ")":
                return out
            if value == ",":
                continue
            out.append(value[1:-1] if kind == "string" else value)

    def skip_group(self) -> None:
        """Jump past the '}' closing the group whose '{' was just taken."""
        assert self._ahead is None
        depth = 1
        for m in _SKIP.finditer(self.text, self.pos):
            v = m.group()
            if v == "{":
                depth += 1
            elif v == "}":
                depth -= 1
                if depth == 0:
                    self.line += self.text.count("\n", self.pos, m.end())
                    self.pos = m.end()
                    return
        self.line += self.text.count("\n", self.pos)
        self.pos = len(self.text)
        raise self.error("unbalanced braces: '}' missing")

    def statement(self, into: dict) -> None:
        """One attribute or group inside the current group, stored into `into`."""
        kind, name, line = self.take()
        if kind != "word":
            raise self.error("expected an attribute or group name")
        nxt = self.peek()
        if nxt is None:
            raise self.error("unexpected end of file")
        if nxt[1] == ":":
            self.take(":")
            parts = []
            while (tok := self.peek()) is not None and tok[1] not in (";", "}") and tok[2] == line:
                self.take()
                parts.append(tok[1][1:-1] if tok[0] == "string" else tok[1])
            if self.peek() is not None and self.peek()[1] == ";":
                self.take()
            into.setdefault("attrs", {})[name] = " ".join(parts)
            return
        if nxt[1] == "(":
            args = self.args()
            tok = self.peek()
            if tok is not None and tok[1] == "{":
                self.take("{")
                if name in self.keep:
                    group = {"type": name, "args": args, "line": line}
                    self.body(group)
                    into.setdefault("groups", []).append(group)
                else:
                    self.skip_group()
                return
            if tok is not None and tok[1] == ";":
                self.take()
            into.setdefault("complex", {})[name] = args
            return
        raise self.error("expected ':' or '(' after the name")

    def body(self, group: dict) -> None:
        while True:
            tok = self.peek()
            if tok is None:
                raise self.error(f"group {group['type']} opened on line {group['line']} "
                                 "is not closed")
            if tok[1] == "}":
                self.take()
                return
            if tok[1] == ";":
                self.take()
                continue
            self.statement(group)

    def parse(self) -> dict:
        root: dict = {}
        while self.peek() is not None:
            self.statement(root)
        libs = [g for g in root.get("groups", []) if g["type"] == "library"]
        if len(libs) != 1:
            raise ConfigError(Issue(self.source, "library", len(libs),
                                    "exactly one library group expected"))
        return libs[0]


def _float(value: str, source: str, what: str, line: int) -> float:
    try:
        return float(value)
    except ValueError:
        raise ConfigError(Issue(source, f"line {line}", value, f"{what} must be a number")) \
            from None


def _time_scale(time_unit: str, source: str) -> float:
    """ns per unit of the library's `time_unit` ("1ns", "1ps", "10ps", ...)."""
    m = _TIME_UNIT.match(time_unit)
    if not m:
        raise ConfigError(Issue(source, "time_unit", time_unit, "expected a number and ps|ns|us"))
    return _float(m.group(1), source, "time_unit", 0) * _TIME_UNITS_NS[m.group(2).lower()]


def _timing(group: dict, time_scale: float, source: str) -> LibTiming:
    attrs = group.get("attrs", {})
    tables = {}
    for sub in group.get("groups", []):
        if sub["type"] not in DELAY_TABLES:
            continue
        rows = sub.get("complex", {}).get("values")
        if not rows:
            raise ConfigError(Issue(source, f"line {sub['line']}", sub["type"],
                                    "table has no values"))
        tables[sub["type"]] = tuple(
            tuple(_float(v, source, f"{sub['type']} value", sub["line"]) * time_scale
                  for v in row.split(","))
            for row in rows)
    return LibTiming(related_pin=attrs.get("related_pin", ""),
                     timing_type=attrs.get("timing_type", "combinational"),
                     timing_sense=attrs.get("timing_sense", ""), tables=tables)


def _pin(group: dict, scale: float, source: str, time_scale: float = 0.0) -> list[LibPin]:
    attrs = group.get("attrs", {})
    line = group["line"]
    cap = 0.0
    if "capacitance" in attrs:
        cap = _float(attrs["capacitance"], source, "capacitance", line)
    else:
        rf = [_float(attrs[k], source, k, line)
              for k in ("rise_capacitance", "fall_capacitance") if k in attrs]
        cap = max(rf) if rf else 0.0
    direction = attrs.get("direction", "")
    if direction not in ("input", "output", "inout", "internal"):
        raise ConfigError(Issue(source, f"line {line}", direction,
                                f"pin {','.join(group['args'])}: direction must be input, "
                                "output, inout or internal"))
    limit = (_float(attrs["max_capacitance"], source, "max_capacitance", line)
             if "max_capacitance" in attrs else 0.0)
    arcs = tuple(_timing(g, time_scale, source) for g in group.get("groups", [])
                 if g["type"] == "timing")
    return [LibPin(name=name, direction=direction, capacitance=cap * scale,
                   function=attrs.get("function", ""),
                   is_clock=attrs.get("clock", "false") == "true",
                   max_capacitance=limit * scale, timing=arcs)
            for name in group["args"]]


def parse_liberty(text: str, source: str = "<liberty>", timing: bool = False) -> Library:
    """Parse Liberty text; see module docstring for what is kept. `timing` also reads every
    pin's timing groups and their delay tables (slower: those tables are then tokenized)."""
    keep = _Parser.KEEP | ({"timing", *DELAY_TABLES} if timing else set())
    lib = _Parser(text, source, frozenset(keep)).parse()
    la = lib.get("attrs", {})
    time_scale = _time_scale(la.get("time_unit", "1ns"), source) if timing else 0.0
    cap_unit = lib.get("complex", {}).get("capacitive_load_unit", ["1", "ff"])
    try:
        scale = float(cap_unit[0]) * _CAP_UNITS_FF[cap_unit[1].lower()]
    except (IndexError, KeyError, ValueError):
        raise ConfigError(Issue(source, "capacitive_load_unit", cap_unit,
                                "expected (number, ff|pf|nf|uf)")) from None
    cells: dict[str, LibCell] = {}
    for g in lib.get("groups", []):
        if g["type"] != "cell":
            continue
        attrs = g.get("attrs", {})
        name = g["args"][0] if g["args"] else ""
        pins: dict[str, LibPin] = {}
        kinds = set()
        for sub in g.get("groups", []):
            if sub["type"] == "pin":
                for p in _pin(sub, scale, source, time_scale):
                    pins[p.name] = p
            elif sub["type"] in ("bus", "bundle"):
                for pg in sub.get("groups", []):
                    if pg["type"] == "pin":
                        for p in _pin(pg, scale, source, time_scale):
                            pins[p.name] = p
            kinds.add(sub["type"])
        cells[name] = LibCell(
            name=name, area=_float(attrs.get("area", "0"), source, "area", g["line"]),
            pins=pins, is_ff="ff" in kinds, is_latch="latch" in kinds,
            dont_use=attrs.get("dont_use", "false") == "true",
            leakage_nw=_float(attrs.get("cell_leakage_power", "0"), source,
                              "cell_leakage_power", g["line"]))
    voltage = _float(la["nom_voltage"], source, "nom_voltage", lib["line"]) \
        if "nom_voltage" in la else None
    return Library(name=lib["args"][0] if lib["args"] else "", cells=cells,
                   time_unit=la.get("time_unit", "1ns"),
                   capacitive_load_unit=(float(cap_unit[0]), cap_unit[1].lower()),
                   voltage=voltage)


def read_liberty(path: Path | str, timing: bool = False) -> Library:
    """Read a Liberty file (ConfigError if missing or malformed); `timing` as parse_liberty."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(Issue(str(path), "file", str(path),
                                f"cannot be read: {exc.strerror}")) from None
    return parse_liberty(text, str(path), timing)
