"""KLayout technology (`tech.lyt`) and layer-properties (`layers.lyp`) writers.

Both files are written as fixed XML text (not through the klayout module) so their bytes depend
only on the technology, not on the installed KLayout version; the tests load them back with the
klayout module.

GDS numbers (also in layers.json): metal M<i> = 100 + 2i, via V<i> = 101 + 2i, back metal
BM<i> = 200 + 2i, back via BV<i> = 201 + 2i. Datatypes follow KLayout's LEF/DEF purposes:
0 drawn shapes (routing, special routing, via geometry), 1 labels, 2 pins, 3 obstructions,
4 blockages, 5 fills. The layer-properties file has one group "front" (blue to green) and one
group "back" (red to orange), so either side hides with one click.
"""

from __future__ import annotations

import colorsys
from pathlib import Path
from xml.sax.saxutils import escape

from ffet_flow.tech.model import Tech
from ffet_flow.util import atomic_write_text

#: LEF/DEF purpose suffix (KLayout's reader defaults) -> GDS datatype
PURPOSES = (("", 0), (".LABEL", 1), (".PIN", 2), (".OBS", 3), (".BLK", 4), (".FILL", 5))
#: hue ranges (degrees) of the two colour families: front blue -> green, back red -> orange
HUES = {"front": (215.0, 135.0), "back": (0.0, 38.0)}


def layer_entries(tech: Tech) -> list[tuple[str, str, int, bool, int]]:
    """(side, name, gds_layer, is_via, level) for every metal and via layer, bottom-up per side."""
    out = []
    for side in ("front", "back"):
        vias = {v.lower: v for v in tech.vias(side)}
        for la in tech.layers(side):
            out.append((side, la.name, la.gds_layer, False, la.level))
            if la.name in vias:
                v = vias[la.name]
                out.append((side, v.name, v.gds_layer, True, v.level))
    return out


def layer_map_expressions(tech: Tech) -> list[str]:
    """KLayout layer-map lines: 'M0.PIN : M0.PIN (100/2)' for each layer and purpose."""
    lines = []
    for _side, name, gds, _via, _level in layer_entries(tech):
        for suffix, datatype in PURPOSES:
            lines.append(f"{name}{suffix} : {name}{suffix} ({gds}/{datatype})")
    return lines


def lyt_text(tech: Tech, lef_files: tuple[str, ...] = ("tech.lef",),
             lyp_file: str = "layers.lyp") -> str:
    """The `.lyt` technology: dbu, layer-properties file, LEF/DEF reader with the layer map."""
    dbu_um = 1.0 / tech.dbu
    layer_map = ";".join("'" + e + "'" for e in layer_map_expressions(tech))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<technology>",
        f" <name>{escape(tech.name)}</name>",
        f" <description>ffet-flow {escape(tech.arch)}: {len(tech.front)} front and "
        f"{len(tech.back)} back metal layers</description>",
        f" <dbu>{dbu_um:.6g}</dbu>",
        f" <layer-properties_file>{escape(lyp_file)}</layer-properties_file>",
        " <add-other-layers>true</add-other-layers>",
        " <reader-options>",
        "  <lefdef>",
        "   <read-all-layers>true</read-all-layers>",
        f"   <layer-map>layer_map({escape(layer_map)})</layer-map>",
        f"   <dbu>{dbu_um:.6g}</dbu>",
        "   <produce-via-geometry>true</produce-via-geometry>",
        "   <produce-pins>true</produce-pins>",
        "   <produce-lef-pins>true</produce-lef-pins>",
        "   <produce-obstructions>true</produce-obstructions>",
        "   <produce-labels>true</produce-labels>",
        "   <produce-routing>true</produce-routing>",
        "   <produce-special-routing>true</produce-special-routing>",
        *(f"   <lef-files>{escape(f)}</lef-files>" for f in lef_files),
        "   <read-lef-with-def>true</read-lef-with-def>",
        "  </lefdef>",
        " </reader-options>",
        " <writer-options>",
        "  <gds2>",
        "   <write-timestamps>false</write-timestamps>",
        "  </gds2>",
        " </writer-options>",
        "</technology>",
    ]
    return "\n".join(lines) + "\n"


