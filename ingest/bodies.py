"""Responsible bodies beyond the curated lexicon: a rule-based recogniser of organisation names in plan
text, and the genre's item-by-item responsibility notes.

**Names.** A body's name is a noun phrase ``[anchor] [modifiers] SUFFIX``:

- the *suffix* is an organisational head word (:data:`SUFFIXES`): government organs (部 厅 局 委 办 署 政府
  人大 …, which need an anchor), named organs (委员会 办公室 领导小组 联席会议 …, an anchor or a modifier),
  classes of organisations (部门 单位 机构 组织 协会 联盟 企业 银行 院校 …, an anchor or a modifier) and
  institutions that are also facilities (中心 实验室 研究院 …, an anchor, and not 数据中心-like);
- the *anchor* is a level (国家 中央 省 市 县 区 各级 各地 地方 有关 相关 各 …), a place (jieba's ``ns``
  word or a region of the lexicon) or a government body the name is a unit of (国家局 → 国家局信息中心);
- the *modifiers* are the words between, read leftwards from the suffix over jieba's words. The name
  stops at punctuation, particles (的 等 …), prepositions, numerals and quantifiers (一批 …), pronouns
  (各类 其他 …), time and place words, at predicate words (:data:`STOP_WORDS`: 加强 推进 鼓励 发挥 会同 …,
  whatever jieba tags them), at verbs other than the few that stand in names (:data:`NAME_VERBS`: 管理
  监督 研究 服务 …), and at 和/与/及 when what stands left of it is a complete name (科技部和教育部) —
  inside a name they stay (文化和旅游厅, 科学与技术国家实验室). Right before an organ's suffix any verb may
  stand (规划推进办公室, 体系建设领导小组). Leading verbs are dropped (鼓励金融机构 → 金融机构), and a
  predicate right after the anchor ends the name there (各地区建设…中心 is no name).

The suffix must end a jieba word and, where it ends inside one, the word's head must be a level or two
characters or more: 布局, 干部, 部署 and 举办 are no bodies, nor are 数字政府 (no anchor), 一批企业 (a
quantifier), 责任单位 or 文物保护单位 (:data:`_NOT_BODY_ENDINGS`). A class noun followed by a noun is a
modifier (企业制度, 机构改革), not a body. Bodies inside 《…》 titles are not read.

**Notes.** Municipal and departmental plans end items with （责任单位：A、B，C）, （A、B负责） or
（A牵头，B参与）: each listed body is a responsibility of the item, the first (or those before 牵头) as lead,
the others as implementers; （…按职责分工负责） makes every listed body an implementer.

>>> [f.surface for f in find_bodies("鼓励金融机构加大信贷支持，充分发挥产业联盟、标准组织的作用。")]
['金融机构', '产业联盟', '标准组织']
>>> [f.surface for f in find_bodies("引导一批企业和人民群众参与，优化布局，推动实体经济发展。")]
[]
>>> [(i.surface, i.role) for n in find_notes("（省教育厅、省财政厅负责）") for i in n.items]
[('省教育厅', 'lead'), ('省财政厅', 'implement')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from plangraph.ingest.jieba_dict import fresh_tokenizer, pos_tokenizer, posseg_module
from plangraph.ingest.lexicon import LEXICON_DIR, load_lexicon
from plangraph.ingest.models import EntityKind
from plangraph.ingest.normalize import fold
from plangraph.ingest.yamlfile import read_curated

RULES_FILE = "body_rules.yaml"
MAX_NAME = 20  # characters before the suffix, anchored
MAX_UNANCHORED = 10  # characters before the suffix, with no anchor

# jieba's POS flags, as the rules read them
_HARD_FLAGS = frozenset({"x", "w", "m", "eng", "p", "u", "uj", "ul", "uz", "ud", "ug", "uv", "y", "e", "o"})
_HARD_FLAGS |= {"q", "c", "r", "i", "k", "h", "t", "f"}
_VERBAL = frozenset({"v", "vn", "vd", "vi", "vg", "d", "ad", "a", "z", "zg"})
_PREDICATE = frozenset({"v", "vn", "vd", "vi", "vg"})
_TRIM_FLAGS = _PREDICATE | {"d", "ad"}  # dropped from a name's start (鼓励金融机构)
_NOUNISH = frozenset({"n", "nz", "ng", "vn", "nt", "ns", "j", "b", "l", "an", "nr", "s"})
_FOLLOW_NOUN = frozenset({"n", "nz", "ng", "l", "j"})  # 企业制度: the name is a modifier
#: Lone characters a name may stop at; any other glues the name to what cannot be read (高能级企业).
_FUNCTION_FLAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "d", "r", "v", "y", "e", "o"})
_FUNCTION_FLAGS |= {"x", "w", "m", "q", "k", "h"}
_CONJ = frozenset({"和", "与", "及"})


class Head(Enum):
    """What a suffix needs to make a name."""

    ORGAN = "organ"  # 部 厅 局 政府 …: an anchor
    NAMED = "named"  # 委员会 办公室 领导小组 …: an anchor or a modifier
    CLASS = "class"  # 部门 机构 企业 …: an anchor or a modifier
    FACILITY = "facility"  # 中心 实验室 …: an anchor, and not a data centre


@dataclass(frozen=True)
class Rules:
    """The recogniser's vocabulary (``lexicons/body_rules.yaml``)."""

    suffixes: dict[str, Head]
    by_last: dict[str, tuple[str, ...]]  # suffixes by their last character, longest first
    not_bare: frozenset[str]
    verb_suffixes: frozenset[str]
    after_verb_suffix: frozenset[str]
    organised: frozenset[str]  # what 组织 organises rather than names (项目组织, 生产组织)
    qualifying_verbs: frozenset[str]
    determiners: frozenset[str]
    levels: tuple[str, ...]  # longest first
    level_chars: frozenset[str]
    not_level: tuple[str, ...]
    not_place: frozenset[str]
    stop_words: frozenset[str]
    name_verbs: frozenset[str]
    organ_verbs: frozenset[str]
    name_stems: frozenset[str]
    not_body_endings: tuple[str, ...]
    class_deny: frozenset[str]
    facility_deny: frozenset[str]

    def suffix_at(self, text: str, end: int) -> str | None:
        """The longest suffix that ends at ``end``."""
        if end <= 0:
            return None
        for s in self.by_last.get(text[end - 1], ()):
            if end >= len(s) and text.startswith(s, end - len(s)):
                return s
        return None

    def level_len(self, text: str) -> int:
        """How many characters at the start of ``text`` are a level word (0: none).

        >>> [rules().level_len(w) for w in ("省教育厅", "市场监管局", "各级政府", "各类主体")]
        [1, 0, 2, 0]
        """
        if any(text.startswith(w) for w in self.not_level):
            return 0
        for level in self.levels:
            if text.startswith(level):
                return len(level)
        return 1 if text[:1] in self.level_chars else 0

    def predicate(self, word: str, flag: str) -> bool:
        """A word that ends a name read leftwards: a stop word, or a verb that stands in no name."""
        if word in self.name_stems:
            return False
        return word in self.stop_words or (flag in _VERBAL and word not in self.name_verbs)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({str(w) for w in words}, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=2)
