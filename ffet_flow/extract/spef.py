"""SPEF (IEEE 1481) writer for extracted dual-sided nets, and a small reader for tests.

Layout written: header (units 1 NS, 1 FF, 1 OHM, 1 HENRY; divider '/', delimiter ':', bus
delimiter '[ ]'), `*NAME_MAP` (nets, instances and ports as `*<n>`), `*PORTS`, then one
`*D_NET` per net with `*CONN` (pins, with the driver's cell as `*D`), `*CAP` (ground
capacitance per node, coupling folded in) and `*RES`. The `*D_NET` total equals the sum of its
`*CAP` entries: wire capacitance only, because `*DESIGN_FLOW "PIN_CAP NONE"` tells the reader
(OpenSTA) to add the Liberty pin capacitances itself.

Output is deterministic: nets, instances and ports are numbered in sorted name order, values are
printed with a fixed format, and the *DATE line is fixed (the run's files carry their own time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.extract.rctree import RcNet
from ffet_flow.util import atomic_path

_PLAIN = re.compile(r"[A-Za-z0-9_]")
_BUS_BIT = re.compile(r"^(.*)\[(\d+)\]$")

_COUPLING_NOTES = {
    "worst": ("Coupling capacitance is folded into ground capacitance (both same-level",
              "neighbours at minimum spacing along every wire, Wong/PTM model);",
              "no *CC entries are written."),
    "neighbours": ("Coupling capacitance is folded into ground capacitance: per wire side,",
                   "minimum-spacing Wong/PTM C where the adjacent track holds wiring, the",
                   "isolated-line ground C where it is empty; no *CC entries are written."),
}


def header_notes(coupling: str = "worst") -> tuple[str, ...]:
    """The SPEF header comment: what the file models (coupling mode: 'worst'|'neighbours')."""
    return ("Dual-sided extraction by ffet-flow: front (M*) and back (BM*) wiring of a net are",
            "one RC tree joined at the driver's dual-sided output pin.",
            *_COUPLING_NOTES[coupling],
            "Pin capacitances are not included (PIN_CAP NONE): the timer adds them from the",
            "Liberty.")


HEADER_NOTES = header_notes("worst")


@lru_cache(maxsize=1 << 16)
def spef_escape(name: str) -> str:
    """Escape a netlist name for SPEF: every character other than letters, digits and '_' gets
    a backslash, except the brackets of one trailing bus subscript `[n]`."""
    m = _BUS_BIT.match(name)
    base, bit = (m.group(1), m.group(2)) if m else (name, None)
    out = "".join(c if _PLAIN.match(c) else "\\" + c for c in base)
    return out if bit is None else f"{out}[{bit}]"


def _fmt(v: float) -> str:
    return f"{v:.6g}"


@dataclass(frozen=True)
class Port:
    name: str
    direction: str  # "I" | "O" | "B"


def spef_text(design: str, nets: Sequence[RcNet], ports: Sequence[Port],
              notes: Iterable[str] = HEADER_NOTES) -> str:
    """The SPEF text of `nets` (see module docstring)."""
    net_names = sorted({n.name for n in nets})
    insts = sorted({p.inst for n in nets for p in n.pins if p.inst is not None})
    port_names = sorted({p.name for p in ports})
    index: dict[tuple[str, str], int] = {}
    lines = [f"// {line}" for line in notes]
    lines += ['*SPEF "IEEE 1481-1998"', f'*DESIGN "{design}"', '*DATE "not recorded"',
              '*VENDOR "ffet-flow"', '*PROGRAM "ffet extract"', '*VERSION "1"',
              '*DESIGN_FLOW "PIN_CAP NONE" "NAME_SCOPE LOCAL"',
              "*DIVIDER /", "*DELIMITER :", "*BUS_DELIMITER [ ]",
              "*T_UNIT 1 NS", "*C_UNIT 1 FF", "*R_UNIT 1 OHM", "*L_UNIT 1 HENRY", "",
              "*NAME_MAP", ""]
    k = 0
    for kind, names in (("port", port_names), ("net", net_names), ("inst", insts)):
        for name in names:
            if (kind == "net" and ("port", name) in index):
                index[("net", name)] = index[("port", name)]  # a net named like its port
                continue
            k += 1
            index[(kind, name)] = k
            lines.append(f"*{k} {spef_escape(name)}")
    lines += ["", "*PORTS", ""]
    for p in sorted(ports, key=lambda p: p.name):
        lines.append(f"*{index[('port', p.name)]} {p.direction}")
    lines.append("")

    for net in sorted(nets, key=lambda n: n.name):
        nid = index[("net", net.name)]

        pin_names = [f"*{index[('port', p.pin)]}" if p.inst is None
                     else f"*{index[('inst', p.inst)]}:{spef_escape(p.pin)}" for p in net.pins]

        def node(key: object, _pins=pin_names, _nid=nid) -> str:
            if isinstance(key, tuple):
                return _pins[key[1]]
            return f"*{_nid}:{key + 1}"

        lines.append(f"*D_NET *{nid} {_fmt(net.total_cap)}")
        lines.append("*CONN")
        for pin, label in zip(net.pins, pin_names, strict=True):
            if pin.inst is None:
                lines.append(f"*P {label} {pin.direction}")
            else:
                d = f" *D {pin.cell}" if pin.cell else ""
                lines.append(f"*I {label} {pin.direction}{d}")
        if net.caps:
            lines.append("*CAP")
            for i, key in enumerate(sorted(net.caps, key=_node_order), start=1):
                lines.append(f"{i} {node(key)} {_fmt(net.caps[key])}")
        if net.resistors:
            lines.append("*RES")
            for i, (a, b, r) in enumerate(net.resistors, start=1):
                lines.append(f"{i} {node(a)} {node(b)} {_fmt(r)}")
        lines.append("*END")
        lines.append("")
    return "\n".join(lines)


def _node_order(key: object) -> tuple[int, int]:
    return (0, key[1]) if isinstance(key, tuple) else (1, int(key))


def write_spef(path: Path, design: str, nets: Sequence[RcNet], ports: Sequence[Port],
               notes: Iterable[str] = HEADER_NOTES) -> None:
    """Write the SPEF atomically."""
    text = spef_text(design, nets, ports, notes)
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- reader (tests, checks)

@dataclass
class SpefNet:
    """One *D_NET as read back: names resolved through the name map, values in the file's
    units (FF, OHM)."""

    name: str
    total_cap: float
    conns: list[tuple[str, str, str]] = field(default_factory=list)  # (kind P|I, node, dir)
    caps: dict[str, float] = field(default_factory=dict)
    resistors: list[tuple[str, str, float]] = field(default_factory=list)


@dataclass
class Spef:
    design: str
    units: dict[str, str]
    ports: dict[str, str]
    nets: dict[str, SpefNet]
    comments: list[str]


def _unescape(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name)


def parse_spef(text: str, source: str = "<spef>") -> Spef:
    """Parse the subset of SPEF this module writes (no *CC, no *L, no coordinates)."""
    names: dict[str, str] = {}
    units: dict[str, str] = {}
    ports: dict[str, str] = {}
    nets: dict[str, SpefNet] = {}
    comments: list[str] = []
    design = ""
    section = ""
    cur: SpefNet | None = None

    def resolve(tok: str) -> str:
        if not tok.startswith("*"):
            return _unescape(tok)
        head, sep, tail = tok[1:].partition(":")
        base = names.get(head)
        if base is None:
            raise ConfigError(Issue(source, "name map", tok, "index not in *NAME_MAP"))
        return base + (sep + _unescape(tail) if sep else "")

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("//"):
            comments.append(line[2:].strip())
            continue
        parts = line.split()
        head = parts[0]
        try:
            if head == "*DESIGN":
                design = line.split('"')[1]
            elif head in ("*T_UNIT", "*C_UNIT", "*R_UNIT", "*L_UNIT"):
                units[head[1:]] = " ".join(parts[1:])
            elif head in ("*NAME_MAP", "*PORTS", "*CONN", "*CAP", "*RES"):
                section = head
            elif head == "*D_NET":
                cur = SpefNet(resolve(parts[1]), float(parts[2]))
                nets[cur.name] = cur
                section = ""
            elif head == "*END":
                cur, section = None, ""
            elif section == "*NAME_MAP" and head.startswith("*"):
                names[head[1:]] = _unescape(parts[1])
            elif section == "*PORTS":
                ports[resolve(head)] = parts[1]
            elif section == "*CONN" and cur is not None and head in ("*P", "*I"):
                cur.conns.append((head[1:], resolve(parts[1]), parts[2]))
            elif section == "*CAP" and cur is not None:
                cur.caps[resolve(parts[1])] = float(parts[2])
            elif section == "*RES" and cur is not None:
                cur.resistors.append((resolve(parts[1]), resolve(parts[2]), float(parts[3])))
        except (IndexError, ValueError):
            raise ConfigError(Issue(source, f"line {lineno}", line, "malformed SPEF line")) \
                from None
    return Spef(design, units, ports, nets, comments)


def read_spef(path: Path | str) -> Spef:
    return parse_spef(Path(path).read_text(encoding="utf-8"), str(path))
