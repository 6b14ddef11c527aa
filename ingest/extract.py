"""Stage 6 — extract: named entities and responsibility statements in each element's own text.

The lexicon's entities are what spaCy's ``blank("zh")`` with the jieba segmenter and an EntityRuler built
from the curated lexicons finds (:func:`build_nlp`): lexicon terms segment as single tokens (a jieba user
dictionary) and match with their aliases folded to the canonical name. The parse finds them with
:mod:`ingest.ruler`, the same matching without importing spaCy (tested against the spaCy pipeline).
Cited documents 《…》 are found by pattern. Quoted phrases that are neither a known initiative nor a
curated exclusion are reported (W601), so the lexicon can grow without silent guesses.

Bodies the lexicon does not know are found by the rules of :mod:`ingest.bodies` (省教育厅, 国家局信息中心,
金融机构, 有关部门 …): a recognised name that holds a shorter body (省人大 holds 人大) replaces it; one that
a lexicon entity holds, or that crosses a body, is dropped; a technology or region inside it stays (湖北省
in 湖北省文化和旅游厅). A recognised name takes its canonical name from the lexicon where the lexicon knows
the surface, otherwise the surface as written (国家局 stays 国家局: no canonical name is invented).

Responsibility statements (在X的统一领导下, 由X牵头, X负责…, X要…) become responsibilities with a role
(lead, coordinate, implement, supervise), the cue and the sentence as evidence. Item notes （责任单位：A、B）,
（A、B负责）, （A牵头，B参与） make each listed body a responsibility of the item (the first, or those before
牵头, lead; the others implement; 按职责分工负责: all implement), with the note as evidence; a listed body
is a Body mention even where the rules alone would not read it (团省委, 各区、市政府).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from plangraph.ingest.bodies import Note, find_bodies, find_notes
from plangraph.ingest.drafts import Draft, Piece
from plangraph.ingest.ids import make_span
from plangraph.ingest.jieba_dict import jieba_module
from plangraph.ingest.lexicon import LEXICON_DIR, Lexicon, load_lexicon
from plangraph.ingest.models import EntityKind, Mention, ParseWarning, Responsibility, Role
from plangraph.ingest.normalize import Normalized, fold
from plangraph.ingest.ruler import ruler, segmenter
from plangraph.ingest.yamlfile import read_curated

_DOCUMENT = re.compile(r"《([^《》\n]{1,60})》")
_QUOTED = re.compile(r"“([^“”\n]{1,30})”")
_SENTENCE_END = re.compile(r"[。；！？]")
_LED_BY = re.compile(r"在(?P<x>[^，。；]{2,60}?)的?(?:统一|集中|坚强)?领导下")
_LEAD_CUE = re.compile(r"^(?:牵头|负责牵头)")
_SUBJECT_CUES = re.compile(r"^(?:要|负责|牵头|应当|应|将|会同|须|必须|统筹)")
_CHAIN_GAP = {"", "、", "和", "及", "与", "以及", "同"}
_COORDINATE = re.compile(r"统筹|协调|组织推动|统一部署|牵头抓总")
_SUPERVISE = re.compile(r"督促|监督|督查|检查|考核|评估")


@dataclass(frozen=True)
class _Ent:
    kind: EntityKind
    name: str
    start: int  # in piece text
    end: int


@lru_cache(maxsize=2)
def build_nlp(lexicon_dir: Path = LEXICON_DIR) -> Any:
    """The spaCy pipeline: blank Chinese, jieba with the lexicon as user dictionary, an EntityRuler. The
    parse finds its entities with :mod:`ingest.ruler` (the same answers without importing spaCy); this is
    the reference that module is tested against, and a spaCy pipeline for anyone who wants its ``Doc``."""
    import spacy

    segmenter(lexicon_dir)  # the one spaCy's jieba segmenter uses, with the lexicon's words
    lex = load_lexicon(lexicon_dir)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    patterns = [
        {"label": entry.kind.value, "pattern": form, "id": entry.name}
        for entry in lex.entries
        for surface in entry.surfaces
        for form in spaced_variants(fold(surface))
    ]
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=2)
def spaced_variants(surface: str) -> list[str]:
    """The surface, and the form PDF text often has with spaces around Latin words and numbers.

    >>> spaced_variants("公网5G上高铁")
    ['公网5G上高铁', '公网 5G 上高铁']
    """
    spaced = re.sub(r"\s*([A-Za-z0-9][A-Za-z0-9+./-]*)\s*", r" \1 ", surface).strip()
    return [surface] if spaced == surface else [surface, spaced]


@lru_cache(maxsize=2)
def lexicon_forms(lexicon_dir: Path = LEXICON_DIR) -> re.Pattern[str]:
    """Every form the EntityRuler matches (names, aliases, their spaced variants), as one pattern, longest
    first: where it matches, it matches the longest form starting there.

    >>> bool(lexicon_forms().search("推进中央网信办统筹")), bool(lexicon_forms().search("今天天气很好"))
    (True, False)
    """
    lex = load_lexicon(lexicon_dir)
    found = {form for e in lex.entries for s in e.surfaces for form in spaced_variants(fold(s))}
    return re.compile("|".join(re.escape(f) for f in sorted(found, key=lambda f: (-len(f), f))))


def _occurrences(text: str, forms: re.Pattern[str]) -> list[tuple[int, int]]:
    """Every occurrence of a form, overlapping ones included (the longest at each start): a search
    skips what a match covers, so the starts inside a match are tried one by one."""
    out: list[tuple[int, int]] = []
    pos = 0
    while (m := forms.search(text, pos)) is not None:
        out.append(m.span())
        frontier = m.end()
        for p in range(m.start() + 1, len(text)):
            if p >= frontier:
                break
            if (n := forms.match(text, p)) is not None:
                out.append(n.span())
                frontier = max(frontier, n.end())
        pos = frontier
    return out


def lexicon_windows(text: str, lexicon_dir: Path = LEXICON_DIR) -> list[tuple[int, int]]:
    """``(start, end)`` of the stretches of ``text`` the EntityRuler needs to see: every occurrence of a
    lexicon form, widened to the whole jieba blocks it touches, overlapping ones merged. jieba cuts each
    block (a run of ``jieba.re_han_default``) on its own and every other character is a token of its own,
    so a window is tokenised exactly as it is inside the whole text, and the ruler finds the same entities
    in the windows as in the text; a text with no window needs no tokenising at all.

    >>> t = "一是加强中央网信办统筹。二是完善机制。"
    >>> [t[a:b] for a, b in lexicon_windows(t)]
    ['一是加强中央网信办统筹']
    """
    jieba = jieba_module()
    hits = _occurrences(text, lexicon_forms(lexicon_dir))
    if not hits:
        return []
    blocks = [(b.start(), b.end()) for b in jieba.re_han_default.finditer(text)]
    windows: list[tuple[int, int]] = []
    for a, b in hits:
        i = bisect.bisect_right(blocks, (a, len(text) + 1)) - 1  # the block at or before a
        if i >= 0 and blocks[i][1] > a:
            a = blocks[i][0]
        j = bisect.bisect_left(blocks, (b, -1)) - 1  # the last block starting before b
        if j >= 0 and blocks[j][1] > b - 1:
            b = max(b, blocks[j][1])
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], b))
        else:
            windows.append((a, b))
    return windows


@lru_cache(maxsize=2)
def excluded_quotes(lexicon_dir: Path = LEXICON_DIR) -> frozenset[str]:
    path = lexicon_dir / "initiatives_excluded.yaml"
    if not path.is_file():
        return frozenset()
    data = read_curated(path) or []
    if isinstance(data, dict):
        data = data.get("excluded_quotes") or []
    return frozenset(fold(str(d["name"] if isinstance(d, dict) else d)).replace(" ", "") for d in data)


def lexicon_entities(texts: list[str], lexicon_dir: Path = LEXICON_DIR) -> list[list[_Ent]]:
    """The EntityRuler's entities of each text (offsets in that text), by :mod:`ingest.ruler`. Only the
    windows (:func:`lexicon_windows`) are tokenised: no lexicon form holds a newline or crosses a window's
    end, and a window is tokenised as it is inside the whole text.

    >>> [[(e.name, e.start, e.end) for e in ents] for ents in lexicon_entities(["由中央网信办统筹。", "无"])]
    [[('中央网络安全和信息化委员会办公室', 1, 6)], []]
    """
    find = ruler(lexicon_dir)
    out: list[list[_Ent]] = []
    for text in texts:
        ents: list[_Ent] = []
        for a, b in lexicon_windows(text, lexicon_dir):
            ents += [_Ent(f.kind, f.name, f.start + a, f.end + a) for f in find(text[a:b])]
        out.append(ents)
    return out


def extract(root: Draft, norm: Normalized, lexicon_dir: Path = LEXICON_DIR) -> list[ParseWarning]:
    """Fill ``mentions`` and ``responsibilities`` of every draft from its own pieces (in place)."""
    lex = load_lexicon(lexicon_dir)
    excluded = excluded_quotes(lexicon_dir)
    warnings: list[ParseWarning] = []
    owners: list[tuple[Draft, Piece]] = [(d, p) for d in root.walk() for p in d.pieces]
    lexical = lexicon_entities([p.text for _, p in owners], lexicon_dir)
    reported: set[str] = set()
    for (draft, piece), ents in zip(owners, lexical, strict=True):
        ents += [
            _Ent(EntityKind.DOCUMENT, m.group(1).strip(), m.start(), m.end())
            for m in _DOCUMENT.finditer(piece.text)
        ]
        notes = find_notes(piece.text, lexicon_dir)
        ents = _with_bodies(ents, piece.text, notes, lex, lexicon_dir)
        ents.sort(key=lambda e: (e.start, -e.end))
        for e in ents:
            draft.mentions.append(_mention(e, piece, norm))
        initiative_names = {e.name for e in ents if e.kind == EntityKind.INITIATIVE}
        for m in _QUOTED.finditer(piece.text):
            q = fold(m.group(1)).replace(" ", "")
            canonical = lex.canonical(EntityKind.INITIATIVE, q)
            if canonical in initiative_names or q in excluded or q in reported:
                continue
            if any(lex.canonical(k, q) for k in EntityKind):
                continue
            reported.add(q)
            line = norm.line_of(piece.offsets[m.start()])
            warnings.append(
                ParseWarning(
                    code="W601",
                    message=f"quoted phrase “{q}” is neither a known "
                    "initiative nor excluded (lexicons/initiatives*.yaml)",
                    line=line,
                )
            )
        bodies = [e for e in ents if e.kind == EntityKind.BODY]
        if bodies:
            found = _responsibilities(piece, bodies, norm) + _note_responsibilities(
                piece, notes, bodies, norm
            )
            found.sort(key=lambda r: r.span.char_start)  # stable: a note keeps its order
            draft.responsibilities.extend(found)
    return warnings


def _body_name(surface: str, lex: Lexicon) -> str:
    name = re.sub(r"\s+", "", fold(surface))
    return lex.canonical(EntityKind.BODY, name) or name


def _with_bodies(
    ents: list[_Ent], text: str, notes: list[Note], lex: Lexicon, lexicon_dir: Path
) -> list[_Ent]:
    """The lexicon's entities with the recognised bodies and the bodies the notes list: a longer body
    replaces the entities it holds; one held by, or crossing, a lexicon entity is dropped."""
    out = list(ents)
    for f in find_bodies(text, lexicon_dir):
        out = _place(out, _Ent(EntityKind.BODY, _body_name(f.surface, lex), f.start, f.end), strict=False)
    for note in notes:
        for item in note.items:
            # the note says it is one body: it replaces what the rules read inside it
            out = _place(
                out, _Ent(EntityKind.BODY, _body_name(item.surface, lex), item.start, item.end), True
            )
    return out


def _place(ents: list[_Ent], new: _Ent, strict: bool) -> list[_Ent]:
    """``ents`` with the body ``new`` where no body holds or crosses it; the bodies it holds go
    (``strict``: also one of its own extent). Other entities stay: a technology or region inside a
    body's name (湖北省 in 湖北省文化和旅游厅) is still named; one that holds ``new`` keeps it out."""
    kept: list[_Ent] = []
    for e in ents:
        if e.kind == EntityKind.DOCUMENT or e.end <= new.start or new.end <= e.start:
            kept.append(e)
        elif e.kind != EntityKind.BODY:
            if e.start <= new.start and new.end <= e.end:
                return ents  # an initiative or technology whose name holds it
            kept.append(e)
        elif (
            new.start <= e.start and e.end <= new.end and (strict or (new.start, new.end) != (e.start, e.end))
        ):
            continue  # held by the new body: replaced
        else:
            return ents  # a body holds it, crosses it, or is it
    kept.append(new)
    return kept