def rules(lexicon_dir: Path = LEXICON_DIR) -> Rules:
    data: dict[str, Any] = read_curated(lexicon_dir / RULES_FILE)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w) for w in data.get(key) or ())

    suffixes = {str(w): Head(kind) for kind, ws in data["suffixes"].items() for w in ws}
    return Rules(
        suffixes=suffixes,
        by_last={
            c: tuple(w for w in _longest_first(list(suffixes)) if w[-1] == c)
            for c in {w[-1] for w in suffixes}
        },
        not_bare=words("not_bare"),
        verb_suffixes=words("verb_suffixes"),
        after_verb_suffix=words("after_verb_suffix"),
        organised=words("organised"),
        qualifying_verbs=words("qualifying_verbs"),
        determiners=words("determiners"),
        levels=_longest_first(data["levels"]),
        level_chars=frozenset(str(data.get("level_chars") or "")),
        not_level=_longest_first(data["not_level"]),
        not_place=words("not_place"),
        stop_words=words("stop_words"),
        name_verbs=words("name_verbs"),
        organ_verbs=words("organ_verbs"),
        name_stems=words("name_stems"),
        not_body_endings=_longest_first(data["not_body_endings"]),
        class_deny=words("class_deny"),
        facility_deny=words("facility_deny"),
    )


