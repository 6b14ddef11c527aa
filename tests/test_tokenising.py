"""The two shortcuts that keep tokenising cheap give exactly what the long way gives.

- :func:`ingest.posseg.viterbi` (the body recogniser's POS decoding) returns jieba's own route and
  probability, on the runs of characters of real plans and on random strings;
- :func:`ingest.extract.lexicon_entities` (the EntityRuler run on the windows where a lexicon form occurs,
  joined) finds the entities the ruler finds in each whole text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plangraph.ingest.extract import build_nlp, lexicon_entities, lexicon_windows
from plangraph.ingest.lexicon import LEXICON_DIR
from plangraph.ingest.load import load_source
from plangraph.ingest.posseg import viterbi

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "plans" / "informatization-14fyp" / "source.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


def _texts() -> list[str]:
    paths = [BUNDLED, *sorted(CORPUS.glob("*.txt"))[:4]] if CORPUS.is_dir() else [BUNDLED]
    return [load_source(p).text for p in paths]


@pytest.fixture(scope="module")
def jieba_hmm():  # type: ignore[no-untyped-def]
    import importlib

    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P

    # the module itself: the name jieba.posseg.viterbi is ours once the recogniser is built
    original = importlib.import_module("jieba.posseg.viterbi").viterbi
    assert original is not viterbi
    return original, (char_state_tab_P, start_P, trans_P, emit_P)


def test_the_decoding_is_jiebas_on_the_runs_of_real_plans(jieba_hmm) -> None:  # type: ignore[no-untyped-def]
    original, tables = jieba_hmm
    runs = sorted({r for text in _texts() for r in re.findall(r"[\u4e00-\u9fd5]{1,12}", text)})
    runs = runs[:: max(1, len(runs) // 1500)]  # a spread sample: the whole set takes minutes in jieba's
    assert len(runs) > 500
    for run in runs:
        assert viterbi(run, *tables) == original(run, *tables), run


PLAN_CHARS = sorted(set("".join(_texts())) - set(" \n\t"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(PLAN_CHARS), min_size=1, max_size=8))
def test_the_decoding_is_jiebas_on_random_strings(jieba_hmm, s: str) -> None:  # type: ignore[no-untyped-def]
    original, tables = jieba_hmm
    assert viterbi(s, *tables) == original(s, *tables)


def _whole(text: str) -> list[tuple[str, str, int, int]]:
    doc = build_nlp(LEXICON_DIR)(text)
    return [(e.label_, e.ent_id_ or e.text, e.start_char, e.end_char) for e in doc.ents]


def test_the_ruler_on_windows_finds_what_it_finds_in_the_whole_text() -> None:
    paragraphs = [p for text in _texts() for p in text.split("\n") if p.strip()]
    assert len(paragraphs) > 1000
    found = lexicon_entities(paragraphs)
    assert sum(map(len, found)) > 500  # the comparison is about something
    for text, ents in zip(paragraphs, found, strict=True):
        assert [(e.kind.value, e.name, e.start, e.end) for e in ents] == _whole(text), text


@pytest.mark.parametrize(
    "text",
    [
        "加快5G网络和千兆光网建设",  # a form inside a longer jieba block
        "推进 5G 应用，发展人工智能。",  # spaced Latin words as PDF text has them
        "中央网信办、国家发展改革委牵头",  # two forms side by side
        "没有任何词典里的词",
        "",
    ],
)
def test_windows_on_edge_cases(text: str) -> None:
    assert [(e.kind.value, e.name, e.start, e.end) for e in lexicon_entities([text])[0]] == _whole(text)
    for a, b in lexicon_windows(text):
        assert 0 <= a < b <= len(text)
