"""The README's measured-figures block is generated from the tracked bench snapshot
(`ffet bench --readme`) and must stay exactly what the generator makes from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ffet_flow.bench import declared_keys, key_matches
from ffet_flow.bench.readme import (
    NOT_MEASURED,
    ROWS,
    Row,
    current_block,
    figures_block,
    format_value,
    measured,
    placeholders,
    read_snapshot,
    replace_block,
    snapshot_line,
)
from ffet_flow.cli import main
from ffet_flow.commands.bench import write_readme
from ffet_flow.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
REFERENCE = ROOT / "reports/bench/reference.json"


def test_readme_figures_block_is_generated_from_the_reference_snapshot():
    block = current_block(README.read_text())
    assert block is not None, "README lacks the figures block markers"
    expected = figures_block(read_snapshot(REFERENCE), "reports/bench/reference.json")
    assert block == expected, (
        "README figures block is stale: regenerate with `ffet bench --readme`")


def test_every_key_a_row_shows_is_one_a_benchmark_declares():
    declared = [k for keys in declared_keys().values() for k in keys]
    for row in ROWS:
        keys = [key for key, _member, _spec in placeholders(row.measured)]
        assert keys, row.figure
        for key in keys:
            assert any(key_matches(key, d) or key_matches(d, key) for d in declared), key


def test_reference_snapshot_holds_only_declared_keys_and_its_machine():
    snap = read_snapshot(REFERENCE)
    declared = [k for keys in declared_keys().values() for k in keys]
    assert [k for k in snap if not k.startswith("_")
            and not any(key_matches(k, d) for d in declared)] == []
    assert snap["_meta"] and all(m["cores"] and m["cpu"] and m["when"]
                                 for m in snap["_meta"].values())


@pytest.mark.parametrize("value, spec, text", [
    (0.0153, ".3f", "0.015"),
    (21811, "", "21,811"),
    (153.24, ".0f", "153"),
    (1.0128, "", "1.013"),
    (True, "", "yes"),
    (False, ".3f", "no"),
    ("a|b", "", "a\\|b"),
    (383022.8, ",.1f", "383,022.8"),
])
def test_values_are_formatted_from_the_spec(value, spec, text):
    assert format_value(value, spec) == text


def test_a_missing_or_null_key_is_not_measured():
    template = "{a.seconds:.1f} s ({a.n} nets)"
    assert measured(template, {"a.seconds": 1.25, "a.n": 2000}) == "1.2 s (2,000 nets)"
    assert measured(template, {"a.seconds": 1.25}) == NOT_MEASURED
    assert measured(template, {"a.seconds": None, "a.n": 3}) == NOT_MEASURED
    assert measured(template, {"a.seconds": float("nan"), "a.n": 3}) == NOT_MEASURED


def test_table_members_and_patterns():
    snap = {"r": {"area": 0.8634, "fmax": None}, "cpi": 1.17, "cpi.sort": 1.174,
            "cpi.crc32": 1.2031}
    assert measured("{r[area]:.3f}", snap) == "0.863"
    assert measured("{r[fmax]:.3f}", snap) == NOT_MEASURED
    assert measured("{r[power]:.3f}", {"r": {}}) == NOT_MEASURED
    assert measured("{cpi:.2f} ({cpi.*:.3f})", snap) == "1.17 (crc32 1.203, sort 1.174)"
    assert measured("{other.*}", snap) == NOT_MEASURED
    assert measured("{cpi.*}", {"cpi.a": 1, "cpi.b": None}) == NOT_MEASURED
    with pytest.raises(ConfigError, match="table with member"):
        measured("{cpi[x]}", snap)
    with pytest.raises(ConfigError, match="cpi.sort"):
        measured("{cpi.sort:d}", snap)  # a float where an integer is expected


def test_block_names_the_snapshot_its_dates_and_machine():
    meta = {"a": {"when": "2025-01-02 10:00", "cores": 2, "cpu": "AMD EPYC"},
            "b": {"when": "2025-01-03 09:00", "cores": 2, "cpu": "AMD EPYC"}}
    assert snapshot_line({"_meta": meta}, "ref.json") == (
        "Snapshot `ref.json`: 2 benchmarks run 2025-01-02 to 2025-01-03 on 2 cores, AMD EPYC.")
    assert "records no dates" in snapshot_line({}, "ref.json")
    rows = (Row("`x.seconds`", "{x.seconds:.1f} s", "< 1 s", "docs/a.md"),
            Row("`y`", "{y}", "-", "docs/a.md"), Row("`z`", "{z}", "-", "ffet z"))
    block = figures_block({"x.seconds": 0.42, "_meta": meta}, "ref.json", rows)
    lines = block.splitlines()
    assert lines[2] == "| figure | measured | target | source |"
    assert lines[4] == "| `x.seconds` | 0.4 s | < 1 s | [docs/a.md](docs/a.md) |"
    assert lines[5] == f"| `y` | {NOT_MEASURED} | - | same |"
    assert lines[6] == f"| `z` | {NOT_MEASURED} | - | `ffet z` |"
    assert figures_block({"x.seconds": 0.42, "_meta": meta}, "ref.json", rows) == block


def test_block_replacement_keeps_the_text_around_it():
    text = "intro\n<!-- figures:begin -->\nold\n<!-- figures:end -->\nafter\n"
    new = replace_block(text, "new\n")
    assert new == "intro\n<!-- figures:begin -->\nnew\n<!-- figures:end -->\nafter\n"
    assert current_block(new) == "new\n"
    with pytest.raises(ConfigError, match="markers"):
        replace_block("no markers", "x\n")


def test_command_writes_the_block_and_fails_in_one_line_without_a_snapshot(tmp_path, capsys):
    snap = tmp_path / "ref.json"
    snap.write_text(json.dumps({"pdk.seconds": 0.0153, "pdk.seconds__cfet": 0.012,
                                "_meta": {"pdk": {"when": "2025-01-02 10:00", "cores": 2,
                                                  "cpu": "CPU"}}}))
    readme = tmp_path / "README.md"
    readme.write_text("a\n<!-- figures:begin -->\n<!-- figures:end -->\nb\n")
    assert write_readme(snap, readme)
    text = readme.read_text()
    assert "| 0.015 s FFET, 0.012 s CFET | < 2 s |" in text and text.endswith("\nb\n")
    assert NOT_MEASURED in text  # every other row
    assert not write_readme(snap, readme)  # deterministic: a second run changes nothing
    assert main(["bench", "--readme", "--snapshot", str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "missing.json" in err
