"""Pin-side policy: which input pins of the library sit on the back side (FFET).

`assign_pin_sides(cells, density, back_signals)` is deterministic and spreads back-side pins
evenly over cells and over pin positions:

- the library's input pins are taken cell by cell in the given (canonical) order; a running
  quota gives cell c exactly round(density * N_c) - round(density * N_{c-1}) back pins, where
  N_c counts the inputs of the cells up to and including c (a Bresenham / error-diffusion
  sequence), so the library total is round(density * N) and every prefix stays within one pin
  of its share;
- inside a cell the k back pins take the input positions (first, second, ...) whose share of
  back pins over the cells so far is lowest, ties broken by an order that rotates by one
  position per cell; so every position ends up near the requested density too (exact
  fractions, no floating-point ties).

Outputs are dual-sided ("both") exactly when the back side carries signals; otherwise every pin
is on the front. TIE outputs follow the outputs; FILL cells have no pins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ffet_flow.errors import ConfigError, Issue

POLICY = ("bresenham-v2: running quota round(density * inputs so far) per cell in library "
          "order; inside a cell the positions with the lowest back share so far (ties: order "
          "rotating by one per cell); outputs 'both' when the back side carries signals")


def assign_pin_sides(cells: Sequence, density: float, back_signals: bool
                     ) -> dict[str, dict[str, str]]:
    """{cell name: {pin: "front" | "back" | "both"}} for the given effective density in [0, 1]."""
    if not isinstance(density, (int, float)) or not 0.0 <= float(density) <= 1.0:
        raise ConfigError(Issue("config", "input_pin_density", density, "number in [0, 1]"))
    if not back_signals:
        density = 0.0
    out: dict[str, dict[str, str]] = {}
    seen = 0
    assigned = 0
    offset = 0
    pos_back: dict[int, int] = {}
    pos_seen: dict[int, int] = {}
    for cell in cells:
        ins = list(cell.inputs)
        seen += len(ins)
        k = _round_half_up(density * seen) - assigned
        k = max(0, min(k, len(ins)))
        assigned += k
        back = set()
        if k and ins:
            # the k positions whose back share so far is lowest (ties: rotating order)
            n = len(ins)
            order = sorted(range(n), key=lambda i: (
                Fraction(pos_back.get(i, 0), pos_seen.get(i, 0) + 1), (i - offset) % n))
            back = {ins[i] for i in order[:k]}
            offset += 1
        for i, p in enumerate(ins):
            pos_seen[i] = pos_seen.get(i, 0) + 1
            pos_back[i] = pos_back.get(i, 0) + (p in back)
        sides = {p: ("back" if p in back else "front") for p in ins}
        for p in cell.outputs:
            sides[p] = "both" if back_signals else "front"
        out[cell.name] = sides
    return out


def _round_half_up(x: float) -> int:
    """round() without banker's rounding, with a tolerance for binary fractions like 0.3 * 10."""
    return int(x + 0.5 + 1e-9)


def back_fraction(sides: Mapping[str, Mapping[str, str]], cells: Sequence) -> float:
    """Measured fraction of the library's input pins that sit on the back side."""
    ins = [sides[c.name][p] for c in cells for p in c.inputs]
    return sum(s == "back" for s in ins) / len(ins) if ins else 0.0


def pins_payload(sides: Mapping[str, Mapping[str, str]], density: float,
                 modulus: int = 1, residues: Mapping[str, Sequence[int]] | None = None) -> dict:
    """The content of pins.json (docs/architecture.md): density, policy, every pin's side, and
    for cells whose pins the router can reach on some sites only, the allowed site indices
    modulo `site_modulus` (ffet_flow.cells.access.site_residues)."""
    out = {"input_pin_density": float(density), "policy": POLICY,
           "cells": {c: dict(p) for c, p in sides.items()}}
    if residues:
        out["site_modulus"] = int(modulus)
        out["site_residues"] = {c: sorted(int(v) for v in r) for c, r in sorted(residues.items())}
    return out
