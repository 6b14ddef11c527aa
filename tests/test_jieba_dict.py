"""jieba's dictionary read in pieces (:mod:`ingest.jieba_dict`, :mod:`ingest.jieba_shards`) cuts exactly as
a tokenizer that read the dictionary file whole, and its cache file follows the dictionary file."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from plangraph.ingest import jieba_dict
from plangraph.ingest.jieba_shards import Shards
from plangraph.ingest.load import load_source

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "plans" / "informatization-14fyp" / "source.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
ADDED = [
    ("数字孪生城市", 1000, "nz"),
    ("网信办", None, "nt"),
    ("一网通办", 5, None),
    ("金融机构和行业", 0, None),
]


def _texts() -> list[str]:
    paths = [BUNDLED, *sorted(CORPUS.glob("*.txt"))[:3]] if CORPUS.is_dir() else [BUNDLED]
    paragraphs = [p for path in paths for p in load_source(path).text.split("\n") if p.strip()]
    rng = random.Random(14)
    chars = sorted(set("".join(paragraphs)))
    noise = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    return paragraphs + noise


def _whole() -> Any:
    """A tokenizer that read jieba's dictionary file whole (jieba's own reading, no cache)."""
    jieba = jieba_dict.jieba_module()
    tok = jieba.Tokenizer()
    with jieba_dict.dict_file().open("rb") as f:
        tok.FREQ, tok.total = tok.gen_pfdict(f)
    tok.initialized = True
    return tok


def _cuts(tok: Any, texts: list[str]) -> list[list[str]]:
    return [
        [
            *tok.cut(t),
            "|",
            *tok.cut(t, HMM=False),
            "|",
            *tok.cut(t, cut_all=True),
            "|",
            *tok.cut_for_search(t),
        ]
        for t in texts
    ]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_a_tokenizer_in_pieces_cuts_as_one_that_read_the_whole_dictionary(texts: list[str]) -> None:
    lazy, whole = jieba_dict.fresh_tokenizer(), _whole()
    assert len(lazy.FREQ) < len(whole.FREQ) // 20  # nothing but the single characters yet
    assert _cuts(lazy, texts) == _cuts(whole, texts)
    assert len(lazy.FREQ) < len(whole.FREQ) // 2  # it took the pieces the texts needed, not the whole
    assert lazy.total == whole.total
    for word, freq, tag in ADDED:  # added words (before their pieces were read, for some) win as in jieba
        for tok in (lazy, whole):
            tok.add_word(word, freq, tag)
    assert lazy.total == whole.total
    again = [*texts[:200], *(w for w, _, _ in ADDED)]
    assert _cuts(lazy, again) == _cuts(whole, again)
    for word, _, _ in ADDED:
        assert lazy.FREQ.get(word) == whole.FREQ.get(word)
        assert lazy.suggest_freq(word) == whole.suggest_freq(word)


def test_its_pos_tags_are_the_dictionary_files(texts: list[str]) -> None:
    posseg = jieba_dict.posseg_module()
    lazy, whole = jieba_dict.fresh_tokenizer(), _whole()
    for word, freq, tag in ADDED[:2]:  # tags of words added before the POS tokenizer exists
        lazy.add_word(word, freq, tag)
        whole.add_word(word, freq, tag)
    lazy_pos, whole_pos = jieba_dict.pos_tokenizer(lazy), posseg.POSTokenizer(whole)
    lazy.add_word(*ADDED[2])  # and after
    whole.add_word(*ADDED[2])

    def pairs(pos: Any) -> list[list[tuple[str, str]]]:
        return [
            [(p.word, p.flag) for p in pos.cut(t)] for t in [*texts[:400], "数字孪生城市由网信办一网通办"]
        ]

    assert pairs(lazy_pos) == pairs(whole_pos)
    for word in ("数字孪生城市", "网信办", "一网通办", "政府", "的"):
        assert lazy_pos.word_tag_tab.get(word) == whole_pos.word_tag_tab.get(word)


def test_the_global_tokenizer_and_jiebas_module_functions(texts: list[str]) -> None:
    jieba = jieba_dict.jieba_module()
    dt = jieba_dict.global_tokenizer()
    assert dt is jieba.dt
    posseg = jieba_dict.posseg_module()
    got = [list(jieba.cut(t)) for t in texts[:100]]
    some = texts[100:200]
    got_pos = [[tuple(p) for p in posseg.cut(t)] for t in some]
    whole = _whole()
    whole_pos = posseg.POSTokenizer(whole)
    # the words other users of the global tokenizer added (the lexicon's, in a whole run): in both
    whole.FREQ.update({w: f for w, f in dt.FREQ.items() if whole.FREQ.get(w) != f})
    whole.total = dt.total
    tags = posseg.dt.word_tag_tab
    whole_pos.word_tag_tab.update({w: t for w, t in tags.items() if whole_pos.word_tag_tab.get(w) != t})
    assert got == [list(whole.cut(t)) for t in texts[:100]]
    assert got_pos == [[tuple(p) for p in whole_pos.cut(t)] for t in some]
    jieba.add_word("覆盖城乡的信息基础设施", 10)  # the module's function takes the pieces first too
    try:
        whole.add_word("覆盖城乡的信息基础设施", 10)
        assert jieba.get_FREQ("覆盖") == whole.FREQ["覆盖"]
        assert list(jieba.cut("建设覆盖城乡的信息基础设施")) == list(whole.cut("建设覆盖城乡的信息基础设施"))
    finally:
        jieba.del_word("覆盖城乡的信息基础设施")


def test_another_dictionary_is_read_whole_as_jieba_does(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("数字 100 n\n政府 100 n\n数字政府 5 n\n", encoding="utf-8")
    tok = jieba_dict.fresh_tokenizer()
    tok.tmp_dir = str(tmp_path)
    tok.set_dictionary(str(small))
    assert list(tok.cut("数字政府", HMM=False)) == ["数字", "政府"]  # read: the file's words
    assert tok.FREQ == {"数": 0, "数字": 100, "政": 0, "政府": 100, "数字政": 0, "数字政府": 5}


@pytest.fixture
def own_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of jieba's dictionary file and an empty cache folder, for this test only."""
    copy = tmp_path / "dict.txt"
    shutil.copyfile(jieba_dict.dict_file(), copy)
    monkeypatch.setenv("PLANGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(jieba_dict, "dict_file", lambda: copy)
    jieba_dict.shards.cache_clear()
    yield copy
    jieba_dict.shards.cache_clear()


def _freq(word: str) -> int | None:
    tok = jieba_dict.fresh_tokenizer()
    list(tok.cut(word))
    return tok.FREQ.get(word)


def test_the_cache_is_built_once_and_again_when_the_dictionary_changes(own_dictionary: Path) -> None:
    first = jieba_dict.cache_file()
    assert not first.exists()
    assert _freq("数字政府") is None  # not a word of jieba's dictionary
    assert first.is_file()
    built = first.stat().st_mtime_ns
    jieba_dict.shards.cache_clear()
    assert _freq("数字政府") is None
    assert first.stat().st_mtime_ns == built  # read, not built again

    with own_dictionary.open("a", encoding="utf-8") as f:
        f.write("数字政府 777 n\n")  # the dictionary file changes: its size and time
    jieba_dict.shards.cache_clear()
    second = jieba_dict.cache_file()
    assert second != first
    assert _freq("数字政府") == 777
    assert second.is_file()
    tok = jieba_dict.fresh_tokenizer()
    pos = jieba_dict.pos_tokenizer(tok)
    assert [(p.word, p.flag) for p in pos.cut("数字政府")] == [("数字政府", "n")]


def test_a_damaged_cache_is_built_again(own_dictionary: Path) -> None:
    path = jieba_dict.cache_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a cache")
    assert _freq("政府") == _whole().FREQ["政府"]
    assert Shards.open(path).total == _whole().total  # replaced by a good one