@dataclass(frozen=True)
class Found:
    """A body name in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    word: str
    flag: str


def _han(word: str) -> bool:
    return bool(word) and all("\u4e00" <= c <= "\u9fff" for c in word)


@lru_cache(maxsize=2)
def _tokenizer(lexicon_dir: Path = LEXICON_DIR) -> Any:
    """A jieba POS tokenizer of its own (the global one is the spaCy segmenter's, whatever else is added
    to it): the default dictionary, the lexicon's forms (bodies as ``nt``, regions as ``ns``) and the
    stems of department names as nouns. Its HMM decoding is :func:`ingest.posseg.viterbi` (jieba's
    answers, several times faster)."""
    from plangraph.ingest import posseg

    posseg_module().viterbi = posseg.viterbi  # read by POSTokenizer as a module global

    tok = fresh_tokenizer()
    tags = {EntityKind.BODY: "nt", EntityKind.REGION: "ns"}
    for entry in load_lexicon(lexicon_dir).entries:
        for surface in entry.surfaces:
            form = fold(surface).replace(" ", "")
            if _han(form):
                tok.add_word(form, 1000, tags.get(entry.kind, "nz"))
    for word in sorted(rules(lexicon_dir).name_stems):
        tok.add_word(word, 1000, "n")
    return pos_tokenizer(tok)


@lru_cache(maxsize=2)
def _places(lexicon_dir: Path = LEXICON_DIR) -> frozenset[str]:
    lex = load_lexicon(lexicon_dir)
    return frozenset(fold(s) for e in lex.entries if e.kind == EntityKind.REGION for s in e.surfaces)


@lru_cache(maxsize=2)
def _known(lexicon_dir: Path = LEXICON_DIR) -> dict[str, tuple[str, ...]]:
    """The lexicon's body forms by their first character, longest first."""
    lex = load_lexicon(lexicon_dir)
    out: dict[str, list[str]] = {}
    for form in _longest_first(
        [fold(s) for e in lex.entries if e.kind == EntityKind.BODY for s in e.surfaces]
    ):
        out.setdefault(form[:1], []).append(form)
    return {k: tuple(v) for k, v in out.items()}


def tokens(text: str, lexicon_dir: Path = LEXICON_DIR) -> list[_Tok]:
    """jieba's words of ``text`` with their POS flags and offsets. A word jieba made of a predicate and a
    noun (支持软件, 逐步形成 are in its dictionary) is split into the two.

    >>> [t.word for t in tokens("支持软件企业")]
    ['支持', '软件', '企业']
    """
    pos_tok = _tokenizer(lexicon_dir)
    r = rules(lexicon_dir)
    out: list[_Tok] = []
    pos = 0
    for pair in pos_tok.cut(text):
        for w, f in _split(pos_tok, r, pair.word, pair.flag):
            out.append(_Tok(pos, pos + len(w), w, f))
            pos += len(w)
    return out


def _split(pos_tok: Any, r: Rules, word: str, flag: str) -> list[tuple[str, str]]:
    freq, tags = pos_tok.tokenizer.FREQ, pos_tok.word_tag_tab
    if len(word) >= 2 and freq.get(word, 0) < 50 and word[0] in _CONJ:
        return [(word[0], "c"), (word[1:], flag)]  # a rare word (a name) that begins with 和: 产品和领军企业
    if len(word) < 4 or flag in ("nt", "ns") or word in r.name_stems or not _han(word):
        return [(word, flag)]
    if r.suffix_at(word, len(word)) is not None:
        return [(word, flag)]
    for i in sorted(range(2, len(word) - 1), key=lambda i: (abs(2 * i - len(word)), i)):
        a, b = word[:i], word[i:]
        if not (freq.get(a) and freq.get(b)):
            continue
        ta, tb = tags.get(a, "x"), tags.get(b, "x")
        if any(
            w in r.stop_words or (t in _PREDICATE and w not in r.name_verbs) for w, t in ((a, ta), (b, tb))
        ):
            return [(a, ta), (b, tb)]
    return [(word, flag)]


