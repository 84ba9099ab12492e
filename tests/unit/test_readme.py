"""The README's configuration table is generated from the registry and must stay in sync."""

from __future__ import annotations

import re
from pathlib import Path

from ffet_flow.cli import _commands
from ffet_flow.commands.config import markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_key_table_matches_the_registry():
    text = README.read_text()
    match = re.search(r"<!-- keys:begin -->\n(.*?)<!-- keys:end -->", text, re.S)
    assert match, "README lacks the generated key table markers"
    assert match.group(1) == markdown_table(), (
        "README key table is stale: regenerate with `ffet config --list --markdown`")


def test_readme_lists_every_command():
    text = README.read_text()
    for name in _commands():
        assert f"`ffet {name}" in text, name
