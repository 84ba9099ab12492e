"""The technology as typed, immutable data: two metal stacks (front, back), vias, site.

`build_tech(cfg)` turns a validated Config into a `Tech`; `read_layers_json(path)` rebuilds the
same `Tech` from the `layers.json` that `ffet pdk` writes. All lengths are integer database
units (dbu; `tech.dbu` per micron); R is Ohm/um, C is fF/um, via resistance Ohm per cut.

Conventions (docs/tech.md):
- front layers M0..M<N-1>, vias V0..V<N-2> (V<i> joins M<i> and M<i+1>); back layers
  BM0..BM<N-1>, vias BV0..; level 0 runs horizontally (along the rows), levels alternate.
- the first track of every layer lies at `offset` from the origin (pitch / 2 unless the metal
  table sets it): for horizontal layers from the bottom edge of a cell row, for vertical layers
  from the left edge of a site.
- GDS numbers: M<i> 100 + 2i, V<i> 101 + 2i, BM<i> 200 + 2i, BV<i> 201 + 2i, datatype 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ffet_flow.errors import ConfigError, Issue
from ffet_flow.tech import rc
from ffet_flow.tech import rules as drc_rules

SIDES = ("front", "back")
GDS_BASE = {"front": 100, "back": 200}
PREFIX = {"front": "M", "back": "BM"}
VIA_PREFIX = {"front": "V", "back": "BV"}


@dataclass(frozen=True)
class Layer:
    """One routing (metal) layer. Lengths in dbu; r in Ohm/um; c in fF/um."""

    name: str
    side: str  # "front" | "back"
    level: int  # 0 = M0 / BM0 (nearest the device)
    direction: str  # "HORIZONTAL" | "VERTICAL"
    pitch: int
    width: int
    spacing: int
    thickness: int
    offset: int  # first track, from the origin (row bottom edge / site left edge)
    r_per_um: float  # Ohm/um
    c_per_um: float  # fF/um, total = c_ground_per_um + c_coupling_per_um
    signal: bool  # carries signal routing (M0/BM0: pins; routers use level >= 1)
    gds_layer: int
    gds_datatype: int = 0
    tier: str = ""
    barrier: float = 0.0  # nm, liner on the walls and bottom
    k_eff: float = 1.0
    dielectric_height: int = 0  # dbu, distance to the planes above and below (Wong model H)
    rho_eff: float = 0.0  # uOhm.cm, size-effect resistivity of the conducting core
    c_ground_per_um: float = 0.0  # fF/um, to the planes above and below
    c_coupling_per_um: float = 0.0  # fF/um, to both same-level neighbours at min spacing
    c_area_per_um2: float = 0.0  # fF/um^2, parallel-plate part (LEF CPERSQDIST)
    c_edge_per_um: float = 0.0  # fF/um per edge, rest of the total (LEF EDGECAPACITANCE)
    # design rules (ffet_flow.tech.rules; written to the tech LEF, read by router and checker)
    eol_spacing: int = 0  # dbu, tip-to-tip spacing of line ends (LEF SPACING .. ENDOFLINE)
    eol_width: int = 0  # dbu, edges shorter than this are line ends
    eol_within: int = 0  # dbu, end-of-line window beyond the line's sides
    min_area: int = 0  # dbu^2 (LEF AREA)


@dataclass(frozen=True)
class Via:
    """One via (cut) layer joining two adjacent metal levels of one side. Lengths in dbu."""

    name: str
    side: str
    lower: str  # metal layer name below (nearer the device)
    upper: str
    resistance: float  # Ohm per cut
    cut: int  # square cut size
    gds_layer: int
    spacing: int = 0  # cut-to-cut spacing
    enclosure_below: int = 0  # metal below: extension beyond the cut along its direction
    enclosure_above: int = 0  # metal above: the same
    gds_datatype: int = 0
    level: int = 0  # V<level> joins level and level + 1


@dataclass(frozen=True)
class Tech:
    """A complete technology. Use `layers(side)`, `routing_layers(side)`, `vias(side)`."""

    name: str
    arch: str  # "ffet" | "cfet"
    dbu: int  # database units per micron
    vdd: float  # V
    cpp: int  # contacted poly pitch = site width, dbu
    m0_pitch: int  # dbu
    cell_height: int  # dbu = round(cell_height_tracks * m0_pitch)
    cell_height_tracks: float
    site_name: str
    signal_sides: str  # "front" | "both"
    temperature: float  # C
    front: tuple[Layer, ...]
    back: tuple[Layer, ...]
    front_vias: tuple[Via, ...]
    back_vias: tuple[Via, ...]

    def layers(self, side: str) -> tuple[Layer, ...]:
        """Metal layers of one side, bottom-up (M0.. or BM0..)."""
        _check_side(side)
        return self.front if side == "front" else self.back

    def routing_layers(self, side: str) -> tuple[Layer, ...]:
        """Layers a signal router may use on `side`: signal layers of level >= 1."""
        return tuple(la for la in self.layers(side) if la.signal and la.level >= 1)

    def vias(self, side: str) -> tuple[Via, ...]:
        _check_side(side)
        return self.front_vias if side == "front" else self.back_vias

    def all_layers(self) -> tuple[Layer, ...]:
        return self.front + self.back

    def all_vias(self) -> tuple[Via, ...]:
        return self.front_vias + self.back_vias

    def layer(self, name: str) -> Layer:
        for la in self.all_layers():
            if la.name == name:
                return la
        raise KeyError(f"no metal layer {name!r} in this technology")

    def via(self, name: str) -> Via:
        for v in self.all_vias():
            if v.name == name:
                return v
        raise KeyError(f"no via layer {name!r} in this technology")

    def um(self, dbu: int) -> float:
        """Length in microns of `dbu` database units."""
        return dbu / self.dbu


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise ValueError(f"side must be 'front' or 'back', not {side!r}")


def nm_to_dbu(nm: float, dbu_per_micron: int) -> int | None:
    """Exact conversion of a length in nm to dbu, or None if it is not on the grid."""
    v = nm * dbu_per_micron / 1000.0
    r = round(v)
    return int(r) if abs(v - r) < 1e-9 else None


def _layer_rows(cfg: Any, side: str) -> tuple[list[Mapping[str, Any]], str]:
    """The metal table rows used for one side, and the config key they come from."""
    n = cfg.layers_front if side == "front" else cfg.layers_back
    if side == "back" and cfg.arch == "cfet" and len(cfg.back_metal):
        return list(cfg.back_metal)[:n], "back_metal"
    return list(cfg.metal)[:n], "metal"


def _side_is_signal(cfg: Any, side: str) -> bool:
    if side == "front":
        return True
    return cfg.arch == "ffet" and cfg.signal_sides == "both"


def build_tech(cfg: Any) -> Tech:
    """Build the Tech of a validated Config (pure and deterministic).

    Raises ConfigError if a length is off the dbu grid (the config check normally catches it).
    """
    dbu = int(cfg.dbu_per_micron)
    issues: list[Issue] = []

    def to_dbu(nm: float, key: str) -> int:
        v = nm_to_dbu(nm, dbu)
        if v is None:
            issues.append(Issue("config", key, nm, f"must be a multiple of {1000 / dbu:g} nm "
                                f"(the grid of dbu_per_micron = {dbu})"))
            return 0
        return v

    model = dict(rho_bulk=cfg.rho_bulk, mean_free_path=cfg.mean_free_path,
                 specularity=cfg.specularity, grain_reflection=cfg.grain_reflection,
                 temperature=cfg.temperature)
    stacks: dict[str, tuple[Layer, ...]] = {}
    vias: dict[str, tuple[Via, ...]] = {}
    for side in SIDES:
        rows, key = _layer_rows(cfg, side)
        signal = _side_is_signal(cfg, side)
        layers = []
        for i, row in enumerate(rows):
            pitch_nm, width_nm, thick_nm = row["pitch"], row["width"], row["thickness"]
            spacing_nm = row.get("spacing") or (pitch_nm - width_nm)
            height_nm = row.get("dielectric_height") or thick_nm
            r = float(rc.resistance_per_um(width_nm, thick_nm, row["barrier"], **model))
            rho = float(rc.effective_resistivity(width_nm, thick_nm, row["barrier"], **model))
            cg, cc, area = (float(x) for x in rc.wong_capacitance(
                width_nm, spacing_nm, thick_nm, height_nm, row["k_eff"]))
            total = cg + cc
            edge = (total - area * width_nm / 1000.0) / 2.0
            pitch = to_dbu(pitch_nm, f"{key}[{i}].pitch")
            width = to_dbu(width_nm, f"{key}[{i}].width")
            spacing = to_dbu(spacing_nm, f"{key}[{i}].spacing")
            # level 0 holds the cells' own wiring and pins, drawn by the cell generator at the
            # line spacing (cells abut with half a spacing to each edge): no end-of-line rule
            eol = (0 if i == 0 else
                   to_dbu(row["eol_spacing"], f"{key}[{i}].eol_spacing") if row.get("eol_spacing")
                   else drc_rules.eol_spacing(pitch, spacing, pitch_nm))
            min_area = (int(round(row["min_area"] * dbu * dbu / 1e6)) if row.get("min_area")
                        else drc_rules.min_area(width, pitch))
            offset = (to_dbu(row["offset"], f"{key}[{i}].offset") if "offset" in row
                      else pitch // 2)
            layers.append(Layer(
                name=f"{PREFIX[side]}{i}", side=side, level=i,
                direction="HORIZONTAL" if i % 2 == 0 else "VERTICAL",
                pitch=pitch, width=width, spacing=spacing,
                thickness=to_dbu(thick_nm, f"{key}[{i}].thickness"),
                offset=offset, r_per_um=r, c_per_um=total, signal=signal,
                gds_layer=GDS_BASE[side] + 2 * i, tier=row.get("tier", ""),
                barrier=float(row["barrier"]), k_eff=float(row["k_eff"]),
                dielectric_height=to_dbu(height_nm, f"{key}[{i}].dielectric_height"),
                rho_eff=rho, c_ground_per_um=cg, c_coupling_per_um=cc, c_area_per_um2=area,
                c_edge_per_um=edge, eol_spacing=eol,
                eol_width=drc_rules.eol_width(width) if eol else 0,
                eol_within=drc_rules.eol_within(spacing) if eol else 0, min_area=min_area))
        side_vias = []
        for i in range(len(layers) - 1):
            lo, hi = layers[i], layers[i + 1]
            cut = min(lo.width, hi.width)
            side_vias.append(Via(
                name=f"{VIA_PREFIX[side]}{i}", side=side, lower=lo.name, upper=hi.name,
                resistance=float(rows[i]["via_resistance"]), cut=cut,
                gds_layer=GDS_BASE[side] + 1 + 2 * i,
                # vias may sit on adjacent tracks of the tighter of the two layers
                spacing=max(min(lo.pitch, hi.pitch) - cut, 1),
                enclosure_below=drc_rules.via_enclosure(cut, lo.width, lo.min_area),
                enclosure_above=drc_rules.via_enclosure(cut, hi.width, hi.min_area), level=i))
        stacks[side] = tuple(layers)
        vias[side] = tuple(side_vias)

    m0_pitch = stacks["front"][0].pitch
    height = cfg.cell_height_tracks * m0_pitch
    if abs(height - round(height)) > 1e-9:
        issues.append(Issue("config", "cell_height_tracks", cfg.cell_height_tracks,
                            "tracks x M0 pitch must be a whole number of dbu"))
    cpp = to_dbu(cfg.cpp, "cpp")
    if issues:
        raise ConfigError(issues)
    return Tech(name=cfg.tech_name or cfg.arch, arch=cfg.arch, dbu=dbu, vdd=float(cfg.vdd),
                cpp=cpp, m0_pitch=m0_pitch, cell_height=int(round(height)),
                cell_height_tracks=float(cfg.cell_height_tracks), site_name=f"{cfg.arch}_site",
                signal_sides=cfg.signal_sides if cfg.arch == "ffet" else "front",
                temperature=float(cfg.temperature), front=stacks["front"], back=stacks["back"],
                front_vias=vias["front"], back_vias=vias["back"])


def read_layers_json(path: Path | str) -> Tech:
    """Rebuild the Tech written into `layers.json` by `ffet pdk` (ConfigError if malformed)."""
    from ffet_flow.tech.layers_json import read_layers_json as _read

    return _read(path)