class _Reader:
    def __init__(self, text: str, lexicon_dir: Path) -> None:
        self.text = text
        self.r = rules(lexicon_dir)
        self.toks = tokens(text, lexicon_dir)
        self.at: list[int] = []  # char offset → index of the token holding it
        for i, t in enumerate(self.toks):
            self.at.extend([i] * (t.end - t.start))
        self.places = _places(lexicon_dir)
        self.known = _known(lexicon_dir)
        self.titles = [(m.start(), m.end()) for m in re.finditer(r"《[^《》]{0,80}》", text)]

    def tok(self, offset: int) -> _Tok:
        return self.toks[self.at[offset]]

    def ends_badly(self, end: int) -> bool:
        return any(self.text.startswith(w, end - len(w)) for w in self.r.not_body_endings)

    def lone_head(self, head: str) -> bool:
        """A one-character head of the suffix's word that is no level: 布局, 干部, 部署, 举办 …"""
        return len(head) == 1 and head not in self.r.level_chars

    # -- pieces of the rules ----------------------------------------------------------------------
    def complete(self, end: int, organs_only: bool = False) -> bool:
        """Whether a whole name's suffix ends at ``end`` (科技部, 教育厅, 国家局 …)."""
        if end <= 0 or self.tok(end - 1).end != end or self.ends_badly(end):
            return False
        s = self.r.suffix_at(self.text, end)
        if s is None or (organs_only and self.r.suffixes[s] not in (Head.ORGAN, Head.NAMED)):
            return False
        return not self.lone_head(self.text[self.tok(end - len(s)).start : end - len(s)])

    def anchor_len(self, start: int, end: int) -> int:
        """The anchor at the start of ``text[start:end]``: a level, a place, a known or a whole organ."""
        if start >= end:
            return 0
        window = self.text[start:end]
        n = self.r.level_len(window)
        tok = self.tok(start)
        if tok.start == start and tok.end <= end:
            if tok.word in self.places or (
                tok.flag == "ns"
                and tok.word not in self.r.not_place
                and len(tok.word) >= 2
                and _han(tok.word)
            ):
                n = max(n, len(tok.word))
            if tok.end < end and self.complete(tok.end, organs_only=True):
                n = max(n, len(tok.word))
        for form in self.known.get(window[:1], ()):
            if len(form) < len(window) and window.startswith(form):
                n = max(n, len(form))
                break
        return min(n, end - start)

    def hard_stop(self, tok: _Tok) -> bool:
        if not _han(tok.word) or tok.word in ("的", "之"):
            return True
        if tok.flag in _HARD_FLAGS:
            return not (tok.word in _CONJ or tok.word in self.r.name_stems or self.is_level(tok.word))
        return False

    def is_level(self, word: str) -> bool:
        return self.r.level_len(word) == len(word)

    # -- one candidate per suffix -----------------------------------------------------------------
    def candidate(self, end: int) -> Found | None:
        text, r = self.text, self.r
        suffix = r.suffix_at(text, end)
        if suffix is None or self.ends_badly(end):
            return None
        kind = r.suffixes[suffix]
        s = end - len(suffix)
        first = self.tok(s)
        if self.lone_head(text[first.start : s]):
            return None
        if suffix in r.verb_suffixes and not self._boundary_after(end):
            return None  # 组织实施, 学会使用
        if kind in (Head.CLASS, Head.FACILITY) and self._noun_after(end):
            return None  # 企业制度, 机构改革: a modifier
        start = first.start
        k = self.at[first.start] - 1
        while k >= 0:
            tok = self.toks[k]
            if s - tok.start > MAX_NAME:
                break
            if self.hard_stop(tok):
                if tok.flag == "m" and _han(tok.word) and tok.end == start:
                    return None  # 一批企业, 若干机构, 31个省级中心: so many of a kind, no body
                break
            if tok.word in r.qualifying_verbs and tok.end == start and start < first.start:
                return None  # 有条件企业, 有基础企业: a qualification, no body
            adjacent = tok.end == s
            if tok.word in _CONJ:
                # 科技部和教育部: two names; 文化和旅游厅: one; not in class nouns (产品和领军企业)
                if (
                    kind == Head.CLASS
                    or k == 0
                    or start == first.start
                    or self.complete(tok.start)
                    or self.anchor_len(tok.end, s)
                ):
                    break
                start, k = tok.start, k - 1
                continue
            if self.is_level(tok.word):
                start, k = tok.start, k - 1  # 有关, 相关, 各级 … whatever jieba tags them
                continue
            if len(tok.word) == 1 and not adjacent:
                if tok.flag not in _FUNCTION_FLAGS:
                    return None  # 高能级企业, 指区域内党政机构: glued to what cannot be read
                break
            if r.predicate(tok.word, tok.flag) and not (
                adjacent and (kind == Head.NAMED or tok.word in r.organ_verbs)
            ):
                if tok.word in r.determiners:
                    return None  # 不同领域企业: a determiner's noun phrase, the name would be a fragment
                break
            if tok.end <= s and self.complete(tok.end):
                # a body the name is a unit of (国家局信息中心), not two names side by side
                if not self.complete(tok.end, organs_only=True) or self.anchor_len(tok.end, s):
                    break
                if self._predicate_in(tok.end, s):
                    break
            start, k = tok.start, k - 1
        if start > 0 and text[start - 1] in "）)":
            return None  # the name runs on through a bracket that cannot be delimited
        trimmed = self._trim(start, s)
        if trimmed > start and len(self.tok(trimmed - 1).word) == 1 and not self.anchor_len(trimmed, s):
            return None  # a glued modifier was cut off: what is left is a fragment
        return self._accept(trimmed, s, end, suffix)

    def _boundary_after(self, end: int) -> bool:
        if end >= len(self.text):
            return True
        tok = self.tok(end)
        if tok.start != end:
            return False
        return not _han(tok.word) or tok.word in self.r.after_verb_suffix or tok.flag in ("uj", "u", "c", "p")

    def _noun_after(self, end: int) -> bool:
        if end >= len(self.text):
            return False
        tok = self.tok(end)
        return (
            tok.start == end
            and tok.flag in _FOLLOW_NOUN
            and tok.word not in self.r.stop_words
            and self.r.suffix_at(self.text, tok.end) is None
        )

    def _predicate_in(self, start: int, end: int) -> bool:
        i = self.at[start]
        while i < len(self.toks) and self.toks[i].start < end:
            if self.r.predicate(self.toks[i].word, self.toks[i].flag):
                return True
            i += 1
        return False

    def _trim(self, start: int, s: int) -> int:
        """Drop leading verbs and adverbs (鼓励金融机构 → 金融机构); a predicate right after the anchor
        ends the name there (各地区建设…中心)."""
        while start < s:
            n = self.anchor_len(start, s)
            if n:
                nxt = start + n
                if nxt < s:
                    t2 = self.tok(nxt)
                    if t2.start == nxt and t2.end < s and self.r.predicate(t2.word, t2.flag):
                        start = t2.end
                        continue
                return start
            tok = self.tok(start)
            if (
                tok.start == start
                and tok.end <= s
                and (tok.flag in _TRIM_FLAGS or tok.word in self.r.stop_words)
                and tok.word not in self.r.name_stems
            ):
                start = tok.end
                continue
            return start
        return start

    def _accept(self, start: int, s: int, end: int, suffix: str) -> Found | None:
        text, r = self.text, self.r
        kind = r.suffixes[suffix]
        anchor = self.anchor_len(start, s)
        middle = text[start + anchor : s]
        if not anchor:
            if kind in (Head.ORGAN, Head.FACILITY) or not 2 <= len(middle) <= MAX_UNANCHORED:
                return None
            first = self.tok(start)
            if first.flag not in _NOUNISH or first.word in r.class_deny:
                return None
        elif not middle and (suffix in r.not_bare or text.startswith("全国", start)):
            return None
        if kind == Head.CLASS and any(middle.endswith(d) for d in r.class_deny):
            return None
        if suffix in r.verb_suffixes and any(middle.endswith(d) for d in r.organised):
            return None
        if kind == Head.FACILITY and middle:
            last = self.tok(s - 1)
            if text[max(last.start, start) : s] in r.facility_deny or any(
                middle.endswith(d) for d in r.facility_deny if len(d) > 1
            ):
                return None
        if any(a < end and start < b for a, b in self.titles):
            return None
        return Found(start, end, text[start:end])

    def find(self) -> list[Found]:
        return select([c for t in self.toks if (c := self.candidate(t.end)) is not None])


