"""Configuration keys of the technology (read by `ffet pdk` and everything downstream).

Defaults follow shared/REFERENCES.md section 6 (a derived, coherent 5 nm-class set); the
source of each figure is given next to it.
"""

from __future__ import annotations

from ffet_flow.keys import Key

TECH_STEPS = ("pdk", "cells", "floorplan", "place", "route", "extract", "sta")
# Layer counts reach floorplan and placement only through tech_place.lef, which holds levels
# 0..2 whatever the counts, so those steps do not list them: routing-only variants share one
# placement. The tracks step adds the variant's full track set.
LAYER_STEPS = ("pdk", "cells", "tracks", "route", "extract", "sta")

# One entry per metal level, bottom (M0 / BM0) up. The back stack of an FFET mirrors the front
# (REFERENCES 5: symmetric FFET cell design, back-side rules follow the front). Values from
# REFERENCES 6c: pitches follow GT2N tiering scaled to a 28 nm M0; AR 2 (GT2N ITF, 1d);
# barrier 2/3/4 nm by tier (Nikolic et al. FPGA 2021 inputs, 1d); k_eff 2.8 up to M5, 3.0 above
# (same study; bulk low-k 2.4-2.5 plus etch-stop/cap layers); via resistance from the Ciofi via
# model (2e, "model values (derived)").
DEFAULT_METAL = [
    # tier, pitch nm, width nm, thickness nm, barrier nm, k_eff, via to next level (Ohm/cut)
    dict(tier="local", pitch=28, width=14, thickness=28, barrier=2.0, k_eff=2.8, via_resistance=50.0),
    dict(tier="local", pitch=34, width=17, thickness=34, barrier=2.0, k_eff=2.8, via_resistance=50.0),
    dict(tier="local", pitch=28, width=14, thickness=28, barrier=2.0, k_eff=2.8, via_resistance=50.0),
    dict(tier="local", pitch=34, width=17, thickness=34, barrier=2.0, k_eff=2.8, via_resistance=48.0),
    dict(tier="intermediate", pitch=42, width=21, thickness=42, barrier=3.0, k_eff=2.8, via_resistance=40.0),
    dict(tier="intermediate", pitch=42, width=21, thickness=42, barrier=3.0, k_eff=2.8, via_resistance=17.0),
    dict(tier="semi-global", pitch=80, width=40, thickness=80, barrier=3.0, k_eff=3.0, via_resistance=10.0),
    dict(tier="semi-global", pitch=80, width=40, thickness=80, barrier=3.0, k_eff=3.0, via_resistance=10.0),
    dict(tier="semi-global", pitch=80, width=40, thickness=80, barrier=3.0, k_eff=3.0, via_resistance=10.0),
    dict(tier="semi-global", pitch=80, width=40, thickness=80, barrier=3.0, k_eff=3.0, via_resistance=5.0),
    dict(tier="global", pitch=160, width=80, thickness=160, barrier=4.0, k_eff=3.0, via_resistance=2.5),
    dict(tier="global", pitch=160, width=80, thickness=160, barrier=4.0, k_eff=3.0, via_resistance=2.5),
    # GT2N's 720 nm top pair (1c), 360 nm wide x 112 nm thick (1d); H = 2 x thickness = 224 nm
    # (6c; GT2N ITF: a level's dielectric layer is twice its metal thickness, 1d)
    dict(tier="global", pitch=720, width=360, thickness=112, barrier=4.0, k_eff=3.0, via_resistance=1.0,
         dielectric_height=224),
    dict(tier="global", pitch=720, width=360, thickness=112, barrier=4.0, k_eff=3.0, via_resistance=1.0,
         dielectric_height=224),
    dict(tier="global", pitch=720, width=360, thickness=112, barrier=4.0, k_eff=3.0, via_resistance=1.0,
         dielectric_height=224),
    dict(tier="global", pitch=720, width=360, thickness=112, barrier=4.0, k_eff=3.0, via_resistance=1.0,
         dielectric_height=224),
]

