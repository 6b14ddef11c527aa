"""The real corpus (``../shared/corpus/``) against its hand-counted gold, file by file.

``tests/corpus_held.json`` records which gold facts of each file the parser holds today. A fact that held
and no longer holds fails here (a regression on a real plan); a fact that newly holds fails too until the
record is updated (``pytest tests/test_corpus.py --update-golden``), so the record stays the truth and
the README/notes figures can be read from it. The corpus is data from elsewhere: it is read in place and
never copied into the project. CI has it beside the checkout; without it these tests fail (never skip).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plangraph.ingest.conformance import check_file, load_gold

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RECORD = Path(__file__).resolve().parent / "corpus_held.json"
GOLD = load_gold(CORPUS) if (CORPUS / "gold.json").is_file() else {}


def test_corpus_is_there() -> None:
    assert GOLD, f"the corpus is missing: expected {CORPUS}/gold.json beside the checkout"
    assert len(GOLD) >= 15
    for name in GOLD:
        assert (CORPUS / name).is_file(), name


@pytest.fixture(scope="module")
def record(update_golden: bool) -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.is_file() else {}
    yield data
    if update_golden:
        RECORD.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")


@pytest.mark.parametrize("name", sorted(GOLD))
def test_corpus_file_holds_its_facts(name: str, record: dict[str, list[str]], update_golden: bool) -> None:
    results = check_file(CORPUS / name, GOLD[name])
    held = sorted(r.name for r in results if r.held)
    if update_golden:
        record[name] = held
        return
    before = set(record.get(name, []))
    lost = [r.describe() for r in results if r.name in before and not r.held]
    gained = sorted(set(held) - before)
    assert not lost, f"{name}: facts that held no longer hold: {lost}"
    assert not gained, f"{name}: newly held facts {gained}: update tests/corpus_held.json (--update-golden)"