def select(cands: list[Found]) -> list[Found]:
    """Non-overlapping names, longest first (then leftmost), in text order."""
    taken: list[Found] = []
    for c in sorted(set(cands), key=lambda f: (-(f.end - f.start), f.start)):
        if all(c.end <= t.start or t.end <= c.start for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda f: f.start)


_CLAUSE_END = frozenset("。；！？，：,;:!?\n")


def clauses(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the clauses of ``text``: split at sentence and clause punctuation, never inside
    a 《…》 title. A name never crosses such a mark, and jieba cuts every run between marks on its own,
    so reading clause by clause finds exactly what reading the whole text finds.

    >>> t = "由省教育厅牵头，落实《关于加快，发展的意见》。"
    >>> [t[a:b] for a, b in clauses(t)]
    ['由省教育厅牵头', '落实《关于加快，发展的意见》']
    """
    out, start, depth = [], 0, 0
    for i, c in enumerate(text):
        depth += (c == "《") - (c == "》") if depth or c == "《" else 0
        if c in _CLAUSE_END and depth <= 0:
            if i > start:
                out.append((start, i))
            start, depth = i + 1, 0
    if start < len(text):
        out.append((start, len(text)))
    return out


def find_bodies(text: str, lexicon_dir: Path = LEXICON_DIR) -> list[Found]:
    """Body names in ``text`` by the rules above, in text order, never overlapping. Only the clauses
    that hold a whole suffix are read (tokenising is the cost)."""
    r = rules(lexicon_dir)
    if not text or not any(c in r.by_last for c in text):
        return []
    out: list[Found] = []
    for a, b in clauses(text):
        clause = text[a:b]
        if not any(c in r.by_last and r.suffix_at(clause, i + 1) for i, c in enumerate(clause)):
            continue
        out.extend(Found(f.start + a, f.end + a, f.surface) for f in _Reader(clause, lexicon_dir).find())
    return out


def is_body_like(name: str, lexicon_dir: Path = LEXICON_DIR, *, labelled: bool = False) -> bool:
    """Whether an item a note lists reads as a body: a lexicon form, a name the rules read whole, one
    word jieba knows as an organisation (团省委), a level with a suffix (各区、市政府); after a label
    (责任单位：) any name that ends in a suffix (专班成员单位).

    >>> is_body_like("团省委"), is_body_like("省残联"), is_body_like("由企业"), is_body_like("银行")
    (True, True, False, False)
    """
    name = re.sub(r"\s+", "", name)
    r = rules(lexicon_dir)
    if not _han(name.replace("、", "")) or len(name) > 30:
        return False
    if load_lexicon(lexicon_dir).canonical(EntityKind.BODY, name):
        return True
    if len(name) < 2 or r.suffix_at(name, len(name)) is None:
        return False
    if labelled:
        return True
    if [(f.start, f.end) for f in find_bodies(name, lexicon_dir)] == [(0, len(name))]:
        return True
    toks = tokens(name, lexicon_dir)
    return (len(toks) == 1 and toks[0].flag == "nt") or r.level_len(name) > 0


# -- responsibility notes ---------------------------------------------------------------------------

_NOTE = re.compile(r"[（(](?P<body>[^（）()\n]{2,300})[）)]")
_LABEL = re.compile(r"^\s*(?P<label>责任单位|责任部门|牵头单位|牵头部门|主责单位|实施单位)\s*[：:]")
_ROLE_LABEL = re.compile(r"(?P<label>牵头单位|牵头部门|配合单位|配合部门|参与单位|协办单位)\s*[：:]")
_RESPONSIBLE = re.compile(
    r"(?P<cue>按职责分工负责|按职责负责|分工负责|共同负责|负责)\s*(?:[，,；;](?P<tail>.*))?$"
)
_LEAD_SPLIT = re.compile(r"牵头[，,；;、]?")
_OTHERS = re.compile(r"(?P<cue>参与|配合|协助|协同)\s*$")
_ITEM_SEP = re.compile(r"[、，,；;]|以及|及")


@dataclass(frozen=True)
class NoteItem:
    start: int  # in the text
    end: int
    surface: str
    role: str  # "lead" or "implement"
    cue: str


@dataclass(frozen=True)
class Note:
    start: int
    end: int
    text: str
    items: tuple[NoteItem, ...]


def _items(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The bodies listed in ``text[start:end]``, split at 、，；及; a bare level before a level-led body
    stays with it (各区、市政府 is one collective: the governments of districts and county-level cities)."""
    out: list[tuple[int, int, str]] = []
    pos = start
    for m in [*_ITEM_SEP.finditer(text, start, end), None]:
        stop = m.start() if m is not None else end
        a, b = pos, stop
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or (text[b - 1] == "等" and b - a > 2)):
            b -= 1
        if b > a:
            out.append((a, b, text[a:b]))
        pos = m.end() if m is not None else end
    joined: list[tuple[int, int, str]] = []
    for item in out:
        if joined and _bare_level(joined[-1][2]) and text[joined[-1][1] : item[0]] == "、":
            prev = joined.pop()
            item = (prev[0], item[1], text[prev[0] : item[1]])
        joined.append(item)
    return joined


