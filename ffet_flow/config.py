"""The configuration registry and loader (STYLE.md practice 3).

Every knob of the project is one `Key` declared next to the code that reads it
(`ffet_flow/<area>/keys.py`); this module gathers them into one registry, which drives
validation, `ffet config --list`, the README's key table and the sweep space.

A run's configuration is built in layers: registry defaults < tech file (pdk/*.toml) <
design file (designs/<d>/config.toml) < `--set key=value` overrides. Every problem in every layer
is collected and reported together as a ConfigError (exit status 2) before any work starts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ffet_flow.cells import keys as _cells_keys
from ffet_flow.cts import keys as _cts_keys
from ffet_flow.errors import ConfigError, Issue
from ffet_flow.keys import Key
from ffet_flow.place import keys as _place_keys
from ffet_flow.route import keys as _route_keys
from ffet_flow.steps import keys as _steps_keys
from ffet_flow.tech import keys as _tech_keys
from ffet_flow.util import stable_hash

_AREAS = (_tech_keys, _cells_keys, _place_keys, _cts_keys, _route_keys, _steps_keys)


def _build_registry() -> Mapping[str, Key]:
    reg: dict[str, Key] = {}
    for area in _AREAS:
        for key in area.KEYS:
            if key.name in reg:
                raise RuntimeError(f"configuration key {key.name!r} declared twice")
            reg[key.name] = key
    return MappingProxyType(reg)


REGISTRY: Mapping[str, Key] = _build_registry()


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Config:
    """A validated, immutable set of values for every registry key.

    Read values as attributes (`cfg.layers_front`); tables come back as tuples of read-only
    mappings. `sources` tells where each non-default value came from.
    """

    values: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return {k: _thaw(v) for k, v in self.values.items()}

    def digest(self, names: Iterable[str]) -> str:
        """Stable hash of the values of `names`, e.g. the keys one step reads."""
        return stable_hash({n: _thaw(self.values[n]) for n in sorted(set(names))})

    def keys_for_step(self, step: str) -> list[str]:
        return sorted(k.name for k in REGISTRY.values() if step in k.steps)

    def replace(self, **changes: Any) -> Config:
        """A new Config with some values changed, validated like a `--set`."""
        return load_config(base=self, overrides=changes)

    @property
    def effective_input_pin_density(self) -> float:
        """Back-side input fraction actually used: 0 when the back side carries no signals."""
        if self.values["signal_sides"] != "both" or self.values["arch"] != "ffet":
            return 0.0
        return float(self.values["input_pin_density"])


def defaults() -> dict[str, Any]:
    return {k.name: _thaw(_freeze(k.default)) for k in REGISTRY.values()}


def _check_value(key: Key, value: Any, source: str, label: str, issues: list[Issue]) -> Any:
    coerced, error = key.check(value)
    if error:
        issues.append(Issue(source, label, value, error))
        return None
    if key.kind == "table[]":
        rows = []
        for i, row in enumerate(coerced):
            out: dict[str, Any] = {}
            known = {f.name: f for f in key.fields}
            for name, v in row.items():
                f = known.get(name)
                if f is None:
                    issues.append(Issue(source, f"{label}[{i}].{name}", v,
                                        "unknown field; allowed: " + ", ".join(known)))
                    continue
                cv, err = f.check(v)
                if err:
                    issues.append(Issue(source, f"{label}[{i}].{name}", v, err))
                else:
                    out[name] = cv
            for f in key.fields:
                if f.name not in row and not f.optional:
                    issues.append(Issue(source, f"{label}[{i}].{f.name}", None,
                                        "missing; " + f.allowed()))
            rows.append(out)
        return rows
    return coerced


def _read_toml(path: Path, issues: list[Issue]) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        issues.append(Issue(str(path), "file", str(path), "file not found"))
        return None
    except OSError as exc:
        issues.append(Issue(str(path), "file", str(path), f"cannot be read: {exc.strerror}"))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        issues.append(Issue(str(path), "syntax", str(exc).split(" (")[0],
                            f"malformed TOML ({exc})"))
        return None


def parse_set(items: Iterable[str]) -> tuple[dict[str, Any], list[Issue]]:
    """Parse `key=value` strings from the command line into raw values for their keys."""
    out: dict[str, Any] = {}
    issues: list[Issue] = []
    for item in items:
        name, eq, text = item.partition("=")
        name = name.strip()
        if not eq:
            issues.append(Issue("--set", item, item, "expected key=value"))
            continue
        key = REGISTRY.get(name)
        if key is None:
            issues.append(Issue("--set", name, text, _unknown_key_hint(name)))
            continue
        if key.kind == "table[]":
            issues.append(Issue("--set", name, text, "tables can only be set in a TOML file"))
            continue
        out[name] = key.parse_text(text.strip())
    return out, issues


def _unknown_key_hint(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(REGISTRY), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return "unknown key" + hint + "; `ffet config --list` shows every key"


def load_config(files: Iterable[Path | str] = (), overrides: Mapping[str, Any] | None = None,
                set_items: Iterable[str] = (), base: Config | None = None) -> Config:
    """Build and validate a Config. Raises ConfigError listing every problem found."""
    issues: list[Issue] = []
    values: dict[str, Any] = base.as_dict() if base is not None else defaults()
    sources: dict[str, str] = dict(base.sources) if base is not None else {}

    def apply(raw: Mapping[str, Any], source: str) -> None:
        for name, value in raw.items():
            key = REGISTRY.get(name)
            if key is None:
                issues.append(Issue(source, name, value, _unknown_key_hint(name)))
                continue
            checked = _check_value(key, value, source, name, issues)
            if checked is not None:
                values[name] = checked
                sources[name] = source

    for f in files:
        path = Path(f)
        raw = _read_toml(path, issues)
        if raw is not None:
            apply(raw, str(path))
    if overrides:
        apply(overrides, "--set")
    parsed, set_issues = parse_set(set_items)
    issues.extend(set_issues)
    apply(parsed, "--set")

    if not issues:  # cross-key rules only make sense on individually valid values
        def report(key: str, value: Any, allowed: str) -> None:
            top = key.split("[")[0].split(".")[0]
            issues.append(Issue(sources.get(top, "defaults"), key, value, allowed))

        for area in _AREAS:
            area.check(values, report)
    if issues:
        raise ConfigError(issues)
    return Config(MappingProxyType({k: _freeze(v) for k, v in values.items()}),
                  MappingProxyType(sources))


def registry_table(group: str | None = None) -> list[dict[str, str]]:
    """Rows describing every key (for `ffet config --list` and the README)."""
    rows = []
    for key in REGISTRY.values():
        if group and key.group != group:
            continue
        default = key.default
        if key.kind == "table[]":
            default = f"[{len(default)} entries]"
        rows.append({"key": key.name, "group": key.group, "type": key.kind,
                     "default": str(default), "unit": key.unit, "allowed": key.allowed(),
                     "sweep": "yes" if key.sweep else "", "steps": ",".join(key.steps),
                     "description": key.description})
    return rows
