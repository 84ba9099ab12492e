"""`layers.json`: the technology as the router and the extractor read it.

One JSON document holding every field of `Tech`, `Layer` and `Via` (lengths in dbu, R in
Ohm/um, C in fF/um, via resistance in Ohm per cut), plus a `units` table. Reading it back gives
a `Tech` equal to the one written.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.tech.model import Layer, Tech, Via
from ffet_flow.util import write_json

FORMAT = "ffet-flow-layers"
VERSION = 2  # 2: design rules (end of line, area, per-metal via enclosures)
UNITS = {"length": "dbu (see tech.dbu per micron)", "r_per_um": "Ohm/um", "c_per_um": "fF/um",
         "c_area_per_um2": "fF/um^2", "resistance": "Ohm per cut", "vdd": "V",
         "temperature": "C", "rho_eff": "uOhm.cm", "barrier": "nm"}
_SCALARS = [f.name for f in dataclasses.fields(Tech)
            if f.name not in ("front", "back", "front_vias", "back_vias")]


def tech_to_dict(tech: Tech) -> dict[str, Any]:
    """The JSON-ready form of a Tech (layers bottom-up, front side first)."""
    return {"format": FORMAT, "version": VERSION, "units": UNITS,
            "tech": {k: getattr(tech, k) for k in _SCALARS},
            "layers": [dataclasses.asdict(la) for la in tech.all_layers()],
            "vias": [dataclasses.asdict(v) for v in tech.all_vias()]}


def write_layers_json(tech: Tech, path: Path) -> None:
    write_json(path, tech_to_dict(tech))


def _build(cls: type, raw: Any, source: str, where: str, issues: list[Issue]) -> Any:
    names = {f.name: f for f in dataclasses.fields(cls)}
    if not isinstance(raw, dict):
        issues.append(Issue(source, where, raw, "a JSON object"))
        return None
    unknown = sorted(set(raw) - set(names))
    if unknown:
        issues.append(Issue(source, where, unknown, "known fields: " + ", ".join(names)))
        return None
    required = [n for n, f in names.items() if f.default is dataclasses.MISSING]
    missing = [n for n in required if n not in raw]
    if missing:
        issues.append(Issue(source, where, missing, "required fields missing"))
        return None
    return cls(**raw)


def read_layers_json(path: Path | str) -> Tech:
    """Rebuild the Tech from `layers.json`; ConfigError naming the file if it is malformed."""
    path = Path(path)
    source = str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(Issue(source, "file", source, "file not found")) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(Issue(source, "file", source, f"not readable JSON ({exc})")) from None
    issues: list[Issue] = []
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ConfigError(Issue(source, "format", doc.get("format") if isinstance(doc, dict)
                                else None, f"{FORMAT!r} (a layers.json written by `ffet pdk`)"))
    if doc.get("version") != VERSION:
        raise ConfigError(Issue(source, "version", doc.get("version"), f"{VERSION}"))
    layers = [_build(Layer, r, source, f"layers[{i}]", issues)
              for i, r in enumerate(doc.get("layers") or [])]
    vias = [_build(Via, r, source, f"vias[{i}]", issues)
            for i, r in enumerate(doc.get("vias") or [])]
    scalars = doc.get("tech")
    if not isinstance(scalars, dict) or set(scalars) != set(_SCALARS):
        issues.append(Issue(source, "tech", scalars, "object with " + ", ".join(_SCALARS)))
    if issues:
        raise ConfigError(issues)
    return Tech(**scalars,
                front=tuple(la for la in layers if la.side == "front"),
                back=tuple(la for la in layers if la.side == "back"),
                front_vias=tuple(v for v in vias if v.side == "front"),
                back_vias=tuple(v for v in vias if v.side == "back"))
