"""Wire R and C models: hand-computed values, monotonic trends, literature sanity ranges."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ffet_flow.config import load_config
from ffet_flow.tech import rc
from ffet_flow.tech.model import build_tech

CU = dict(rho_bulk=1.72, mean_free_path=39.0, specularity=0.0, grain_reflection=0.3,
          temperature=20.0)


def test_resistance_of_m0_by_hand():
    # M0: 14 x 28 nm, barrier 2 nm -> Cu core 10 x 26 nm = 260 nm^2.
    # alpha = 39/10 * 0.3/0.7 = 1.671429; MS: 1/(1 - 1.5a + 3a^2 - 3a^3 ln(1 + 1/a)) = 3.27965
    # FS: 3/8 * 1.2 * (1 + 2.6)/2.6 * 39/10 = 2.43;  rho = 1.72 * (3.27965 + 2.43) = 9.8206
    # R = 9.8206 uOhm.cm = 98.206 Ohm.nm / 260 nm^2 = 0.37772 Ohm/nm = 377.72 Ohm/um
    assert rc.effective_resistivity(14, 28, 2.0, **CU) == pytest.approx(9.8206, rel=1e-4)
    assert rc.resistance_per_um(14, 28, 2.0, **CU) == pytest.approx(377.72, rel=1e-4)


def test_resistance_of_m10_by_hand():
    # M10: 80 x 160 nm, barrier 4 -> core 72 x 156 nm = 11232 nm^2
    # alpha = 39/72 * 3/7 = 0.232143; MS = 1.33189; FS = 0.45 * (1 + 2.16667)/2.16667 * 39/72
    # = 0.35625; rho = 1.72 * 1.68814 = 2.90360 uOhm.cm; R = 29.036 / 11232 * 1000 = 2.5851
    assert rc.resistance_per_um(80, 160, 4.0, **CU) == pytest.approx(2.5851, rel=1e-4)


def test_capacitance_of_m0_by_hand():
    # W = S = 14, T = H = 28, k 2.8: C_g/eps = 0.5 + 2.04 * (14/29.12)^1.77 * (28/154.84)^0.07
    # = 0.99507; C_c/eps = 1.41 * 2 * exp(-56/238) + 2.37 * (14/18.34)^0.28 * (28/153.44)^0.76
    # * exp(-28/182) = 2.74653; eps = 2.8 * 8.8542e-3 fF/um; total = 2 eps (C_g + C_c)
    g, c, area = rc.wong_capacitance(14, 14, 28, 28, 2.8)
    eps = 2.8 * 8.8541878128e-3
    assert g == pytest.approx(2 * eps * 0.99507, rel=1e-4)
    assert c == pytest.approx(2 * eps * 2.74653, rel=1e-4)
    assert g + c == pytest.approx(0.18552, rel=1e-4)
    assert area == pytest.approx(2 * eps / 0.028, rel=1e-9)  # fF/um^2


def test_capacitance_of_m6_by_hand():
    # W = S = 40, T = H = 80 (same ratios as M0), k 3.0: same shape factors, eps scales
    g, c, _ = rc.wong_capacitance(40, 40, 80, 80, 3.0)
    assert g + c == pytest.approx(2 * 3.0 * 8.8541878128e-3 * (0.99507 + 2.74653), rel=1e-4)
    assert g + c == pytest.approx(0.19877, rel=1e-4)


def test_wider_wire_has_lower_resistance():
    widths = np.arange(10, 200, 2.0)
    r = rc.resistance_per_um(widths, 2 * widths, 2.0, **CU)
    assert np.all(np.diff(r) < 0)
    # and the size effect vanishes for wide lines: rho_eff approaches the bulk value
    rho = rc.effective_resistivity(widths, 2 * widths, 2.0, **CU)
    assert np.all(np.diff(rho) < 0) and rho[-1] < 1.3 * 1.72 and rho[0] > 4 * 1.72


def test_closer_spacing_has_higher_capacitance():
    # over the spacings of real stacks (S from 0.3 H to 2 H); beyond about 2.5 H the fitted
    # formula's total drifts up by under 3 % to S = 7 H (documented in rc.py)
    spacing = np.arange(8.0, 56.0, 1.0)
    g, c, _ = rc.wong_capacitance(14, spacing, 28, 28, 2.8)
    assert np.all(np.diff(g + c) < 0)
    far = np.arange(8.0, 198.0, 2.0)
    g, c, _ = rc.wong_capacitance(14, far, 28, 28, 2.8)
    assert np.all(np.diff(c) < 0) and np.all(np.diff(g) > 0)  # coupling falls, ground rises
    assert (g + c)[-1] <= 1.03 * np.min(g + c)


def test_wider_wire_has_higher_capacitance():
    widths = np.arange(10.0, 100.0, 2.0)
    g, c, _ = rc.wong_capacitance(widths, 14, 28, 28, 2.8)
    assert np.all(np.diff(g + c) > 0)


def test_thicker_barrier_and_hotter_wire_raise_resistance():
    r2 = rc.resistance_per_um(14, 28, 2.0, **CU)
    r3 = rc.resistance_per_um(14, 28, 3.0, **CU)
    hot = rc.resistance_per_um(14, 28, 2.0, **{**CU, "temperature": 105.0})
    assert r3 > r2 and hot > r2
    # specular surfaces and transparent grain boundaries lower it toward bulk
    assert rc.resistance_per_um(14, 28, 2.0, **{**CU, "specularity": 1.0}) < r2
    assert rc.resistance_per_um(14, 28, 2.0, **{**CU, "grain_reflection": 0.0}) < r2


def test_mayadas_shatzkes_series_branch_is_continuous():
    a = np.array([29.999, 30.001])
    direct = [1.0 / (1 - 1.5 * x + 3 * x * x - 3 * x**3 * math.log1p(1 / x)) for x in a]
    assert rc._ms_factor(a) == pytest.approx(direct, rel=1e-6)
    assert rc._ms_factor(np.array([0.0]))[0] == 1.0


def test_barrier_leaving_no_core_is_refused():
    with pytest.raises(ValueError):
        rc.resistance_per_um(4, 28, 2.0, **CU)


# REFERENCES.md 2c: Ciofi-model R per um for Cu lines, AR 2, W = S = pitch / 2 (pitch, barrier,
# Ohm/um). Our model uses different (Steinhoegl FS + MS) physics and literature parameters, so
# it must land in the same range, not on the same numbers.
CIOFI = [(28, 2.0, 420.0), (34, 2.0, 230.0), (42, 3.0, 149.0), (80, 3.0, 22.0), (160, 4.0, 4.0)]


@pytest.mark.parametrize(("pitch", "barrier", "ref"), CIOFI)
def test_resistance_within_range_of_published_model(pitch, barrier, ref):
    r = rc.resistance_per_um(pitch / 2, pitch, barrier, **CU)
    assert 0.6 * ref <= r <= 1.4 * ref


def test_default_stack_rc_matches_references_6c_range():
    tech = build_tech(load_config())
    m0 = tech.layer("M0")
    assert 300 < m0.r_per_um < 500  # REFERENCES 6c: 430 Ohm/um
    assert 0.15 < m0.c_per_um < 0.23  # 6c: 0.19 fF/um
    assert m0.c_per_um == pytest.approx(m0.c_ground_per_um + m0.c_coupling_per_um)
    # the LEF split reproduces the total: area x width + 2 edges
    w_um = tech.um(m0.width)
    assert m0.c_area_per_um2 * w_um + 2 * m0.c_edge_per_um == pytest.approx(m0.c_per_um)
    rs = [la.r_per_um for la in tech.layers("front")]
    assert rs[0] > rs[4] > rs[6] > rs[10]  # R falls with the tier
