"""Stage 2 — normalize: the text as lines, cleaned of PDF artefacts, each char mapped to the original.

Guarantees:
- page numbers are removed by their *place*, never because a line is a number: a page mark (``- 12 -``,
  ``— 3 —``, ``第 12 页``) on a line of its own; a bare number on the last line of a page (before a form
  feed); a bare number after a page-break gap (a white-space-only line among the lines before it, as
  pdftotext writes them); a bare number in a run of page numbers (1, 2, 3 … a page's length apart, as a
  PDF's text copied with its line breaks shows them). All are reported in ``Normalized.dropped``;
- a line holding a tab (a table row: HTML cells are tab-separated) is never dropped, and in HTML only page
  marks are (a number alone in a block is a cell or a value, HTML has no pages);
- running headers and footers (the same line at the top or bottom of most pages of form-fed text) and page
  marks inside a line (``…企业评- 13 -估…``) are removed and reported;
- blank lines are dropped; each kept line has leading/trailing white space removed (``trailing_space``
  records whether the raw line ended in white space, the genre's paragraph-end mark in PDF text);
- variant glyphs are folded (臵→置, Kangxi radicals and CJK compatibility ideographs → unified forms);
- ``Line.offsets[i]`` is the index in the original file of ``Line.text[i]``.

The next step, :func:`ingest.boundaries.find_plan`, finds where the plan starts and ends inside the text
(front matter, tables of contents, back matter, attachments, a body present twice) and fills
``Normalized.meta``, ``Normalized.attachments`` and ``Normalized.notes``.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plangraph.ingest.load import Source

if TYPE_CHECKING:
    from plangraph.ingest.boundaries import DocumentMeta
    from plangraph.ingest.models import ParseWarning

# PDF font glyph substitutions seen in Chinese government PDFs: variant → standard form.
VARIANTS: dict[str, str] = {"臵": "置"}

_DASH = "\\-—–－"
_SPACE = " \u3000\xa0"
#: a page mark on a line of its own: "- 12 -", "— 3 —", "第 12 页", "第 2 页 共 9 页"
_PAGE_MARK = re.compile(
    rf"^[{_SPACE}]*(?:[{_DASH}][{_SPACE}]*\d{{1,3}}[{_SPACE}]*[{_DASH}]"
    rf"|第[{_SPACE}]*\d{{1,3}}[{_SPACE}]*页(?:[{_SPACE}]*[,，/]?[{_SPACE}]*共[{_SPACE}]*\d+[{_SPACE}]*页)?)"
    rf"[{_SPACE}]*$"
)
_BARE_NUMBER = re.compile(rf"^[{_SPACE}\f]*(\d{{1,3}})[{_SPACE}]*$")
#: a page mark inside a line, between two characters of running text (spaces inside the dashes)
_INLINE_MARK = re.compile(rf"(?<=[^\s\d{_DASH}])[ ]?[{_DASH}] (\d{{1,3}}) [{_DASH}][ ]?(?=[^\s\d{_DASH}])")

#: lines between two page numbers of a run, at least (a page of PDF text has 20–40 lines)
_MIN_PAGE_LINES = 8
_MIN_PAGE_CHARS = 150


def fold_char(ch: str) -> str:
    """Fold one character: variant glyphs and compatibility ideographs to their standard form."""
    if ch in VARIANTS:
        return VARIANTS[ch]
    o = ord(ch)
    if 0x2E80 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF:
        folded = unicodedata.normalize("NFKC", ch)
        return folded if len(folded) == 1 else ch
    return ch


def _fold_table() -> dict[int, str]:
    ranges = [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)]
    table = {o: fold_char(chr(o)) for o in ranges}
    table.update({ord(k): v for k, v in VARIANTS.items()})
    return {o: c for o, c in table.items() if c != chr(o)}


_FOLD = _fold_table()  # every character fold_char changes: one str.translate folds a whole text


def fold(text: str) -> str:
    """Fold variants in a string (same length as the input).

    >>> fold("⾦融 臵换") == "金融 置换"
    True
    """
    return text.translate(_FOLD)


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
    reason: str  # "page number", "running header", "running footer", "inline page number"
    column: int | None = None  # 1-based, for marks inside a line


@dataclass(frozen=True)
class Attachment:
    """An attachment (附件) after the plan's body: the structure stage can make it a part of its own.

    ``index`` is the index in ``Normalized.lines`` of the 附件 line; ``title`` the line after it (where it
    is a title, not running text). The attachment runs up to the next attachment or the end of the lines.
    """

    index: int
    line: int  # original line number of the 附件 line
    label: str  # as written, e.g. "附件1", "附件 2", "附件："
    title: str | None


@dataclass(frozen=True)
class Normalized:
    source: Source
    lines: tuple[Line, ...]
    dropped: tuple[Dropped, ...]
    line_starts: tuple[int, ...]  # original offsets where each original line starts
    #: metadata read from the document (title, issuer, doc number, date, period), set by boundaries
    meta: DocumentMeta | None = None
    #: attachments after the body (附件1 …), set by boundaries; their lines stay in ``lines``
    attachments: tuple[Attachment, ...] = ()
    #: what boundaries removed or found (front matter, TOC, duplicate body …) as I-/W-codes with lines
    notes: tuple[ParseWarning, ...] = field(default=())

    def line_of(self, original_offset: int) -> int:
        """1-based original line number of an original character offset."""
        return bisect.bisect_right(self.line_starts, original_offset)

    def column_of(self, original_offset: int) -> int:
        """1-based column of an original character offset in its line."""
        return original_offset - self.line_starts[self.line_of(original_offset) - 1] + 1

    def long_line_column(self, original_offset: int, longer_than: int = 300) -> int | None:
        """The column of an offset where its line is long (one-line HTML, a spreadsheet cell), else None:
        in a short line the line number says enough."""
        no = self.line_of(original_offset)
        start = self.line_starts[no - 1]
        end = self.line_starts[no] if no < len(self.line_starts) else len(self.source.original)
        return original_offset - start + 1 if end - start > longer_than else None


RawLine = tuple[str, tuple[int, ...]]


def normalize(source: Source) -> Normalized:
    original = source.original
    line_starts = [0] + [m.end() for m in re.finditer("\n", original)]
    text, offs = source.text, source.offsets

    # split the parse text into raw lines, keeping the map
    raw: list[RawLine] = []
    start = 0
    for seg in text.split("\n"):
        end = start + len(seg)
        raw.append((seg, offs[start : end + 1]))
        start = end + 1

    def line_no(k: int) -> int:
        seg, m = raw[k]
        return bisect.bisect_right(line_starts, m[0]) if seg else bisect.bisect_right(line_starts, m[-1])

    def column(offset: int) -> int:
        return offset - line_starts[bisect.bisect_right(line_starts, offset) - 1] + 1

    cleaned = [_clean(seg) for seg, _ in raw]
    drop = _page_artefacts(raw, cleaned, html=source.format == "html")

    kept: list[Line] = []
    dropped: list[Dropped] = []
    for k, (_, m) in enumerate(raw):
        seg = cleaned[k]
        if not seg.strip():
            continue
        if k in drop:
            dropped.append(Dropped(line_no(k), seg.strip(), drop[k]))
            continue
        lead = len(seg) - len(seg.lstrip())
        body = seg.strip()
        end = lead + len(body)
        chars = list(fold(body))
        line_offs = list(m[lead:end])
        for mark in reversed(list(_INLINE_MARK.finditer(body))):
            dropped.append(
                Dropped(
                    line_no(k), mark.group(0).strip(), "inline page number", column(m[lead + mark.start()])
                )
            )
            del chars[mark.start() : mark.end()]
            del line_offs[mark.start() : mark.end()]
        kept.append(
            Line(
                no=line_no(k),
                text="".join(chars),
                offsets=(*line_offs, m[end - 1] + 1),
                trailing_space=end < len(seg),
                indent=lead,
            )
        )
    dropped.sort(key=lambda d: (d.no, d.column or 0))
    return Normalized(source, tuple(kept), tuple(dropped), tuple(line_starts))


def _clean(seg: str) -> str:
    if seg.endswith("\r"):  # CRLF: the \r belongs to the line break, not to the text
        seg = seg[:-1]
    return seg.replace("\r", " ").replace("\u3000", " ").replace("\xa0", " ")


def _page_artefacts(raw: list[RawLine], cleaned: list[str], *, html: bool) -> dict[int, str]:
    """Raw line index → why it is dropped, for page numbers and running headers/footers."""
    drop: dict[int, str] = {}
    bare: list[tuple[int, int]] = []  # (line index, value) of bare numbers not yet explained
    form_fed = any("\f" in seg for seg, _ in raw)
    for k, seg in enumerate(cleaned):
        if "\t" in seg or not seg.strip():
            continue  # a table row (HTML cells) is never a page number
        if _PAGE_MARK.match(seg):
            drop[k] = "page number"
            continue
        if html:
            continue
        m = _BARE_NUMBER.match(seg)
        if m is None:
            continue
        if (form_fed and _ends_page(raw, k)) or _after_gap(raw, k):
            drop[k] = "page number"
        else:
            bare.append((k, int(m.group(1))))
    if not html:
        for k in _page_run(bare, raw):
            drop[k] = "page number"
        if form_fed:
            drop.update(_running_lines(raw, cleaned, drop))
        else:
            drop.update(_lines_beside_page_numbers(cleaned, drop))
    return drop


def _lines_beside_page_numbers(cleaned: list[str], drop: dict[int, str]) -> dict[int, str]:
    """Without form feeds, the page numbers mark the page breaks: a line that stands right after (before)
    most of them, digits aside, is a running header (footer)."""
    breaks = [k for k, why in drop.items() if why == "page number"]
    if len(breaks) < 3:
        return {}
    out: dict[int, str] = {}
    for step, reason in ((1, "running header"), (-1, "running footer")):
        beside = []
        for k in breaks:
            j = k + step
            while 0 <= j < len(cleaned) and (not cleaned[j].strip() or j in drop):
                j += step
            if 0 <= j < len(cleaned):
                beside.append(j)
        out.update((k, reason) for k in _recurring(beside, cleaned, len(breaks)))
    return out


def _recurring(candidates: list[int], cleaned: list[str], places: int) -> list[int]:
    """The candidate lines whose text, digits aside, stands at three or more of the ``places`` and at
    half of them at least: a running header or footer, not a line of the plan."""
    keys: dict[str, list[int]] = {}
    for k in candidates:
        key = re.sub(r"\d+", "#", match_key(cleaned[k]))
        if 2 <= len(key) <= 60:
            keys.setdefault(key, []).append(k)
    return [k for ks in keys.values() if len(ks) >= 3 and len(ks) * 2 >= places for k in ks]


def _ends_page(raw: list[RawLine], k: int) -> bool:
    """The line is the last of its page: only blank lines between it and a form feed (or the end)."""
    if raw[k][0].rstrip(_SPACE).endswith("\f"):
        return True
    for j in range(k + 1, min(len(raw), k + 8)):
        seg = raw[j][0]
        if seg.lstrip(_SPACE).startswith("\f"):
            return True
        if seg.strip():
            return False
    return k + 8 >= len(raw)  # only blank lines up to the end of the file


def _after_gap(raw: list[RawLine], k: int) -> bool:
    """A bare number after a page-break gap: a white-space-only (not empty) line among the few lines
    before it. Table row numbers follow content directly."""
    for j in range(k - 1, max(-1, k - 5), -1):
        prev = raw[j][0]
        if prev and not prev.strip():
            return True
        if prev.strip():
            return False
    return False


def _page_run(bare: list[tuple[int, int]], raw: list[RawLine]) -> list[int]:
    """The bare numbers that count pages: the longest run n, n+1, n+2 … (one missing page allowed) whose
    members stand at least a page apart; three or more make a run. Row numbers of a table stand a few
    lines apart and do not join it."""
    if len(bare) < 3:
        return []
    pos = [raw[k][1][0] if raw[k][1] else 0 for k, _ in bare]
    best: list[int] = [1] * len(bare)
    back: list[int] = [-1] * len(bare)
    for i, (k, v) in enumerate(bare):
        for j in range(max(0, i - 60), i):
            kj, vj = bare[j]
            apart = k - kj >= _MIN_PAGE_LINES and pos[i] - pos[j] >= _MIN_PAGE_CHARS
            if v - vj in (1, 2) and apart and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    end = max(range(len(bare)), key=lambda i: best[i])
    if best[end] < 3:
        return []
    run = []
    while end >= 0:
        run.append(bare[end][0])
        end = back[end]
    gaps = [b - a for a, b in zip(sorted(run), sorted(run)[1:], strict=False)]
    if statistics.median(gaps) < 15:
        return []  # numbered rows of a long table, not pages
    return run


def _running_lines(raw: list[RawLine], cleaned: list[str], drop: dict[int, str]) -> dict[int, str]:
    """Running headers and footers of form-fed text: the first (last) line of a page that repeats, digits
    aside, on at least three pages and half of them."""
    pages: list[list[int]] = [[]]
    for k, (seg, _) in enumerate(raw):
        if seg.lstrip(_SPACE).startswith("\f") and pages[-1]:
            pages.append([])
        if cleaned[k].strip() and k not in drop:
            pages[-1].append(k)
    pages = [p for p in pages if p]
    if len(pages) < 3:
        return {}
    out: dict[int, str] = {}
    for which, reason in ((0, "running header"), (-1, "running footer")):
        out.update((k, reason) for k in _recurring([p[which] for p in pages], cleaned, len(pages)))
    return out
