"""Wire resistance and capacitance per unit length, from documented closed-form models.

Inputs are in nanometres (geometry), uOhm.cm (resistivity) and relative permittivity; outputs
are Ohm/um and fF/um. The functions are pure and accept numpy arrays as well as scalars.

Resistance
----------
Effective resistivity of a narrow line with the combined Fuchs-Sondheimer (surface scattering)
and Mayadas-Shatzkes (grain-boundary scattering) model in the form of W. Steinhoegl, G.
Schindler, G. Steinlesberger, M. Engelhardt, "Size-dependent resistivity of metallic wires in
the mesoscopic range", Phys. Rev. B 66, 075414 (2002), eq. (4):

    rho / rho0 = 1 / (1 - 3a/2 + 3a^2 - 3a^3 ln(1 + 1/a))          (Mayadas-Shatzkes)
               + (3/8) C (1 - p) (1 + AR) / AR * lambda / w           (Fuchs-Sondheimer, wire)
    a = (lambda / d) * R / (1 - R)

with lambda the electron mean free path, d the mean grain size, R the grain-boundary reflection
coefficient, p the surface specularity, AR = h / w and C = 1.2 (Steinhoegl's constant for a
rectangular cross-section). The two mechanisms add (Matthiessen's rule), as in that paper.
We take the grain size equal to the width of the conducting core: damascene Cu grains grow
until they span the trench (the assumption Steinhoegl et al. make, d ~ w).

The conducting core excludes the liner/barrier on both side walls and the bottom:
w_core = w - 2 t_b, h_core = h - t_b (the section used by Ciofi et al., IEEE TED 63(6), 2016,
and in REFERENCES 2a). The barrier (TaN/Ta, ~200 uOhm.cm) is treated as non-conducting; its
parallel conductance is below 1 % at these sizes.

Temperature: the bulk resistivity follows rho0(T) = rho0(20 C) (1 + alpha (T - 20 C)),
alpha = 0.0039 /K for Cu (CRC Handbook of Chemistry and Physics). The product rho0 * lambda is a
material constant of the free-electron model (Gall, J. Appl. Phys. 119, 085101, 2016), so the
mean free path scales as lambda(T) = lambda(20 C) rho0(20 C) / rho0(T).

Capacitance
-----------
S.-C. Wong, G.-Y. Lee, D.-J. Ma, "Modeling of interconnect capacitance, delay, and crosstalk in
VLSI", IEEE Trans. Semicond. Manuf. 13(1):108-111, 2000 (the PTM interconnect "structure 2": a
line between two ground planes at distance H above and below, with a neighbour at spacing S on
each side); per plane and per neighbour:

    C_g / eps = W/H + 2.04 (S / (S + 0.54 H))^1.77 (T / (T + 4.53 H))^0.07
    C_c / eps = 1.41 (T/S) exp(-4S / (S + 8.01 H))
              + 2.37 (W / (W + 0.31 S))^0.28 (H / (H + 8.96 S))^0.76 exp(-2S / (S + 6 H))
    C_total = 2 (C_g + C_c)

The ground part splits into a parallel-plate term 2 eps W / H (the LEF CPERSQDIST, eps / H
per plane times two planes, per unit plan area) and a fringe term; the LEF EDGECAPACITANCE is
the rest of the total (fringe to the planes plus coupling to the neighbours, which a grounded
extraction treats as capacitance to ground) divided over the two edges of the line.
Wong et al. state an accuracy of about 10 % against field solutions over the usual range of
W/H, S/H and T/H; beyond S of about 2.5 H the fitted total rises again slightly (under 3 % up to
S = 7 H, 6 % at 14 H), an artefact of the fit, not physics. Real stacks have S of 0.5 to 1 H.
"""

from __future__ import annotations

import numpy as np

#: vacuum permittivity in fF/um (8.8541878128e-12 F/m; CODATA 2018)
EPS0_FF_PER_UM = 8.8541878128e-3
#: temperature coefficient of the resistivity of Cu near room temperature, 1/K (CRC Handbook)
ALPHA_CU = 0.0039
#: Steinhoegl et al. (PRB 66, 075414, 2002) constant of the wire Fuchs-Sondheimer term
STEINHOEGL_C = 1.2
#: reference temperature of the configured bulk resistivity (CRC tabulates Cu at 20 C), in C
T_REF_C = 20.0


