"""Architecture rules of the cell layouts (FFET and CFET) and the device-level constants.

Every rule and number here is written down with its source in docs/cells-layout.md; the
sources are the rows of /work/shared/REFERENCES.md named in brackets.

Tiers and sides
---------------
FFET (Lu et al. VLSI 2024; Guo et al. TED 2025 [4b]): the p tier lies on the front, the n tier
on the back; each tier is wired by the local metal of its own side (p -> M0, n -> BM0). VDD
rail on the p side's M0, VSS rail on the n side's BM0 (REFERENCES 6a). Drain merge (DM) joins an
n and a p drain at one source/drain position, gate merge (GM) joins the two gates of a column
whose devices share the gate net; a field drain merge (FDM, Guo TED 2025) joins the two sides'
M0 wires of one net where no DM position exists. Split gates: GM left out, each gate contacted
from its own side.

CFET (imec mCFET; Radosavljevic IEDM 2023 [4a]): n on top (front), p at the bottom: the order of
the IEDM 2024 imec mCFET with back-side contact to the bottom pMOS and of Intel's IEDM 2023
stacked inverter. One shared gate per column; every signal pin on front M0; both rails on the
back (BPR-like, BM0 under the cell edges, REFERENCES 6d). Top-tier contacts reach M0 directly;
bottom-tier source/drain and split gates reach M0 through tall contacts past the top tier;
outputs join the two drains with a vertical drain link ("supervia"); the top tier's VSS
source reaches the back rail through a tall via past the bottom tier (REFERENCES 4a).
"""

from __future__ import annotations

from dataclasses import dataclass

#: vacuum permittivity, fF/um (CODATA 2018)
EPS0 = 8.8541878128e-3


@dataclass(frozen=True)
class ArchRules:
    """Which side wires each tier, where the rails are, which tier sits on top (CFET)."""

    arch: str
    tier_side: dict  # "p"/"n" -> "front"/"back": side whose level-0 metal wires that tier
    rail_side: dict  # "VDD"/"VSS" -> side of its rail
    rail_edge: dict  # "VDD"/"VSS" -> "top"/"bottom" cell edge
    far_tier: str | None  # CFET: the tier reached from the front only through tall contacts


def arch_rules(arch: str) -> ArchRules:
    if arch == "ffet":
        # Both FFET rails sit on the top edge: with tracks at pitch / 2 + k * pitch (docs/tech.md)
        # a 3.5-track row leaves half a track free only at the top, so each side keeps 3
        # signal tracks (the bottom edge has no rail on either side). Rows flip, so rails of
        # two rows meet at every other row boundary.
        return ArchRules("ffet", {"p": "front", "n": "back"}, {"VDD": "front", "VSS": "back"},
                         {"VDD": "top", "VSS": "top"}, None)
    if arch == "cfet":
        # conventional VDD top / VSS bottom; both on the back rail level
        return ArchRules("cfet", {"p": "front", "n": "front"}, {"VDD": "back", "VSS": "back"},
                         {"VDD": "top", "VSS": "bottom"}, "p")
    raise ValueError(f"unknown architecture {arch!r}")


# ---- device-level geometry (nm) -------------------------------------------------------------
#: drawn gate length: REFERENCES 6a (IRDS 2022 HP Lg, PTM 16 HP)
GATE_LENGTH_NM = 16.0
#: source/drain and gate contact CD: IRDS 2022 contact CD 18-20 nm (REFERENCES 1a)
CONTACT_CD_NM = 18.0
#: active (nanosheet) width across the row: 25 nm sheets (ffet_flow.cells.device, W_UNIT)
SHEET_WIDTH_NM = 25.0

# ---- contact and link resistances (Ohm) ------------------------------------------------------
#: source/drain contact (trench contact + via to M0): GT2N VSD 36.9 Ohm (REFERENCES 2e)
R_SD_CONTACT = 36.9
#: gate contact: GT2N VG 31.9 Ohm (REFERENCES 2e)
R_GATE_CONTACT = 31.9
#: a tall contact reaching the far (bottom) CFET tier from the front, or the top tier's source
#: reaching the back rail: the conductor is about twice as tall (it passes the other tier and
#: the middle isolation), so twice the contact resistance. Placeholder: REFERENCES 4a states
#: the penalty (Lee et al., TED 2025) without a number.
TALL_FACTOR = 2.0
#: DM, GM, FDM and the CFET vertical drain link: REFERENCES 6a placeholder 50-80 Ohm per link
#: (about 1.5-2 x a 37 Ohm S/D contact) pending a published DM resistance; the midpoint.
R_LINK = 65.0
#: rail contact of a source on the rail's own side: GT2N VBPR 32 Ohm (REFERENCES 2e, 4c)
R_RAIL_CONTACT = 32.0

# ---- contact capacitance (fF) ----------------------------------------------------------------
#: dielectric constant in the gate/MOL region: GT2N ITF ER 7.0 (REFERENCES 1d)
K_MOL = 7.0
#: contact height (nm) from the device to M0: one M0 thickness (28 nm) of MOL
CONTACT_HEIGHT_NM = 28.0


def contact_cap_ff(cpp_nm: float) -> float:
    """Capacitance of one contact to its two neighbouring gate lines (fF), for a CPP in nm.

    Parallel plate over the facing area (contact height x sheet width) at the contact-to-gate
    gap (CPP - Lg - contact CD) / 2, on both sides, in the MOL dielectric: 2 eps0 k A / d.
    About 0.01 fF at CPP 51 nm (gap 8.5 nm); for comparison a full nano-TSV is ~0.04 fF
    (REFERENCES 2e).
    """
    gap_nm = (cpp_nm - GATE_LENGTH_NM - CONTACT_CD_NM) / 2.0
    if gap_nm <= 0:
        raise ValueError(f"CPP {cpp_nm} nm leaves no room between gate and contact")
    area_um2 = CONTACT_HEIGHT_NM * SHEET_WIDTH_NM * 1e-6
    return 2.0 * EPS0 * K_MOL * area_um2 / (gap_nm * 1e-3)


#: an inter-tier link (DM, GM, FDM, supervia) spans the device layer, about two contact heights
LINK_CAP_FACTOR = 2.0

# ---- GDS layers of the device level (metal layers come from the tech: 100+ front, 200+ back)
DEVICE_LAYERS = {
    "NACT": (1, 0),      # n active (nanosheet stack)
    "PACT": (2, 0),      # p active
    "NGATE": (3, 0),     # n-tier gate line
    "PGATE": (4, 0),     # p-tier gate line
    "DUMMY": (5, 0),     # dummy gate: diffusion break and cell-edge half gate
    "NCONT": (6, 0),     # n-tier S/D contact up (or down) to its level-0 metal
    "PCONT": (7, 0),     # p-tier S/D contact
    "NGCONT": (8, 0),    # n-tier gate contact
    "PGCONT": (9, 0),    # p-tier gate contact
    "DM": (10, 0),       # drain merge (FFET) / vertical drain link (CFET supervia)
    "GM": (11, 0),       # gate merge (FFET)
    "FDM": (12, 0),      # field drain merge (FFET): side-to-side link between two M0 wires
    "RAILCONT": (13, 0),  # source contact to a supply rail
    "OUTLINE": (99, 0),  # cell boundary (place-and-route outline)
}
