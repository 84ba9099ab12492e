"""DEF NETS / SPECIALNETS entries: connections and routed wiring (used by def_.py).

A routed net is a list of `Path`s, one per `ROUTED`/`NEW` statement. A path is a layer, an
optional width (SPECIALNETS), an optional SHAPE, and a sequence of items, each one of
  (x, y)               a point (dbu; `*` in the file resolved to the previous coordinate)
  (x, y, ext)          a point with a wire extension
  "via_name"           a via placed at the previous point
  ("RECT", dx0, dy0, dx1, dy1)   a rect relative to the previous point
  ("VIRTUAL", x, y)    a virtual point
  ("MASK", n)          mask of the next item
Writing a wire: Path("metal2", [(x0, y0), (x1, y1)]); a via: Path("metal2", [(x, y), "via2"]).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ffet_flow.io._tokens import Cursor

Item = tuple | str


@dataclass
class Path:
    layer: str
    items: list[Item] = field(default_factory=list)
    width: int | None = None  # SPECIALNETS only
    shape: str = ""  # SPECIALNETS: STRIPE, FOLLOWPIN, RING, ...
    status: str = "ROUTED"  # ROUTED | FIXED | COVER | NOSHIELD


@dataclass
class Net:
    """A DEF net. conns: (component name, pin name); component "PIN" for I/O pins, "*" for all."""

    name: str
    conns: list[tuple[str, str]] = field(default_factory=list)
    use: str = ""
    paths: list[Path] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # other "+ KEY ..." properties, verbatim
    shapes: list[tuple[str, str, tuple]] = field(default_factory=list)  # special RECT/POLYGON

    def segments(self) -> list[tuple[str, int, int, int, int, int | None]]:
        """Straight wire pieces (layer, x0, y0, x1, y1, width) between consecutive points."""
        out = []
        for p in self.paths:
            prev = None
            for it in p.items:
                if isinstance(it, tuple) and not isinstance(it[0], str):
                    if prev is not None and (prev[0], prev[1]) != (it[0], it[1]):
                        out.append((p.layer, prev[0], prev[1], it[0], it[1], p.width))
                    prev = it
        return out

    def vias(self) -> list[tuple[str, int, int]]:
        """Placed vias (via name, x, y) of the wiring."""
        out = []
        for p in self.paths:
            prev = None
            for it in p.items:
                if isinstance(it, str):
                    if prev is not None:
                        out.append((it, prev[0], prev[1]))
                elif not isinstance(it[0], str):
                    prev = it
        return out


_WIRE_STATUS = ("ROUTED", "FIXED", "COVER", "NOSHIELD")


def _point(cur: Cursor, prev: tuple | None) -> tuple:
    cur.expect("(")
    vals = []
    while (t := cur.next()) != ")":
        vals.append(t)
    x = prev[0] if vals[0] == "*" and prev else int(vals[0])
    y = prev[1] if vals[1] == "*" and prev else int(vals[1])
    if len(vals) > 2:
        return x, y, int(vals[2])
    return x, y


def _wiring(cur: Cursor, status: str, special: bool, net: Net) -> None:
    """Parse `layer [width] [+ SHAPE s] points... [NEW layer ...]...` after ROUTED/FIXED/..."""
    while True:
        path = Path(layer=cur.next(), status=status)
        if special and cur.peek() not in ("(", "+"):
            path.width = cur.integer()
        while cur.peek() == "+" and cur.peek(1).upper() in ("SHAPE", "STYLE", "MASK"):
            cur.next()
            key = cur.next().upper()
            val = cur.next()
            if key == "SHAPE":
                path.shape = val.upper()
        while cur.peek().upper() in ("TAPER", "TAPERRULE", "STYLE"):
            if cur.next().upper() != "TAPER":
                cur.next()
        prev: tuple | None = None
        while True:
            t = cur.peek()
            up = t.upper()
            if t == "(":
                prev = _point(cur, prev)
                path.items.append(prev)
            elif up == "MASK":
                cur.next()
                path.items.append(("MASK", cur.next()))
            elif up == "RECT":
                cur.next()
                cur.expect("(")
                vals = [cur.integer() for _ in range(4)]
                cur.expect(")")
                path.items.append(("RECT", *vals))
            elif up == "VIRTUAL":
                cur.next()
                pt = _point(cur, prev)
                path.items.append(("VIRTUAL", pt[0], pt[1]))
            elif t in (";", "+") or up == "NEW":
                break
            else:  # a via name, optionally followed by an orientation
                path.items.append(cur.next())
                if cur.peek().upper() in ("N", "S", "E", "W", "FN", "FS", "FE", "FW"):
                    cur.next()
        net.paths.append(path)
        if cur.peek().upper() != "NEW":
            return
        cur.next()


def parse_net(cur: Cursor, special: bool) -> Net:
    """Parse one `- name ... ;` entry of NETS or SPECIALNETS (cursor at the '-')."""
    cur.expect("-")
    net = Net(cur.next())
    while True:
        t = cur.next()
        if t == ";":
            return net
        if t == "(":
            comp, pin = cur.next(), cur.next()
            while cur.next() != ")":  # + SYNTHESIZED
                pass
            net.conns.append((comp, pin))
            continue
        if t != "+":
            continue
        key = cur.next().upper()
        if key in _WIRE_STATUS:
            _wiring(cur, key, special, net)
        elif key == "USE":
            net.use = cur.next().upper()
        elif special and key in ("RECT", "POLYGON"):
            layer = cur.next()
            pts = []
            while cur.peek() == "(":
                pts.append(_point(cur, pts[-1] if pts else None))
            net.shapes.append((key, layer, tuple(pts)))
        else:
            words = [key]
            while cur.peek() not in ("+", ";"):
                words.append(cur.next())
            net.extra.append(" ".join(words))


def _fmt_item(it: Item) -> str:
    if isinstance(it, str):
        return it
    if isinstance(it[0], str):
        if it[0] == "RECT":
            return f"RECT ( {it[1]} {it[2]} {it[3]} {it[4]} )"
        if it[0] == "VIRTUAL":
            return f"VIRTUAL ( {it[1]} {it[2]} )"
        return f"MASK {it[1]}"
    return "( " + " ".join(str(v) for v in it) + " )"


def write_net(net: Net) -> str:
    """DEF text of one net entry (deterministic)."""
    lines = [f"    - {net.name}"]
    conn = ""
    for comp, pin in net.conns:
        piece = f" ( {comp} {pin} )"
        if len(conn) + len(piece) > 90:
            lines.append("      " + conn.strip())
            conn = ""
        conn += piece
    if conn:
        lines.append("      " + conn.strip())
    for i, p in enumerate(net.paths):
        head = f"+ {p.status} " if i == 0 or p.status != net.paths[i - 1].status else "NEW "
        body = p.layer
        if p.width is not None:
            body += f" {p.width}"
        if p.shape:
            body += f" + SHAPE {p.shape}"
        body += " " + " ".join(_fmt_item(it) for it in p.items)
        lines.append("      " + head + body)
    for kind, layer, pts in net.shapes:
        lines.append(f"      + {kind} {layer} " + " ".join(_fmt_item(p) for p in pts))
    if net.use:
        lines.append(f"      + USE {net.use}")
    for e in net.extra:
        lines.append(f"      + {e}")
    lines[-1] += " ;"
    return "\n".join(lines)