def _bare_level(word: str) -> bool:
    r = rules()
    return bool(word) and r.suffix_at(word, len(word)) is None and r.level_len(word) == len(word)


def _roles(found: list[tuple[int, int, str]], cue: str, first_leads: bool) -> list[NoteItem]:
    return [
        NoteItem(a, b, s, "lead" if i == 0 and first_leads else "implement", cue)
        for i, (a, b, s) in enumerate(found)
    ]


def find_notes(text: str, lexicon_dir: Path = LEXICON_DIR) -> list[Note]:
    """The responsibility notes in ``text``: （责任单位：…）, （…负责）, （…牵头，…参与）.

    >>> note = find_notes("（省科技厅牵头，省财政厅、省教育厅参与）")[0]
    >>> [(i.surface, i.role, i.cue) for i in note.items]
    [('省科技厅', 'lead', '牵头'), ('省财政厅', 'implement', '参与'), ('省教育厅', 'implement', '参与')]
    """
    notes: list[Note] = []
    for m in _NOTE.finditer(text):
        b0, b1 = m.start("body"), m.end("body")
        body = m.group("body")
        items: list[NoteItem] = []
        if (lab := _LABEL.match(body)) is not None:
            items = _labelled(text, b0 + lab.end(), b1, lab.group("label"))
        elif (res := _RESPONSIBLE.search(body)) is not None:
            cue = res.group("cue")
            listed = b0 + res.start()
            lead_m = _LEAD_SPLIT.search(text, b0, listed)
            if lead_m is not None:
                items = _roles(_items(text, b0, lead_m.start()), "牵头", False)
                items = [NoteItem(i.start, i.end, i.surface, "lead", "牵头") for i in items]
                items += _roles(_items(text, lead_m.end(), listed), cue, False)
            else:
                items = _roles(_items(text, b0, listed), cue, "分工" not in cue)
        elif (lead_m := _LEAD_SPLIT.search(body)) is not None:
            others = _OTHERS.search(body)
            if others is None and body[lead_m.end() :].strip():
                continue  # （A牵头，…） with running text after it: no note
            rest_end = b0 + others.start() if others else b1
            items = [NoteItem(a, b, s, "lead", "牵头") for a, b, s in _items(text, b0, b0 + lead_m.start())]
            if others is not None:
                items += _roles(_items(text, b0 + lead_m.end(), rest_end), others.group("cue"), False)
        if lab is not None:
            items = [i for i in items if is_body_like(i.surface, lexicon_dir, labelled=True)]
        elif not all(is_body_like(i.surface, lexicon_dir) for i in items):
            continue  # （由企业负责）, （银行、证券、保险等）: no list of bodies
        if items:
            notes.append(Note(m.start(), m.end(), m.group(0), tuple(items)))
    return notes


def _labelled(text: str, start: int, end: int, label: str) -> list[NoteItem]:
    """（责任单位：A、B，C）: the first leads, the others implement; （牵头单位：A；配合单位：B） by label."""
    parts = list(_ROLE_LABEL.finditer(text, start, end))
    if not parts:
        return _roles(_items(text, start, end), label, True)
    spans = [(start, parts[0].start(), label)] if parts[0].start() > start else []
    bounds = [*(p.start() for p in parts[1:]), end]
    spans += [(p.end(), bounds[i], p.group("label")) for i, p in enumerate(parts)]
    items: list[NoteItem] = []
    for a, b, lab in spans:
        role = "lead" if lab.startswith(("牵头", "责任", "主责")) else "implement"
        items += [NoteItem(x, y, s, role, lab) for x, y, s in _items(text, a, b)]
    return items
