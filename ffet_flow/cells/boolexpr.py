"""A tiny evaluator for Liberty boolean expressions (`function` attributes).

Operators, loosest first: `|` or `+` (OR); `&` or `*` (AND); `^` (XOR); prefix `!` and postfix
`'` (NOT). Parentheses group; `0` and `1` are constants; names are pins (or IQ/IQN).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_\[\]]*)|([01])|(.))")


def _tokens(text: str) -> list[str]:
    out = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        tok = m.group(1) or m.group(2) or m.group(3)
        if tok and not tok.isspace():
            out.append(tok)
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, env: Mapping[str, int]):
        self.toks = _tokens(text)
        self.i = 0
        self.env = env
        self.text = text

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise ValueError(f"unexpected end of expression {self.text!r}")
        self.i += 1
        return tok

    def parse(self) -> int:
        v = self.or_()
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek()!r} in {self.text!r}")
        return v

    def or_(self) -> int:
        v = self.and_()
        while self.peek() in ("|", "+"):
            self.take()
            v = self.and_() | v
        return v

    def and_(self) -> int:
        v = self.xor()
        while self.peek() in ("&", "*"):
            self.take()
            v = self.xor() & v
        return v

    def xor(self) -> int:
        v = self.unary()
        while self.peek() == "^":
            self.take()
            v = self.unary() ^ v
        return v

    def unary(self) -> int:
        tok = self.take()
        if tok == "!":
            v = 1 - self.unary()
        elif tok == "(":
            v = self.or_()
            if self.take() != ")":
                raise ValueError(f"missing ')' in {self.text!r}")
        elif tok in ("0", "1"):
            v = int(tok)
        elif tok[0].isalpha() or tok[0] == "_":
            if tok not in self.env:
                raise ValueError(f"unknown name {tok!r} in {self.text!r}")
            v = int(bool(self.env[tok]))
        else:
            raise ValueError(f"unexpected {tok!r} in {self.text!r}")
        while self.peek() == "'":
            self.take()
            v = 1 - v
        return v


def evaluate(expr: str, env: Mapping[str, int]) -> int:
    """Value (0/1) of a Liberty boolean expression for the pin values in `env`."""
    return _Parser(expr, env).parse()
