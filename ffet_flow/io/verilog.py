"""Structural Verilog netlist reader (the gate-level subset Yosys `write_verilog` produces).

`read_verilog(path, top=None) -> Netlist`. Supported: module headers (ANSI and non-ANSI ports),
`input`/`output`/`inout`/`wire` declarations with `[msb:lsb]` ranges, cell instances with named
connections (`.A(net)`), bit-selects, part-selects and `{...}` concatenations (bit-blasted),
constants (`1'b0`, `1'h1`, `4'b0101`), `assign` of bit vectors (net aliases), escaped identifiers,
`//` and `/* */` comments and `(* attributes *)`. Behavioural code is refused with a one-line
ConfigError naming the file and line.

Bit names: a scalar `n`, a bus bit `n[3]`; escaped identifiers lose their backslash. Constants
are the strings "1'b0" and "1'b1" (x/z bits become "1'bx").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.io._tokens import Cursor, read_text

CONST0, CONST1, CONSTX = "1'b0", "1'b1", "1'bx"

_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/|\(\*.*?\*\)", re.S)
_TOKEN = re.compile(r"\\\S+|[A-Za-z_$][\w$]*|\d*\s*'[sS]?[bBhHdDoO]\s*[0-9a-fA-FxXzZ_?]+|\d+"
                    r"|[()\[\]{}.,;:=#]|\S")
_KEYWORDS_BEHAVIOURAL = {"always", "initial", "reg", "function", "task", "generate", "if",
                         "case", "for", "assign_deassign"}


@dataclass(frozen=True)
class Port:
    name: str
    direction: str  # input | output | inout
    msb: int | None = None  # None for a scalar port
    lsb: int | None = None

    def bits(self) -> list[str]:
        if self.msb is None:
            return [self.name]
        step = -1 if self.msb >= self.lsb else 1
        return [f"{self.name}[{i}]" for i in range(self.msb, self.lsb + step, step)]


@dataclass
class Instance:
    name: str
    cell: str
    conns: dict[str, str]  # pin -> bit net name (or constant)
    line: int = 0


@dataclass
class Netlist:
    module: str
    ports: list[Port] = field(default_factory=list)
    instances: list[Instance] = field(default_factory=list)
    assigns: list[tuple[str, str]] = field(default_factory=list)  # (lhs bit, rhs bit)
    wires: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    path: str = ""

    def port_bits(self) -> list[tuple[str, str]]:
        """(bit name, direction) of every port bit, in declaration order."""
        return [(b, p.direction) for p in self.ports for b in p.bits()]

    def alias_map(self) -> dict[str, str]:
        """Canonical name of every net bit joined by `assign`s (port names win, then constants)."""
        parent: dict[str, str] = {}

        def find(a: str) -> str:
            root = a
            while parent.get(root, root) != root:
                root = parent[root]
            while parent.get(a, a) != root:
                parent[a], a = root, parent[a]
            return root

        ports = {b for b, _ in self.port_bits()}

        def rank(n: str) -> tuple[int, str]:
            return (0 if n.startswith("1'b") else 1 if n in ports else 2, n)

        for lhs, rhs in self.assigns:
            a, b = find(lhs), find(rhs)
            if a != b:
                keep, drop = sorted((a, b), key=rank)
                parent[drop] = keep
        names = {n for pair in self.assigns for n in pair}
        return {n: find(n) for n in sorted(names)}


class _Parser(Cursor):
    """Verilog tokens with their line numbers; moves (peek, next) from the LEF/DEF Cursor,
    case-sensitive `expect` and identifiers of its own."""

    def __init__(self, text: str, path: str):
        self.path = path
        clean = _COMMENTS.sub(lambda m: "\n" * m.group().count("\n"), text)
        self.toks: list[str] = []
        self.lines: list[int] = []
        line = 1
        pos = 0
        for m in _TOKEN.finditer(clean):
            line += clean.count("\n", pos, m.start())
            pos = m.start()
            self.toks.append(m.group())
            self.lines.append(line)
        self.i = 0

    def error(self, value: str, allowed: str) -> ConfigError:
        line = self.lines[min(self.i, len(self.lines) - 1)] if self.lines else 0
        return ConfigError(Issue(self.path, f"line {line}", value, allowed))

    def expect(self, t: str) -> None:
        got = self.next()
        if got != t:
            self.i -= 1
            raise self.error(got, f"expected {t!r}")

    def ident(self) -> str:
        t = self.next()
        if t.startswith("\\"):
            return t[1:]
        if not re.match(r"[A-Za-z_$]", t):
            self.i -= 1
            raise self.error(t, "expected an identifier")
        return t

    def integer(self) -> int:
        t = self.next()
        if not t.isdigit():
            self.i -= 1
            raise self.error(t, "expected an integer")
        return int(t)

    def range_(self) -> tuple[int | None, int | None]:
        if self.peek() != "[":
            return None, None
        self.next()
        msb = self.integer()
        self.expect(":")
        lsb = self.integer()
        self.expect("]")
        return msb, lsb

    def modules(self) -> list[Netlist]:
        out = []
        while self.i < len(self.toks):
            t = self.next()
            if t == "module":
                out.append(self.module())
            elif t != ";":
                self.i -= 1
                raise self.error(t, "expected 'module'")
        return out

    def module(self) -> Netlist:
        nl = Netlist(self.ident(), path=self.path)
        declared: dict[str, Port] = {}
        order: list[str] = []
        if self.peek() == "#":
            raise self.error("#", "parameterized modules are not supported in a netlist")
        if self.peek() == "(":
            self.next()
            direction = ""
            rng: tuple[int | None, int | None] = (None, None)
            while self.peek() != ")":
                t = self.peek()
                if t in ("input", "output", "inout"):
                    direction = self.next()
                    if self.peek() == "wire":
                        self.next()
                    rng = self.range_()
                    continue
                name = self.ident()
                order.append(name)
                if direction:
                    declared[name] = Port(name, direction, *rng)
                if self.peek() == ",":
                    self.next()
            self.next()
        self.expect(";")
        while True:
            t = self.next()
            if t == "endmodule":
                break
            if t in ("input", "output", "inout", "wire", "tri", "supply0", "supply1"):
                if self.peek() in ("wire", "signed"):
                    self.next()
                rng = self.range_()
                while True:
                    name = self.ident()
                    if t in ("input", "output", "inout"):
                        declared[name] = Port(name, t, *rng)
                    else:
                        nl.wires[name] = rng
                    if self.peek() == "=":
                        self.next()
                        nl.assigns += self._pairs([name] if rng[0] is None else
                                                  Port(name, "", *rng).bits(), self.expr(nl))
                    if self.next() == ";":
                        break
            elif t == "assign":
                lhs = self.expr(nl)
                self.expect("=")
                rhs = self.expr(nl)
                self.expect(";")
                nl.assigns += self._pairs(lhs, rhs)
            elif t in _KEYWORDS_BEHAVIOURAL:
                self.i -= 1
                raise self.error(t, "behavioural code; a structural gate netlist was expected")
            else:
                self.i -= 1
                nl.instances.append(self.instance(nl))
        for name in order:
            if name in declared:
                nl.ports.append(declared[name])
            else:
                raise self.error(name, f"port {name!r} of module {nl.module} has no direction")
        for p in nl.ports:
            nl.wires.setdefault(p.name, (p.msb, p.lsb))
        return nl

    def _pairs(self, lhs: list[str], rhs: list[str]) -> list[tuple[str, str]]:
        if len(rhs) < len(lhs):  # Verilog zero-extends on the left
            rhs = [CONST0] * (len(lhs) - len(rhs)) + rhs
        return list(zip(lhs, rhs[len(rhs) - len(lhs):], strict=True))

    def instance(self, nl: Netlist) -> Instance:
        line = self.lines[self.i]
        cell = self.ident()
        if self.peek() == "#":
            raise self.error("#", "parameterized instances are not supported in a netlist")
        name = self.ident()
        if self.peek() == "[":
            raise self.error("[", "instance arrays are not supported")
        self.expect("(")
        conns: dict[str, str] = {}
        while self.peek() != ")":
            if self.peek() != ".":
                raise self.error(self.peek(), "positional connections are not supported; "
                                 "use named connections .PIN(net)")
            self.next()
            pin = self.ident()
            self.expect("(")
            bits = self.expr(nl) if self.peek() != ")" else []
            self.expect(")")
            if len(bits) > 1:
                raise self.error(pin, f"pin {pin} of {name} is connected to {len(bits)} bits; "
                                 "cell pins are single-bit")
            if bits:
                conns[pin] = bits[0]
            if self.peek() == ",":
                self.next()
        self.next()
        self.expect(";")
        return Instance(name, cell, conns, line)

    def expr(self, nl: Netlist) -> list[str]:
        """Bits of an expression, most significant first."""
        t = self.peek()
        if t == "{":
            self.next()
            bits: list[str] = []
            while True:
                bits += self.expr(nl)
                if self.next() == "}":
                    return bits
        if "'" in t:
            self.next()
            return _const_bits(t)
        if t.isdigit():
            self.next()
            return _const_bits(f"32'd{t}")
        name = self.ident()
        if self.peek() == "[":
            self.next()
            hi = self.integer()
            lo = hi
            if self.peek() == ":":
                self.next()
                lo = self.integer()
            self.expect("]")
            step = -1 if hi >= lo else 1
            return [f"{name}[{i}]" for i in range(hi, lo + step, step)]
        msb, lsb = nl.wires.get(name, (None, None))
        if msb is None:
            return [name]
        return Port(name, "", msb, lsb).bits()


def _const_bits(text: str) -> list[str]:
    """Bits (MSB first) of a sized/based literal like 4'b01x0, 8'hff, 1'd1."""
    text = text.replace(" ", "").replace("_", "")
    size_s, _, rest = text.partition("'")
    rest = rest.lstrip("sS")
    base, digits = rest[0].lower(), rest[1:].lower()
    if base == "d":
        bits = bin(int(digits))[2:]
    else:
        per = {"b": 1, "o": 3, "h": 4}[base]
        bits = "".join(("x" * per if c in "xz?" else bin(int(c, 16))[2:].zfill(per))
                       for c in digits)
    size = int(size_s) if size_s else max(len(bits), 1)
    bits = bits[-size:].rjust(size, "0")
    return [CONST0 if b == "0" else CONST1 if b == "1" else CONSTX for b in bits]


def read_verilog(path: Path | str, top: str | None = None) -> Netlist:
    """Read a structural netlist; return the `top` module (default: the one nobody instantiates)."""
    text = read_text(Path(path), "netlist")
    modules = _Parser(text, str(path)).modules()
    if not modules:
        raise ConfigError(Issue(str(path), "module", "", "no module in the netlist"))
    by_name = {m.module: m for m in modules}
    if top is not None:
        if top not in by_name:
            raise ConfigError(Issue(str(path), "top", top,
                                    "allowed: one of " + ", ".join(sorted(by_name))))
        return by_name[top]
    used = {inst.cell for m in modules for inst in m.instances}
    roots = [m for m in modules if m.module not in used]
    if len(roots) != 1:
        raise ConfigError(Issue(str(path), "top", ", ".join(m.module for m in roots),
                                "several top modules; name one with top="))
    return roots[0]
