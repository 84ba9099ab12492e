"""The project's short error taxonomy (STYLE.md practice 14).

- ConfigError: bad user input, found before any work starts. Exit status 2.
- ToolError: an external program failed. Names the step and the log. Exit status 1.
- CheckFailure: a run finished but checks on its results failed (all listed). Exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Issue:
    """One problem with one user input: where, which key (or line), what value, what is allowed."""

    source: str
    key: str
    value: object
    allowed: str

    def __str__(self) -> str:
        return f"{self.source}: {self.key} = {self.value!r}: {self.allowed}"


class FfetError(Exception):
    exit_status = 1


class ConfigError(FfetError):
    """User input is invalid. Carries every issue found, so all are reported at once."""

    exit_status = 2

    def __init__(self, issues: list[Issue] | Issue | str):
        if isinstance(issues, (Issue, str)):
            issues = [issues]
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class ToolError(FfetError):
    """An external program failed; names the step, the log path and the log's last lines."""

    exit_status = 1

    def __init__(self, step: str, message: str, log_path: Path | None = None, tail: str = ""):
        self.step, self.log_path, self.tail = step, log_path, tail
        where = f" (log: {log_path})" if log_path else ""
        text = f"step {step}: {message}{where}"
        if tail:
            text += "\n" + "\n".join("  | " + line for line in tail.rstrip().splitlines())
        super().__init__(text)


class CheckFailure(FfetError):
    """Results were produced but violate checks; carries every violation."""

    exit_status = 1

    def __init__(self, violations: list[str]):
        self.violations = list(violations)
        super().__init__("\n".join(self.violations))