def _ms_factor(alpha):
    """Mayadas-Shatzkes rho_gb / rho0 for grain-boundary parameter alpha (>= 0)."""
    a = np.asarray(alpha, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = 1.0 - 1.5 * a + 3.0 * a**2 - 3.0 * a**3 * np.log1p(1.0 / np.where(a > 0, a, 1.0))
        # for large alpha the direct form cancels catastrophically; the series of
        # 3 a^3 ln(1 + 1/a) in 1/a gives f = 3/(4a) - 3/(5a^2) + 1/(2a^3) - 3/(7a^4) + ...
        inv = 1.0 / np.where(a > 0, a, 1.0)
        series = inv * (0.75 + inv * (-0.6 + inv * (0.5 + inv * (-3.0 / 7.0 + inv * 0.375))))
    f = np.where(a > 30.0, series, direct)
    f = np.where(a > 0, f, 1.0)
    return 1.0 / f


def bulk_resistivity(rho_bulk_20c: float, temperature_c: float) -> float:
    """Bulk resistivity (uOhm.cm) at `temperature_c`, from its 20 C value (linear TCR)."""
    return rho_bulk_20c * (1.0 + ALPHA_CU * (temperature_c - T_REF_C))


def effective_resistivity(width_nm, thickness_nm, barrier_nm, *, rho_bulk: float,
                          mean_free_path: float, specularity: float, grain_reflection: float,
                          temperature: float = T_REF_C):
    """Size-effect resistivity (uOhm.cm) of the conducting core of a line.

    width_nm, thickness_nm: drawn line width and metal thickness (nm); barrier_nm: liner
    thickness (nm) removed from both side walls and the bottom. rho_bulk: bulk resistivity at
    20 C (uOhm.cm); mean_free_path at 20 C (nm); specularity p in [0, 1]; grain_reflection R in
    [0, 1). Raises ValueError when no conducting core is left.
    """
    w = np.asarray(width_nm, dtype=float) - 2.0 * np.asarray(barrier_nm, dtype=float)
    h = np.asarray(thickness_nm, dtype=float) - np.asarray(barrier_nm, dtype=float)
    if np.any(w <= 0) or np.any(h <= 0):
        raise ValueError("barrier leaves no conducting core")
    rho0 = bulk_resistivity(rho_bulk, temperature)
    lam = mean_free_path * rho_bulk / rho0
    grain = w  # grain size ~ core width (Steinhoegl et al. 2002)
    alpha = lam / grain * grain_reflection / (1.0 - grain_reflection)
    aspect = h / w
    fs = 0.375 * STEINHOEGL_C * (1.0 - specularity) * (1.0 + aspect) / aspect * lam / w
    return rho0 * (_ms_factor(alpha) + fs)


def resistance_per_um(width_nm, thickness_nm, barrier_nm, **model) -> np.ndarray | float:
    """Line resistance in Ohm/um: rho_eff over the conducting core section.

    rho in uOhm.cm = 1e-8 Ohm.m = 10 Ohm.nm; R/L = rho / A with A in nm^2 gives Ohm/nm, so
    R per um = 10 * rho / A * 1000.
    """
    rho = effective_resistivity(width_nm, thickness_nm, barrier_nm, **model)
    core = ((np.asarray(width_nm, float) - 2.0 * np.asarray(barrier_nm, float))
            * (np.asarray(thickness_nm, float) - np.asarray(barrier_nm, float)))
    return rho * 10.0 / core * 1000.0


def wong_capacitance(width_nm, spacing_nm, thickness_nm, height_nm, k_eff):
    """Wong/PTM structure-2 capacitance per um of a line, in fF/um.

    Returns (ground, coupling, area_per_um2): ground = 2 C_g (to the planes above and below),
    coupling = 2 C_c (to both neighbours), area_per_um2 = 2 eps / H, the parallel-plate part of
    the ground term per square micron of line plan area (fF/um^2). Total = ground + coupling.
    """
    w = np.asarray(width_nm, dtype=float)
    s = np.asarray(spacing_nm, dtype=float)
    t = np.asarray(thickness_nm, dtype=float)
    h = np.asarray(height_nm, dtype=float)
    eps = np.asarray(k_eff, dtype=float) * EPS0_FF_PER_UM
    cg = w / h + 2.04 * (s / (s + 0.54 * h)) ** 1.77 * (t / (t + 4.53 * h)) ** 0.07
    cc = (1.41 * (t / s) * np.exp(-4.0 * s / (s + 8.01 * h))
          + 2.37 * (w / (w + 0.31 * s)) ** 0.28 * (h / (h + 8.96 * s)) ** 0.76
          * np.exp(-2.0 * s / (s + 6.0 * h)))
    # eps / H with H in um gives fF/um^2
    area = 2.0 * eps / (h / 1000.0)
    return 2.0 * eps * cg, 2.0 * eps * cc, area
