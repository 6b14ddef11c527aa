"""The lexicon's entities in a text, found as spaCy's EntityRuler finds them, without spaCy.

The ruler of :func:`ingest.extract.build_nlp` (``blank("zh")`` with the jieba segmenter and an EntityRuler
of phrase patterns) does three things, each repeated here the same way:

1. tokenise: jieba's cut of the text (the global tokenizer, with the lexicon's forms added as words), then
   spaCy's alignment (``spacy.util.get_words_and_spaces``): whitespace is no token of its own where it is
   one space after a word (the word's trailing space), a token otherwise;
2. match: a phrase pattern (every form of every entry: names, aliases, spaced variants) matches where the
   text's tokens spell its tokens (``ORTH``), tokenised the same way;
3. choose: longest match first, then the earliest, and a match is kept when neither its first nor its last
   token is in one kept already (the ruler's own test); the kept ones in text order.

Importing spaCy and building its pipeline took most of a parse's start-up (about 1 s of 3) for this
alone, so the parse runs this module; ``tests/test_tokenising.py`` checks that it finds exactly the
entities the spaCy ruler finds, on the bundled plan and corpus plans. spaCy stays the reference: if two
entries of a lexicon shared a form, the spaCy ruler's choice between them would be arbitrary (an order of
hashes); here the first entry (lexicon order) wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from plangraph.ingest.jieba_dict import global_tokenizer
from plangraph.ingest.lexicon import LEXICON_DIR, load_lexicon
from plangraph.ingest.models import EntityKind
from plangraph.ingest.normalize import fold


@dataclass(frozen=True)
class Found:
    kind: EntityKind
    name: str  # the entry's canonical name
    start: int  # in the text
    end: int


def words_and_spaces(words: Iterable[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``get_words_and_spaces``: the tokens of ``text`` from a segmenter's words, and whether one
    space follows each.

    >>> words_and_spaces(["公网", " ", "5G", "  ", "上"], "公网 5G  上")
    (['公网', '5G', ' ', '上'], [True, True, False, False])
    """
    out: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for word in (w for w in words if not w.isspace()):
        start = text.index(word, pos) - pos
        if start > 0:
            out.append(text[pos : pos + start])
            spaces.append(False)
            pos += start
        out.append(word)
        spaces.append(False)
        pos += len(word)
        if pos < len(text) and text[pos] == " ":
            spaces[-1] = True
            pos += 1
    if pos < len(text):
        out.append(text[pos:])
        spaces.append(False)
    return out, spaces


def segmenter(lexicon_dir: Path = LEXICON_DIR) -> Any:
    """jieba's global tokenizer with the lexicon's forms as words (so they segment whole)."""
    return _segmenter(lexicon_dir)


@lru_cache(maxsize=2)
def _segmenter(lexicon_dir: Path) -> Any:
    seg = global_tokenizer()
    for entry in load_lexicon(lexicon_dir).entries:
        for surface in entry.surfaces:
            seg.add_word(fold(surface))
    return seg


def tokens(text: str, lexicon_dir: Path = LEXICON_DIR) -> tuple[list[str], list[int]]:
    """The tokens of ``text`` as the spaCy pipeline makes them, and the offset of each.

    >>> tokens("推进 5G 应用")
    (['推进', '5G', '应用'], [0, 3, 6])
    """
    words = [w for w in segmenter(lexicon_dir).cut(text, cut_all=False) if w]
    orths, spaces = words_and_spaces(words, text)
    starts: list[int] = []
    pos = 0
    for orth, space in zip(orths, spaces, strict=True):
        starts.append(pos)
        pos += len(orth) + space
    return orths, starts


def forms(surface: str) -> list[str]:
    """The forms a lexicon surface is matched by (see :func:`ingest.extract.spaced_variants`)."""
    from plangraph.ingest.extract import spaced_variants

    return spaced_variants(fold(surface))


class Ruler:
    """The phrase patterns of a lexicon, by their tokens."""

    def __init__(self, lexicon_dir: Path = LEXICON_DIR) -> None:
        self.lexicon_dir = lexicon_dir
        self.patterns: dict[tuple[str, ...], tuple[EntityKind, str]] = {}
        lengths: dict[str, set[int]] = {}
        for entry in load_lexicon(lexicon_dir).entries:
            for surface in entry.surfaces:
                for form in forms(surface):
                    orths = tuple(tokens(form, lexicon_dir)[0])
                    if orths:
                        self.patterns.setdefault(orths, (entry.kind, entry.name))
                        lengths.setdefault(orths[0], set()).add(len(orths))
        #: the token counts of the patterns starting with a token, longest first
        self.lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}

    def __call__(self, text: str) -> list[Found]:
        """The entities of ``text``, in text order.

        >>> [(f.name, f.start, f.end) for f in ruler()("由中央网信办统筹")]
        [('中央网络安全和信息化委员会办公室', 1, 6)]
        """
        orths, starts = tokens(text, self.lexicon_dir)
        matches: list[tuple[int, int]] = []  # (token count, first token)
        for i, orth in enumerate(orths):
            for n in self.lengths.get(orth, ()):
                if i + n <= len(orths) and tuple(orths[i : i + n]) in self.patterns:
                    matches.append((n, i))
        matches.sort(key=lambda m: (-m[0], m[1]))
        seen: set[int] = set()
        kept: list[tuple[int, int]] = []
        for n, i in matches:
            if i not in seen and i + n - 1 not in seen:
                kept.append((i, n))
                seen.update(range(i, i + n))
        out: list[Found] = []
        for i, n in sorted(kept):
            kind, name = self.patterns[tuple(orths[i : i + n])]
            last = i + n - 1
            out.append(Found(kind, name, starts[i], starts[last] + len(orths[last])))
        return out


@lru_cache(maxsize=2)
def ruler(lexicon_dir: Path = LEXICON_DIR) -> Ruler:
    return Ruler(lexicon_dir)