METAL_FIELDS = (
    Key("tier", "str", "local", "tier label", choices=("local", "intermediate", "semi-global", "global")),
    Key("pitch", "int", 28, "routing track pitch", unit="nm", min=10, max=5000),
    Key("width", "int", 14, "drawn line width", unit="nm", min=5, max=5000),
    Key("spacing", "int", 0, "minimum line spacing (default pitch - width)", unit="nm", min=1,
        max=5000, optional=True),
    Key("thickness", "int", 28, "metal thickness", unit="nm", min=5, max=5000),
    Key("barrier", "float", 2.0, "liner/barrier thickness on sides and bottom", unit="nm", min=0, max=20),
    Key("k_eff", "float", 2.8, "effective relative permittivity around the line", min=1.0, max=10.0),
    Key("offset", "int", 0, "position of the first track from the row bottom edge (horizontal "
        "levels) or site left edge (vertical levels); default pitch / 2", unit="nm", min=0,
        max=5000, optional=True),
    Key("dielectric_height", "int", 0, "distance to the planes above and below in the "
        "capacitance model (default: the metal thickness, REFERENCES 1d)", unit="nm", min=1,
        max=10000, optional=True),
    Key("via_resistance", "float", 50.0, "resistance of one via cut from this level to the next",
        unit="Ohm", min=0, max=10000),
    Key("eol_spacing", "int", 0, "end-of-line (tip-to-tip) spacing; default derived from the "
        "pitch (docs/tech.md, design rules)", unit="nm", min=1, max=5000, optional=True),
    Key("min_area", "int", 0, "minimum metal area; default width x pitch (docs/tech.md, "
        "design rules)", unit="nm^2", min=1, max=10000000, optional=True),
)

KEYS = [
    Key("arch", "str", "ffet", "device architecture: Flip FET (n/p on opposite wafer sides) or "
        "CFET (n/p stacked, back side power only)", choices=("ffet", "cfet"), steps=TECH_STEPS,
        sweep=True, group="tech"),
    Key("tech_name", "str", "", "label for this technology (defaults to the arch)", group="tech",
        steps=("pdk",)),
    Key("vdd", "float", 0.7, "supply voltage (REFERENCES 6a: ASAP7, GT2N, IRDS 2022)", unit="V",
        min=0.3, max=1.5, steps=("cells", "sta"), sweep=True, group="tech"),
    Key("cpp", "int", 51, "contacted poly pitch = site width (REFERENCES 6a: N5-class 51 nm, "
        "3:2 gear with a 34 nm M1)", unit="nm", min=20, max=200, steps=TECH_STEPS, group="tech"),
    Key("cell_height_tracks", "float", 3.5, "standard-cell height in M0 tracks (REFERENCES 6a: "
        "FFET 3.5T, CFET 4T)", unit="tracks", min=2.0, max=12.0, steps=TECH_STEPS, sweep=True,
        group="tech"),
    Key("layers_front", "int", 12, "metal layers on the front side (M0..M<N-1>)", min=1, max=16,
        steps=LAYER_STEPS, sweep=True, group="tech"),
    Key("layers_back", "int", 12, "metal layers on the back side (BM0..BM<N-1>)", min=1, max=16,
        steps=LAYER_STEPS, sweep=True, group="tech"),
    Key("signal_sides", "str", "both", "which wafer sides carry signal routing ('front': "
        "back side holds power and cell-internal wiring only; CFET is always 'front')",
        choices=("front", "both"), steps=TECH_STEPS, sweep=True, group="tech"),
    Key("dbu_per_micron", "int", 2000, "database units per micron (2000: 0.5 nm grid, so "
        "half-widths of odd-nm wires stay integral)", choices=(1000, 2000, 4000),
        steps=TECH_STEPS, group="tech"),
    Key("temperature", "float", 25.0, "operating temperature", unit="C", min=-40, max=150,
        steps=("pdk", "cells", "sta"), group="tech"),
    # Size-effect resistivity model parameters (Fuchs-Sondheimer surface + Mayadas-Shatzkes grain
    # boundary scattering). Bulk Cu 1.72 uOhm.cm at 20 C (CRC Handbook); electron mean free path
    # 39 nm at room temperature (D. Gall, J. Appl. Phys. 119, 085101, 2016).
    Key("rho_bulk", "float", 1.72, "bulk resistivity of the line metal", unit="uOhm.cm",
        min=0.5, max=20, steps=("pdk",), group="tech"),
    Key("mean_free_path", "float", 39.0, "electron mean free path of the line metal", unit="nm",
        min=1, max=100, steps=("pdk",), group="tech"),
    # p = 0 (fully diffuse surfaces): the usual assumption for Cu lines inside a TaN/Ta liner,
    # as in Steinhoegl et al., Phys. Rev. B 66, 075414 (2002); it gives the upper bound of R.
    Key("specularity", "float", 0.0, "surface specularity p of the Fuchs-Sondheimer model "
        "(0 = fully diffuse)", min=0.0, max=1.0, steps=("pdk",), group="tech"),
    # R = 0.3: inside the first-principles range 0.28-0.39 for electron reflection at random
    # grain boundaries in Cu (D. Gall and co-workers; abstract in the NSF-PAR record of
    # "electron reflection probability at symmetric twin boundaries ... eight fcc metals").
    Key("grain_reflection", "float", 0.3, "grain-boundary reflection coefficient R of the "
        "Mayadas-Shatzkes model", min=0.0, max=0.99, steps=("pdk",), group="tech"),
    Key("metal", "table[]", DEFAULT_METAL, "metal levels bottom-up (index 0 = M0/BM0); an "
        "FFET's back stack mirrors it", steps=TECH_STEPS, group="tech", fields=METAL_FIELDS),
    Key("back_metal", "table[]", [], "power-only back stack for CFET (BM0 = rail level); empty: "
        "mirror `metal`", steps=TECH_STEPS, group="tech", fields=METAL_FIELDS),
]