def _note_responsibilities(
    piece: Piece, notes: list[Note], bodies: list[_Ent], norm: Normalized
) -> list[Responsibility]:
    out: list[Responsibility] = []
    by_span = {(b.start, b.end): b for b in bodies}
    for note in notes:
        span = make_span(piece.offsets[note.start], piece.offsets[note.end - 1] + 1, norm)
        seen: set[tuple[str, Role]] = set()
        for item in note.items:
            body = by_span.get((item.start, item.end))
            if body is None:
                continue
            role = Role.LEAD if item.role == "lead" else Role.IMPLEMENT
            if (body.name, role) in seen:
                continue
            seen.add((body.name, role))
            out.append(Responsibility(body=body.name, role=role, cue=item.cue, evidence=note.text, span=span))
    return out


def _mention(e: _Ent, piece: Piece, norm: Normalized) -> Mention:
    start, end = piece.offsets[e.start], piece.offsets[e.end - 1] + 1
    return Mention(
        kind=e.kind, name=e.name, surface=piece.text[e.start : e.end], span=make_span(start, end, norm)
    )


def _responsibilities(piece: Piece, bodies: list[_Ent], norm: Normalized) -> list[Responsibility]:
    text = piece.text
    out: dict[tuple[str, Role, int], Responsibility] = {}
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        in_sentence = [b for b in bodies if s_start <= b.start and b.end <= s_end]
        if not in_sentence:
            continue
        span = make_span(piece.offsets[s_start], piece.offsets[s_end - 1] + 1, norm)

        def add(
            body: str, role: Role, cue: str, _s: int = s_start, _span: Any = span, _sentence: str = sentence
        ) -> None:
            out.setdefault(
                (body, role, _s),
                Responsibility(body=body, role=role, cue=cue, evidence=_sentence, span=_span),
            )

        for m in _LED_BY.finditer(sentence):
            for b in in_sentence:
                if s_start + m.start("x") <= b.start and b.end <= s_start + m.end("x"):
                    add(b.name, Role.LEAD, "统一领导")
        for c_start, c_end in _clauses(text, s_start, s_end):
            chain, pos = _subject_chain(text, c_start, [b for b in in_sentence if c_start <= b.start < c_end])
            if not chain:
                continue
            rest = text[pos:s_end]
            cue = _SUBJECT_CUES.match(rest) or _LEAD_CUE.match(rest)
            if cue is None:
                continue
            led = text[c_start : chain[0].start].strip().startswith("由")
            # "X负责…" governs the whole sentence; "X要…" only its own clause
            scope = rest if cue.group(0).startswith("负责") else text[pos:c_end]
            if _LEAD_CUE.match(rest) or (led and "牵头" in rest[:6]):
                role, word = Role.LEAD, "牵头"
            elif (found := _COORDINATE.search(scope)) is not None:
                role, word = Role.COORDINATE, found.group(0)
            elif (found := _SUPERVISE.search(scope)) is not None:
                role, word = Role.SUPERVISE, found.group(0)
            else:
                role, word = Role.IMPLEMENT, cue.group(0)
            for b in chain:
                add(b.name, role, word)
    return [out[k] for k in sorted(out, key=lambda k: (k[2], k[0], k[1].value))]


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    for i in range(start, end):
        if text[i] == "，":
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    return out


def _subject_chain(text: str, c_start: int, bodies: list[_Ent]) -> tuple[list[_Ent], int]:
    """Bodies that open the clause (optionally after 由), joined by 、 和 及 …; and where the chain ends."""
    chain: list[_Ent] = []
    pos = c_start
    for b in sorted(bodies, key=lambda e: e.start):
        if b.start < pos:
            continue
        gap = text[pos : b.start].strip()
        if gap in _CHAIN_GAP or (not chain and gap == "由"):
            chain.append(b)
            pos = b.end
        else:
            break
    return chain, pos
