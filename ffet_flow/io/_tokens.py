"""Whole-file tokenizer shared by the LEF and DEF readers.

LEF and DEF are statement languages: whitespace-separated words ending with `;`, `#` comments
to the end of the line, and double-quoted strings that may hold `;`. Tokenizing the whole file
with one regular expression is ~10x faster than parsing line by line with objects, which matters
for DEF files with 10^5 components.
"""

from __future__ import annotations

import re
from pathlib import Path

from ffet_flow.errors import ConfigError, Issue

# quoted string | comment (only at the start of a word) | ';' | any other run of non-space
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|(?<!\S)#[^\n]*|;|[^\s;]+')


def tokenize(text: str) -> list[str]:
    """Split LEF/DEF text into tokens, comments removed."""
    return [t for t in _TOKEN.findall(text) if t[0] != "#"]


def read_text(path: Path, what: str) -> str:
    """Read a text file or raise a one-line ConfigError naming it."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise ConfigError(Issue(str(path), what, str(path), "file not found")) from None
    except OSError as exc:
        raise ConfigError(Issue(str(path), what, str(path),
                                f"cannot be read: {exc.strerror}")) from None


class Cursor:
    """A position in a token list with the few moves LEF/DEF parsing needs."""

    __slots__ = ("toks", "i", "path", "text")

    def __init__(self, toks: list[str], path: str, text: str = ""):
        self.toks, self.i, self.path, self.text = toks, 0, path, text

    def more(self) -> bool:
        return self.i < len(self.toks)

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ""

    def next(self) -> str:
        if self.i >= len(self.toks):
            raise self.error("end of file", "unexpected end of file")
        t = self.toks[self.i]
        self.i += 1
        return t

    def expect(self, word: str) -> None:
        t = self.next()
        if t.upper() != word:
            raise self.error(t, f"expected {word!r}")

    def skip_statement(self) -> list[str]:
        """Consume tokens up to and including the next ';'; return them (without ';')."""
        toks, i = self.toks, self.i
        try:
            j = toks.index(";", i)
        except ValueError:
            raise self.error(toks[i] if i < len(toks) else "", "statement without ';'") from None
        self.i = j + 1
        return toks[i:j]

    def number(self) -> float:
        t = self.next()
        try:
            return float(t)
        except ValueError:
            raise self.error(t, "expected a number") from None

    def integer(self) -> int:
        t = self.next()
        try:
            return int(t)
        except ValueError:
            try:
                f = float(t)
            except ValueError:
                raise self.error(t, "expected an integer") from None
            return int(round(f))

    def line(self) -> int:
        """Line number (1-based) of the current token, found by re-scanning the text."""
        target, n = max(self.i - 1, 0), 0
        for m in _TOKEN.finditer(self.text):
            if m.group()[0] == "#":
                continue
            if n == target:
                return self.text.count("\n", 0, m.start()) + 1
            n += 1
        return self.text.count("\n") + 1

    def error(self, value: str, allowed: str) -> ConfigError:
        return ConfigError(Issue(self.path, f"line {self.line()}", value, allowed))
