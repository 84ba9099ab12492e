"""Design rules of the generated technology, derived from each layer's pitch and width.

One source of truth: `build_tech` stores these values on every `Layer` and `Via`, the tech LEF
writes them (WIDTH / MINWIDTH, SPACING, SPACING .. ENDOFLINE .. WITHIN, AREA, cut WIDTH,
SPACING and ENCLOSURE), the router reads them back from the LEF and the layout checker checks
the same LEF statements. All results are integer dbu (areas dbu^2), rounded towards the safe
side (spacings and areas up, the end-of-line search width down).

Sources (docs/tech.md, "Design rules"): the ASAP7 7 nm predictive PDK's technology LEF
(`asap7_tech_1x_201209.lef`, OpenROAD-flow-scripts `flow/platforms/asap7/lef/`, REFERENCES 1c),
whose rules are given at 36-64 nm pitches; ours are the same ratios at our pitches:

- tip-to-tip (end-of-line) spacing: ASAP7 M2/M3 `ENDTOEND 0.031` at a 36 nm pitch, 0.86 of the
  pitch (M4/M5: 40 nm at 48 nm, 0.83); applied to layers up to a 48 nm pitch. ASAP7's
  semi-global and global levels (M8, M9) have no end-of-line rule: there it is the spacing.
- end-of-line width: ASAP7 `ENDOFLINE 0.025` for 18 nm lines (25/18 of the width): an edge
  narrower than that is a line end, so every minimum-width line end is one.
- end-of-line search width beyond the line's sides (WITHIN): ASAP7 M3 0.0125 at an 18 nm
  spacing (12.5/18 of the spacing). It stays below the spacing, so metal on the neighbouring
  track is outside the end-of-line window.
- minimum area: ASAP7 `AREA 0.000666` for 18 nm lines at a 36 nm pitch (1.03 x width x pitch),
  0.0021875 for 32 nm lines at 64 nm (1.07 x); ours is width x pitch, the lower end.
- via enclosure along each metal's direction: half the cut (ASAP7: 5-11 nm for its 18-24 nm
  cuts), lengthened where a lone via pad would be smaller than the layer's minimum area, so
  that a via landing never needs a separate area patch (our choice; a pad is then at least
  one pitch long). Across the metal the pad is the line width.
"""

from __future__ import annotations

#: ASAP7 M2/M3 ENDTOEND / pitch = 31 / 36 (applied to layers up to EOL_MAX_PITCH_NM)
EOL_PER_PITCH = (31, 36)
EOL_MAX_PITCH_NM = 48
#: ASAP7 ENDOFLINE width / line width = 25 / 18
EOL_WIDTH_PER_WIDTH = (25, 18)
#: ASAP7 M3 WITHIN / spacing = 12.5 / 18
EOL_WITHIN_PER_SPACING = (25, 36)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def eol_spacing(pitch: int, spacing: int, pitch_nm: float) -> int:
    """Tip-to-tip spacing (dbu) of a layer with `pitch` and `spacing` in dbu."""
    if pitch_nm > EOL_MAX_PITCH_NM:
        return spacing
    num, den = EOL_PER_PITCH
    return max(spacing, _ceil_div(pitch * num, den))


def eol_width(width: int) -> int:
    """Edges shorter than this (dbu) are line ends."""
    num, den = EOL_WIDTH_PER_WIDTH
    return _ceil_div(width * num, den)


def eol_within(spacing: int) -> int:
    """How far beyond a line end's sides (dbu) the end-of-line rule looks; below the spacing."""
    num, den = EOL_WITHIN_PER_SPACING
    return max(0, min(spacing - 1, (spacing * num) // den))


def min_area(width: int, pitch: int) -> int:
    """Minimum metal area (dbu^2): width x pitch."""
    return width * pitch


def via_enclosure(cut: int, width: int, area: int) -> int:
    """Enclosure (dbu) of a `cut` along a metal of `width` and minimum `area`: half the cut,
    or more when the pad (cut + 2 enclosures long, `width` wide) would be below the area."""
    need = _ceil_div(area, width) if width else 0
    return max(cut // 2, _ceil_div(max(0, need - cut), 2))


def via_pad(cut: int, enclosure: int, width: int) -> tuple[int, int]:
    """(along, across) full size of a via's metal on a layer of `width`: the cut plus the
    enclosure at both ends along the layer's direction, the line width across."""
    return cut + 2 * enclosure, width
