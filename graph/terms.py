"""Terms and vectors of plan text for the inferred links: jieba words of the folded text (the curated
lexicons as user words, the genre's degree words dropped) or its character pairs, tf-idf over the
elements of one plan, cosine, and the sentence that carries the shared terms (the evidence)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from plangraph.ingest.jieba_dict import fresh_tokenizer
from plangraph.ingest.lexicon import load_lexicon
from plangraph.ingest.models import Element
from plangraph.ingest.normalize import match_key
from plangraph.ingest.yamlfile import read_curated

_TERM = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9+.]*|\d+[A-Za-z][A-Za-z0-9]*)$")
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
#: Degree words of the genre's target sentences (到 2025 年，…显著提升 / 基本形成 / 更加完善): they say how
#: far, not what, and would tie every target-like sentence to every goal.
STOP_TERMS = frozenset(
    ("显著", "明显", "基本", "初步", "不断", "更加", "大幅", "日益", "日趋", "日臻", "稳步", "进一步")
)


GENRE_TERMS_FILE = Path(__file__).with_name("genre_terms.yaml")


@lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """The genre's generic words (``graph/genre_terms.yaml``: 建设, 提升, 能力, 体系 …, each with why): they
    say that something is done, how hard, or of what, never what a plan is about.

    >>> {"建设", "能力"} <= generic_terms() and "数据" not in generic_terms()
    True
    """
    data = read_curated(GENRE_TERMS_FILE)
    return frozenset(str(e["term"]) for e in data["terms"])


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A jieba tokenizer of its own (the global one is changed by ingest) with the lexicons as user words,
    from :func:`ingest.jieba_dict.fresh_tokenizer`: the one place that makes tokenizers and reads jieba's
    dictionary (once per process)."""
    tk = fresh_tokenizer()
    words = sorted({key(s) for e in load_lexicon().entries for s in e.surfaces})
    for w in words:
        if w:
            tk.add_word(w)
    return tk


#: text folded for matching (NFKC, variant glyphs, no white space): the one key, ingest.normalize's
key = match_key


@lru_cache(maxsize=65536)
def terms(text: str, fine: bool = False) -> tuple[str, ...]:
    """The content terms of ``text`` in order (``fine``: also the shorter words inside longer ones).

    >>> terms("建设泛在智能的网络连接设施")
    ('建设', '智能', '网络连接', '设施')
    """
    tk = _tokenizer()
    k = key(text)
    words = tk.cut_for_search(k) if fine else tk.cut(k)
    return tuple(w for w in words if _TERM.match(w) and w not in STOP_TERMS)


def fine_terms(text: str) -> tuple[str, ...]:
    """:func:`terms` with the shorter words inside longer ones (jieba's search mode)."""
    return terms(text, fine=True)


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=65536)
def char_bigrams(text: str) -> tuple[str, ...]:
    """The pairs of adjacent Chinese characters of the folded text, in order, within runs of Chinese
    characters (no word cut: 数字产业集群 and 数字产业化 share 数字 and 产业 whatever jieba makes of them).

    >>> char_bigrams("数字产业集群，5G网络")
    ('数字', '字产', '产业', '业集', '集群', '网络')
    """
    return tuple(run[i : i + 2] for run in _HAN_RUN.findall(key(text)) for i in range(len(run) - 1))


def sentences(text: str) -> list[str]:
    """The sentences of a text (ending at 。；！？ or a line break).

    >>> sentences("加强数据治理。强化协同；健全制度")
    ['加强数据治理。', '强化协同；', '健全制度']
    """
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


class Corpus:
    """Inverse document frequencies over the elements of one plan (each element's title and own text), of
    the terms ``tokens`` gives a text: :func:`terms` (the default), :func:`fine_terms` or
    :func:`char_bigrams`."""

    def __init__(self, elements: Sequence[Element], tokens: Callable[[str], tuple[str, ...]] = terms):
        self.tokens = tokens
        df: Counter[str] = Counter()
        for e in elements:
            df.update(set(self.tokens(e.title)) | set(self.tokens(e.text)))
        self.n = len(elements)
        self.idf = {t: math.log((self.n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self.unseen = math.log(self.n + 1) + 1.0

    def vector(self, fields: Iterable[tuple[str, float]]) -> dict[str, float]:
        tf: dict[str, float] = {}
        for text, weight in fields:
            for t in self.tokens(text):
                tf[t] = tf.get(t, 0.0) + weight
        return {t: (1.0 + math.log(c) if c >= 1 else c) * self.idf.get(t, self.unseen) for t, c in tf.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    num = sum(a[t] * b[t] for t in sorted(a.keys() & b.keys()))
    den = math.sqrt(sum(x * x for x in a.values())) * math.sqrt(sum(x * x for x in b.values()))
    return num / den if den else 0.0


def shared_terms(a: dict[str, float], b: dict[str, float], n: int) -> tuple[str, ...]:
    """The ``n`` shared terms that contribute most to the cosine (ties: by term)."""
    common = sorted(a.keys() & b.keys(), key=lambda t: (-a[t] * b[t], t))
    return tuple(common[:n])


def best_sentence(texts: Iterable[str], weights: dict[str, float]) -> str:
    """The sentence whose terms weigh most in ``weights`` (first one on ties)."""
    best, best_w = "", 0.0
    for text in texts:
        for s in sentences(text):
            w = sum(weights.get(t, 0.0) for t in sorted(set(terms(s))))
            if w > best_w:
                best, best_w = s, w
    return best
