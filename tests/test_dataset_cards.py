"""Every bundled plan has a dataset card, and what the card states about its file is true."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted(p for p in (ROOT / "data" / "plans").iterdir() if p.is_dir())


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_the_card_states_the_file_as_it_is(plan: Path) -> None:
    card = (plan / "CARD.md").read_text(encoding="utf-8")
    meta = yaml.safe_load((plan / "plan.yaml").read_text(encoding="utf-8"))
    source = next(plan.glob("source.*"))
    data = source.read_bytes()
    assert f"`{hashlib.sha256(data).hexdigest()}`" in card
    assert f"{len(data):,} bytes" in card
    assert f"{data.decode('utf-8').count(chr(10)):,} lines" in card
    assert f"`{meta['id']}`" in card and str(meta["title"]).strip("“”") in card
    assert str(meta["issuer"]) in card
    for heading in ("Where the text comes from", "What was abridged", "Licence of the text"):
        assert re.search(rf"^## {heading}$", card, re.M), heading


def test_the_indicator_numbering_the_card_describes_is_the_parse(bundled_doc) -> None:  # type: ignore[no-untyped-def]
    card = (ROOT / "data" / "plans" / "informatization-14fyp" / "CARD.md").read_text(encoding="utf-8")
    m = re.search(r"`indicator-(\d+)` is the row the table numbers\s+(\d+) \(`ordinal: (\d+)`\)", card)
    assert m, "the card's example of indicator numbering"
    by_eid = {e.eid.rsplit("/", 1)[-1]: e for e in bundled_doc.root.walk()}
    assert by_eid[f"indicator-{m.group(1)}"].ordinal == int(m.group(2)) == int(m.group(3))


def test_the_licence_and_citation_files_are_there() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "MIT"
    assert cff["version"] in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
