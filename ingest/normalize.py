"""Stage 2 — normalize: the text as lines, cleaned of PDF artefacts, each char mapped to the original.

Guarantees:
- page-number lines (a bare number after a page-break gap, or ``- 12 -`` / ``第 12 页``) and blank lines are
  dropped and reported in ``Normalized.dropped``;
- each kept line has leading/trailing white space removed (``trailing_space`` records whether the raw line
  ended in white space, the genre's paragraph-end mark in PDF text);
- variant glyphs are folded (臵→置, Kangxi radicals and CJK compatibility ideographs → unified forms);
- ``Line.offsets[i]`` is the index in the original file of ``Line.text[i]``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from ingest.load import Source

# PDF font glyph substitutions seen in Chinese government PDFs: variant → standard form.
VARIANTS: dict[str, str] = {"臵": "置"}

_PAGE_NUMBER = re.compile(
    r"^\s*(?:\d{1,3}|[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)\s*$"
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def fold_char(ch: str) -> str:
    """Fold one character: variant glyphs and compatibility ideographs to their standard form."""
    if ch in VARIANTS:
        return VARIANTS[ch]
    o = ord(ch)
    if 0x2E80 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF:
        folded = unicodedata.normalize("NFKC", ch)
        return folded if len(folded) == 1 else ch
    return ch


def fold(text: str) -> str:
    """Fold variants in a string (same length as the input)."""
    return "".join(fold_char(c) for c in text)


def match_key(text: str) -> str:
    """A key for matching: full-width → half-width (NFKC), variants folded, white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", fold(text)))


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the original file
    text: str  # cleaned
    offsets: tuple[int, ...]  # original index of each char of text, plus one past the end
    trailing_space: bool
    indent: int  # leading white space in the raw line


@dataclass(frozen=True)
class Dropped:
    no: int
    text: str
    reason: str


@dataclass(frozen=True)
class Normalized:
    source: Source
    lines: tuple[Line, ...]
    dropped: tuple[Dropped, ...]
    line_starts: tuple[int, ...]  # original offsets where each original line starts

    def line_of(self, original_offset: int) -> int:
        """1-based original line number of an original character offset."""
        return bisect.bisect_right(self.line_starts, original_offset)


def normalize(source: Source) -> Normalized:
    original = source.original
    line_starts = [0] + [i + 1 for i, c in enumerate(original) if c == "\n"]
    text, offs = source.text, source.offsets

    # split the parse text into raw lines, keeping the map
    raw: list[tuple[str, tuple[int, ...]]] = []
    start = 0
    for i, c in enumerate(text + "\n"):
        if c == "\n":
            raw.append((text[start:i], offs[start : i + 1]))
            start = i + 1

    def line_no(k: int) -> int:
        seg, m = raw[k]
        return bisect.bisect_right(line_starts, m[0]) if seg else bisect.bisect_right(line_starts, m[-1])

    kept: list[Line] = []
    dropped: list[Dropped] = []
    for k, (seg, m) in enumerate(raw):
        if seg.endswith("\r"):  # CRLF: the \r belongs to the line break, not to the text
            seg = seg[:-1]
        seg = seg.replace("\r", " ").replace("\u3000", " ").replace("\xa0", " ")
        if not seg.strip():
            continue
        if _is_page_number(raw, k):
            dropped.append(Dropped(line_no(k), seg.strip(), "page number"))
            continue
        lead = len(seg) - len(seg.lstrip())
        body = seg.strip()
        end = lead + len(body)
        folded = fold(body)
        kept.append(
            Line(
                no=line_no(k),
                text=folded,
                offsets=(*m[lead:end], m[end - 1] + 1),
                trailing_space=end < len(seg),
                indent=lead,
            )
        )
    return Normalized(source, tuple(kept), tuple(dropped), tuple(line_starts))


def _is_page_number(raw: list[tuple[str, tuple[int, ...]]], k: int) -> bool:
    seg = raw[k][0]
    if not _PAGE_NUMBER.match(seg):
        return False
    if not _BARE_NUMBER.match(seg):
        return True  # "- 12 -", "第 12 页": unambiguous page marks
    # a bare number is a page number only after a page-break gap: a white-space-only (not empty)
    # line among the few lines before it. Table row numbers follow content directly.
    for j in range(k - 1, max(-1, k - 5), -1):
        prev = raw[j][0]
        if prev and not prev.strip():
            return True
        if prev.strip():
            return False
    return False
