"""The description of one configuration key. Area modules declare their keys with `Key`;
`ffet_flow.config` gathers them into the one registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Key:
    """One knob: name, type, default, unit, allowed range, description, users, sweepability.

    kind is one of "int", "float", "str", "bool", "list[str]", "list[float]", "table[]"
    (a list of TOML tables whose entries are described by `fields`).
    """

    name: str
    kind: str
    default: Any
    description: str
    unit: str = ""
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    choices: tuple[Any, ...] | None = None
    steps: tuple[str, ...] = ()
    sweep: bool = False
    group: str = ""
    fields: tuple[Key, ...] = field(default=(), repr=False)
    optional: bool = False  # for table fields: may be omitted (then derived)

    def allowed(self) -> str:
        """Human description of the allowed values, used in error messages and --list."""
        if self.choices is not None:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        what = {"int": "integer", "float": "number", "str": "string", "bool": "true or false",
                "list[str]": "list of strings", "list[float]": "list of numbers",
                "table[]": "list of tables"}[self.kind]
        if self.min is not None or self.max is not None:
            lo = "" if self.min is None else f"{self.min:g}"
            hi = "" if self.max is None else f"{self.max:g}"
            lb = "(" if self.min_exclusive else "["
            rb = ")" if self.max_exclusive else "]"
            if self.min is not None and self.max is not None:
                what += f" in {lb}{lo}, {hi}{rb}"
            elif self.min is not None:
                what += f" {'>' if self.min_exclusive else '>='} {lo}"
            else:
                what += f" {'<' if self.max_exclusive else '<='} {hi}"
        if self.unit:
            what += f" ({self.unit})"
        return what

    def check(self, value: Any) -> tuple[Any, str | None]:
        """Coerce `value` to this key's type; return (value, None) or (value, error text)."""
        kind = self.kind
        if kind == "bool":
            if isinstance(value, bool):
                return value, None
            return value, "allowed: " + self.allowed()
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    return value, "allowed: " + self.allowed()
        elif kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return value, "allowed: " + self.allowed()
            value = float(value)
        elif kind == "str":
            if not isinstance(value, str):
                return value, "allowed: " + self.allowed()
        elif kind == "list[str]":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return value, "allowed: " + self.allowed()
            return tuple(value), (None if self.choices is None or set(value) <= set(self.choices)
                                  else "allowed: each " + self.allowed())
        elif kind == "list[float]":
            if not isinstance(value, list) or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
                return value, "allowed: " + self.allowed()
            value = tuple(float(v) for v in value)
            if not all(self._in_range(v) for v in value):
                return value, "allowed: each " + self.allowed()
            return value, None
        elif kind == "table[]":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                return value, "allowed: " + self.allowed()
            return value, None  # entries are checked field by field by the loader
        if self.choices is not None and value not in self.choices:
            return value, "allowed: " + self.allowed()
        if kind in ("int", "float") and not self._in_range(value):
            return value, "allowed: " + self.allowed()
        return value, None

    def _in_range(self, v: float) -> bool:
        if self.min is not None and (v < self.min or (self.min_exclusive and v == self.min)):
            return False
        if self.max is not None and (v > self.max or (self.max_exclusive and v == self.max)):
            return False
        return True

    def parse_text(self, text: str) -> Any:
        """Parse a command-line value (`--set key=text`) into this key's raw type."""
        if self.kind == "int":
            try:
                return int(text)
            except ValueError:
                try:
                    return float(text)
                except ValueError:
                    return text
        if self.kind == "float":
            try:
                return float(text)
            except ValueError:
                return text
        if self.kind == "bool":
            low = text.lower()
            return {"true": True, "1": True, "yes": True, "false": False, "0": False,
                    "no": False}.get(low, text)
        if self.kind == "list[str]":
            return [t for t in (s.strip() for s in text.split(",")) if t]
        if self.kind == "list[float]":
            out: list[Any] = []
            for t in (s.strip() for s in text.split(",") if s.strip()):
                try:
                    out.append(float(t))
                except ValueError:
                    out.append(t)
            return out
        return text