def _on_grid(nm: float, dbu: int, step: int = 1) -> bool:
    """True when `nm` converts to a whole multiple of `step` database units."""
    v = nm * dbu / 1000.0
    return abs(v / step - round(v / step)) < 1e-9


def check(values: dict, report) -> None:
    """Cross-key rules. `report(key, value, allowed)` records one problem."""
    dbu = values.get("dbu_per_micron") or 2000
    grid = f"{1000 / dbu:g} nm grid of dbu_per_micron = {dbu}"
    if values.get("arch") == "cfet" and values.get("signal_sides") == "both":
        report("signal_sides", "both", "CFET carries signals on the front only: allowed 'front'")
    if isinstance(values.get("cpp"), int) and not _on_grid(values["cpp"], dbu):
        report("cpp", values["cpp"], f"a multiple of the {grid}")
    for table_key in ("metal", "back_metal"):
        for i, layer in enumerate(values.get(table_key) or []):
            pitch, width = layer.get("pitch"), layer.get("width")
            spacing, thick = layer.get("spacing"), layer.get("thickness")
            barrier = layer.get("barrier")
            if isinstance(pitch, int) and isinstance(width, int):
                if width >= pitch:
                    report(f"{table_key}[{i}].width", width, f"must be below the pitch {pitch} nm")
                if isinstance(spacing, int) and width + spacing > pitch:
                    report(f"{table_key}[{i}].spacing", spacing,
                           f"width + spacing must be at most the pitch {pitch} nm")
            # pitch and width must halve on the grid: tracks sit at pitch / 2 and wires are
            # drawn as centre line +- width / 2
            for name, v, step in (("pitch", pitch, 2), ("width", width, 2),
                                  ("spacing", spacing, 1), ("thickness", thick, 1),
                                  ("offset", layer.get("offset"), 1),
                                  ("dielectric_height", layer.get("dielectric_height"), 1)):
                if isinstance(v, int) and not _on_grid(v, dbu, step):
                    half = " (half of it too)" if step == 2 else ""
                    report(f"{table_key}[{i}].{name}", v, f"a multiple of the {grid}{half}")
            offset = layer.get("offset")
            if isinstance(offset, int) and isinstance(pitch, int) and offset >= pitch:
                report(f"{table_key}[{i}].offset", offset, f"below the pitch {pitch} nm")
            if isinstance(barrier, float) and isinstance(width, int) and isinstance(thick, int):
                if 2 * barrier >= width or barrier >= thick:
                    report(f"{table_key}[{i}].barrier", barrier,
                           f"below half the width ({width / 2:g} nm) and below the thickness "
                           f"({thick} nm), so a conducting core remains")
    metal = values.get("metal") or []
    back_metal = values.get("back_metal") or []
    if back_metal and values.get("arch") == "ffet":
        report("back_metal", f"[{len(back_metal)} levels]", "only with arch = 'cfet' (an FFET's "
               "back stack mirrors `metal`); remove it")
    n_metal = len(metal)
    n = values.get("layers_front")
    if isinstance(n, int) and n > n_metal:
        report("layers_front", n, f"at most {n_metal} (levels defined in `metal`)")
    n = values.get("layers_back")
    if isinstance(n, int):
        if back_metal and values.get("arch") == "cfet" and n > len(back_metal):
            report("layers_back", n, f"at most {len(back_metal)} (levels in `back_metal`)")
        elif not back_metal and n > n_metal:
            report("layers_back", n, f"at most {n_metal} (levels defined in `metal`)")
    tracks = values.get("cell_height_tracks")
    if metal and isinstance(metal[0].get("pitch"), int) and isinstance(tracks, float):
        height = tracks * metal[0]["pitch"]
        if not _on_grid(height, dbu):
            report("cell_height_tracks", tracks, f"tracks x M0 pitch ({height:g} nm) on the {grid}")
