"""One logger for the project, and a progress display for long work.

The progress display rewrites one terminal line (stage n/N, elapsed, ETA) when stderr is a
terminal, and falls back to plain log lines otherwise (CI, files, pipes).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

LOGGER_NAME = "ffet"
T = TypeVar("T")


def get_logger(child: str | None = None) -> logging.Logger:
    name = LOGGER_NAME if not child else f"{LOGGER_NAME}.{child}"
    return logging.getLogger(name)


class _WarningCounter(logging.Handler):
    """Remembers warnings so a long run can print a summary of them at the end."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_warnings = _WarningCounter()


def setup_logging(verbose: int = 0) -> None:
    """Configure the project logger once per process (called by the CLI, never at import)."""
    root = get_logger()
    root.setLevel(logging.DEBUG if verbose > 0 else logging.INFO)
    if not any(getattr(h, "_ffet", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname).1s %(name)s: %(message)s"))
        handler._ffet = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.addHandler(_warnings)
    root.propagate = False


def warnings_mark() -> int:
    """A position in this process's warnings: the warnings after it belong to what ran since
    (one variant of the main job, one flow run)."""
    return len(_warnings.messages)


def warnings_seen(since: int = 0, until: int | None = None) -> list[str]:
    """The warnings between two marks (default: all of this process)."""
    return list(_warnings.messages[since:until])


def _fmt_seconds(s: float) -> str:
    s = int(round(s))
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:d}:{s % 60:02d}"


class Progress:
    """Progress of `total` units of work: `done/total`, elapsed, ETA, optional failure count."""

    def __init__(self, total: int, label: str, logger: logging.Logger | None = None,
                 stream=None, min_interval: float = 0.2):
        self.total, self.label = max(total, 0), label
        self.logger = logger or get_logger()
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self.failed = 0
        self.start = time.monotonic()
        self._last = 0.0
        self.min_interval = min_interval

    def eta(self) -> float | None:
        if self.done == 0 or self.total == 0:
            return None
        elapsed = time.monotonic() - self.start
        return elapsed / self.done * (self.total - self.done)

    def line(self, what: str = "") -> str:
        elapsed = time.monotonic() - self.start
        eta = self.eta()
        parts = [f"{self.label} {self.done}/{self.total}", f"elapsed {_fmt_seconds(elapsed)}"]
        if eta is not None and self.done < self.total:
            parts.append(f"ETA {_fmt_seconds(eta)}")
        if self.failed:
            parts.append(f"failed {self.failed}")
        if what:
            parts.append(what)
        return "  ".join(parts)

    def update(self, what: str = "", advance: int = 1, failed: bool = False) -> None:
        self.done += advance
        self.failed += int(failed)
        now = time.monotonic()
        if self.tty:
            if now - self._last >= self.min_interval or self.done >= self.total:
                self.stream.write("\r\x1b[2K" + self.line(what))
                if self.done >= self.total:
                    self.stream.write("\n")
                self.stream.flush()
                self._last = now
        else:
            self.logger.info(self.line(what))

    def announce(self, what: str) -> None:
        """Say what starts now (stage n+1/N), without advancing."""
        if self.tty:
            self.stream.write("\r\x1b[2K" + f"{self.label} {self.done + 1}/{self.total}: {what}")
            self.stream.flush()
        else:
            self.logger.info(f"{self.label} {self.done + 1}/{self.total}: {what}")


def track(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    progress = Progress(total, label)
    for item in items:
        yield item
        progress.update()