def colour(side: str, index: int, count: int, via: bool) -> str:
    """Deterministic '#rrggbb' colour of layer `index` of `count` in the side's family."""
    h0, h1 = HUES[side]
    frac = index / max(count - 1, 1)
    hue = (h0 + (h1 - h0) * frac) / 360.0
    light = 0.38 if via else 0.55
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.85)
    return "#" + "".join(f"{int(round(c * 255)):02x}" for c in (r, g, b))


def _props(indent: str, name: str, source: str, colour_hex: str, dither: str,
           tag: str) -> list[str]:
    return [
        f"{indent}<{tag}>",
        f"{indent} <expanded>false</expanded>",
        f"{indent} <frame-color>{colour_hex}</frame-color>",
        f"{indent} <fill-color>{colour_hex}</fill-color>",
        f"{indent} <frame-brightness>0</frame-brightness>",
        f"{indent} <fill-brightness>0</fill-brightness>",
        f"{indent} <dither-pattern>{dither}</dither-pattern>",
        f"{indent} <line-style/>",
        f"{indent} <valid>true</valid>",
        f"{indent} <visible>true</visible>",
        f"{indent} <transparent>false</transparent>",
        f"{indent} <width/>",
        f"{indent} <marked>false</marked>",
        f"{indent} <xfill>false</xfill>",
        f"{indent} <animation>0</animation>",
        f"{indent} <name>{escape(name)}</name>",
        f"{indent} <source>{escape(source)}</source>",
    ]


#: KLayout built-in stipple patterns, cycled per metal level (I0 solid is kept for vias)
_DITHERS = ("I5", "I9", "I6", "I10", "I7", "I11", "I8", "I12")


def lyp_text(tech: Tech) -> str:
    """The `.lyp` layer properties: groups "front" and "back", each layer drawn (datatype 0)."""
    entries = layer_entries(tech)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<layer-properties>"]
    for side in ("front", "back"):
        members = [e for e in entries if e[0] == side]
        n_levels = len(tech.layers(side))
        lines += [" <properties>", "  <expanded>true</expanded>", "  <frame-color/>",
                  "  <fill-color/>", "  <frame-brightness>0</frame-brightness>",
                  "  <fill-brightness>0</fill-brightness>", "  <dither-pattern/>",
                  "  <line-style/>", "  <valid>true</valid>", "  <visible>true</visible>",
                  "  <transparent>false</transparent>", "  <width/>", "  <marked>false</marked>",
                  "  <xfill>false</xfill>", "  <animation>0</animation>",
                  f"  <name>{side}</name>", "  <source>*/*@*</source>"]
        for _side, name, gds, via, level in members:
            hexc = colour(side, level, n_levels, via)
            dither = "I0" if via else _DITHERS[level % len(_DITHERS)]
            lines += _props("  ", name, f"{name} {gds}/0@1", hexc, dither, "group-members")
            lines.append("  </group-members>")
        lines.append(" </properties>")
    lines += [" <name/>", "</layer-properties>"]
    return "\n".join(lines) + "\n"


def write_klayout_files(tech: Tech, out_dir: Path, lef_files: tuple[str, ...] = ("tech.lef",)
                        ) -> dict[str, Path]:
    """Write tech.lyt and layers.lyp into `out_dir`; return {"lyt": path, "lyp": path}."""
    out_dir = Path(out_dir)
    paths = {"lyt": out_dir / "tech.lyt", "lyp": out_dir / "layers.lyp"}
    atomic_write_text(paths["lyt"], lyt_text(tech, lef_files, paths["lyp"].name))
    atomic_write_text(paths["lyp"], lyp_text(tech))
    return paths
