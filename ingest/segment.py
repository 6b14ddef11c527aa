"""Stage 3 — segment: cleaned lines → blocks (paragraphs, headings, list items, table rows).

Guarantees:
- wrapped lines are joined without inserting spaces between Chinese characters (a space is inserted only
  between two Latin letters/digits that a wrap separated); spaces inside a line are kept;
- a numbering marker (一、 （一） 1. （1） ① 1) 第X章 专栏 N …) is recognised only at the start of a block;
  "7.8%，…" or "2025 年…" at the start of a wrapped line is running text;
- each block maps every character back to the original file (``Block.offsets``).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache

from plangraph.ingest.normalize import Line, Normalized
from plangraph.ingest.numerals import CIRCLED, cn_to_int

_CN = "零〇一二三四五六七八九十百两"
TERMINATORS = "。！？；：!?;:"
CLOSERS = "”’）)」』"


class Role(Enum):
    """What a numbering marker does in the outline (one place for the decision; tested per row)."""

    OUTLINE = "outline"  # a heading of an outline level (篇/章/节, 一、, （一）)
    LIST = "list"  # a numbered list item (1. （1） ① 1) 01): a heading, or the item of a 专栏
    BOX = "box"  # a 专栏 header
    DASH = "dash"  # a "——" line: a list entry of goals or principles, never an outline node
    ATTACHMENT = "attachment"  # 附件 N after the body: set by the boundaries stage, never found in text


@dataclass(frozen=True)
class MarkerType:
    name: str
    level: int  # GB/T 9704 order: smaller is higher
    pattern: re.Pattern[str]
    role: Role
    #: a list number that could be a quantity (``1.`` vs ``7.8%``): the text after it must start an item
    item_body: bool = False


# Order matters only where patterns could both match; levels give the outline order.
MARKERS: tuple[MarkerType, ...] = (
    MarkerType("pian", 0, re.compile(rf"^第\s*([{_CN}\d]+)\s*篇\s*"), Role.OUTLINE),
    MarkerType("zhang", 1, re.compile(rf"^第\s*([{_CN}\d]+)\s*章\s*"), Role.OUTLINE),
    MarkerType("jie", 2, re.compile(rf"^第\s*([{_CN}\d]+)\s*节\s*"), Role.OUTLINE),
    MarkerType("box", 3, re.compile(rf"^(?:任务|重点|工程)?专\s*栏\s*([{_CN}\d]+)\s*[:：]?\s*"), Role.BOX),
    MarkerType("cn", 4, re.compile(rf"^([{_CN}]+)\s*[、]\s*"), Role.OUTLINE),
    MarkerType("paren_cn", 5, re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*"), Role.OUTLINE),
    MarkerType("arabic", 6, re.compile(r"^(\d{1,2})\s*[.．、](?![\d%％])\s*"), Role.LIST, item_body=True),
    MarkerType("arabic0", 6, re.compile(r"^(0\d)\s+(?=[\u4e00-\u9fff])"), Role.LIST),
    MarkerType("paren_arabic", 7, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*"), Role.LIST),
    MarkerType("circled", 8, re.compile(rf"^([{CIRCLED}])\s*"), Role.LIST),
    MarkerType("arabic_paren", 9, re.compile(r"^(\d{1,2})\s*[)）](?![\d%％])\s*"), Role.LIST, item_body=True),
    MarkerType("attachment", -1, re.compile(r"^附\s*[件表]\s*(\d*)"), Role.ATTACHMENT),
    MarkerType("dash", 50, re.compile(r"^(?:—{2,3}|－{2}|-{2,3})\s*(?=\S)"), Role.DASH),
)
MARKER_BY_NAME = {m.name: m for m in MARKERS}
# any marker that can open a text, as one pattern: most lines open with none, and one match rules them out
_ANY_MARKER = re.compile(
    "|".join(f"(?:{m.pattern.pattern})" for m in MARKERS if m.role is not Role.ATTACHMENT).replace(
        "(?:^", "(?:"
    )
)


@dataclass(frozen=True)
class Marker:
    type: str
    level: int
    number: int
    text: str  # the marker as written, e.g. "（三）"

    @property
    def role(self) -> Role:
        return MARKER_BY_NAME[self.type].role


@dataclass(frozen=True)
class Block:
    text: str  # the whole block, marker included
    offsets: tuple[int, ...]  # original index per char, plus one past the end
    line_start: int
    line_end: int
    marker: Marker | None
    body_start: int  # index in text after the marker
    short: bool  # a single line shorter than the typical line: a heading-like line
    lines: int = 1  # the text lines it was joined from (blank lines not counted)
    table_line: bool = False  # a line of a table split_tables cut out (the tables are read from these)

    @property
    def double_spaced(self) -> bool:
        """Its lines were separated by blank lines (layout text of a framed box prints it so)."""
        return self.lines >= 2 and self.line_end - self.line_start >= 2 * (self.lines - 1) - 0.5

    @property
    def single_spaced(self) -> bool:
        return self.lines >= 3 and self.line_end - self.line_start == self.lines - 1

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """Original (char_start, char_end) of ``text[start:end]``."""
        end = len(self.text) if end is None else end
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def find_marker(text: str) -> tuple[Marker, int] | None:
    """The numbering marker at the start of ``text`` and where the body begins."""
    if not _ANY_MARKER.match(text):
        return None
    for mt in MARKERS:
        if mt.role is Role.ATTACHMENT:
            continue
        m = mt.pattern.match(text)
        if m:
            try:
                number = cn_to_int(m.group(1)) if mt.pattern.groups else 0
            except ValueError:
                continue
            rest = text[m.end() :]
            if mt.item_body and not _item_body(rest, m.group(0)):
                continue
            return Marker(mt.name, mt.level, number, text[: m.end()].strip()), m.end()
    return None


def _item_body(rest: str, marker: str) -> bool:
    """After ``1.`` a list item starts with a word; a number only after a space (``2. 5G 网络``), and never
    a quantity (``7.8%``)."""
    if not rest:
        return False
    ch = rest[0]
    if "\u4e00" <= ch <= "\u9fff" or ch in "“《（(" or ch.isalpha():
        return True
    return ch.isdigit() and marker[-1:].isspace() and not _QUANTITY.match(rest)


_QUANTITY = re.compile(r"^\d+(?:\.\d+)?\s*(?:[%％万亿千百]|年|个|家|件|元)")


@cache
def _char_width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def width(s: str) -> int:
    """Display width: a wide or full-width character counts 2.

    >>> width("一、总体要求 (A)")
    16
    """
    return sum(map(_char_width, s))


def typical_width(lines: tuple[Line, ...]) -> int:
    widths = [width(line.text) for line in lines if len(line.text) >= 8]
    if not widths:
        return 60
    return int(statistics.median_high(widths))


def ends_sentence(text: str) -> bool:
    t = text.rstrip(CLOSERS)
    return bool(t) and t[-1] in TERMINATORS


_MIDLINE_BREAK = re.compile(r"(?<=[。！？；])[ \t]+(?=\S)")


def _heading_start(text: str) -> bool:
    """A heading marker (outline level or 专栏) starts ``text``: where a wrap or a copy put a heading
    mid-line (``…技术。 （二）深化推广应用``), the line is split there."""
    found = find_marker(text)
    return found is not None and found[0].role in (Role.OUTLINE, Role.BOX)


def split_headings(line: Line) -> list[Line]:
    """Split a line where a sentence ends, white space follows and a heading begins.

    >>> [x.text for x in split_headings(Line(1, "构建系统。 （四）加快建设", tuple(range(14)), False, 0))]
    ['构建系统。', '（四）加快建设']
    >>> [x.text for x in split_headings(Line(1, "提升能力。 进一步强化", tuple(range(12)), False, 0))]
    ['提升能力。 进一步强化']
    """
    out: list[Line] = []
    cur = line
    for m in list(_MIDLINE_BREAK.finditer(line.text))[::-1]:
        if not _heading_start(line.text[m.end() :]):
            continue
        head, tail = _cut_line(cur, m.start(), m.end())
        out.insert(0, tail)
        cur = head
    return [cur, *out]


def _cut_line(line: Line, end: int, start: int) -> tuple[Line, Line]:
    """``line.text[:end]`` (a paragraph end: trailing space) and ``line.text[start:]`` as two lines."""
    head = Line(line.no, line.text[:end], (*line.offsets[:end], line.offsets[end - 1] + 1), True, line.indent)
    tail = Line(line.no, line.text[start:], line.offsets[start:], line.trailing_space, 0)
    return head, tail


def split_after_paragraph(block: Block) -> tuple[Block, Block | None]:
    """A block that runs past a paragraph end mid-line (a sentence end, white space, more text) as the
    paragraph and the rest; ``(block, None)`` when there is no such place.

    The genre's copies put the next paragraph on the same line where a box ends: ``…的供应链。 推进…``.
    """
    m = _MIDLINE_BREAK.search(block.text)
    if m is None:
        return block, None
    return sub_block(block, 0, m.start()), sub_block(block, m.end(), len(block.text))


def sub_block(block: Block, start: int, end: int) -> Block:
    text = block.text[start:end]
    found = find_marker(text)
    marker, body_start = found if found else (None, 0)
    offs = (*block.offsets[start:end], block.offsets[end - 1] + 1)
    return Block(text, offs, block.line_start, block.line_end, marker, body_start, False)


def segment(norm: Normalized) -> list[Block]:
    """Join lines into blocks. A block ends after a line that
    - ended in white space in the raw text (PDF paragraph end; every HTML block end), or
    - ends a sentence and is clearly shorter than the typical line, or
    - is a short heading line (a marker of an outline level and no sentence end), or
    - is followed by a line that starts with a marker while this one ends a sentence.
    """
    lines = tuple(part for line in norm.lines for part in split_headings(line))
    typical = typical_width(lines)
    wrapped = is_wrapped(lines, typical)
    indents = sum(1 for line in lines if line.indent > 0) >= max(5, len(lines) // 20)
    attachment_lines = {a.line for a in norm.attachments}  # an attachment (附件 N) starts a block
    blocks: list[Block] = []
    cur: list[Line] = []

    def close() -> None:
        if cur:
            blocks.append(_make_block(cur, typical))
            cur.clear()

    for i, line in enumerate(lines):
        cur.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and nxt.no in attachment_lines:
            close()
            continue
        short = width(line.text) < 0.8 * typical
        if not wrapped and nxt is not None and _broken_line(line, nxt):
            continue  # one paragraph per line, but this one was cut mid-sentence (…映射、⏎工时物量…)
        if not wrapped or _paragraph_end_space(line, short) or (short and ends_sentence(line.text)):
            close()
            continue
        if len(cur) == 1 and short and _is_heading_line(line.text):
            close()
            continue
        if (
            nxt is not None
            and ends_sentence(line.text)
            and (
                (_opens_with_lead(nxt.text) and (nxt.indent > 0 or not indents))
                or (indents and nxt.indent > 0 and nxt.indent > line.indent)
            )
        ):  # a full last line, then an indented paragraph start or a lead sentence
            close()
            continue
        if (
            nxt is not None
            and find_marker(nxt.text) is not None
            and (ends_sentence(line.text) or _open_heading(cur))
        ):
            close()
    close()
    return blocks


_LEAD_OPENING = re.compile(r"^[^，。；：:、“”（）()\d]{4,14}。")


#: Verbs that open a measure's lead sentence (加快…, 推进…): a paragraph led by one states a measure of the
#: plan, where a 专栏's unnumbered items are noun phrases (操作系统。数据库。).
MEASURE_VERBS = frozenset(
    (
        "加快",
        "推进",
        "推动",
        "积极",
        "优化",
        "加强",
        "完善",
        "提升",
        "强化",
        "支持",
        "培育",
        "建设",
        "打造",
        "深化",
        "促进",
        "健全",
        "构建",
        "实施",
        "开展",
        "鼓励",
        "引导",
        "聚力",
        "重点",
        "全面",
        "大力",
        "着力",
        "持续",
        "统筹",
        "扩大",
        "激发",
        "夯实",
        "营造",
        "繁荣",
        "深入",
        "稳步",
        "有序",
        "探索",
        "落实",
        "发挥",
    )
)


def measure_lead(text: str) -> bool:
    """The paragraph opens with a short lead sentence that starts with a measure verb.

    >>> measure_lead("积极培育嵌入式软件。面向数控机床……"), measure_lead("云计算。加快超大规模分布式存储……")
    (True, False)
    """
    t = text.strip()
    m = _LEAD_OPENING.match(t)
    return m is not None and t[:2] in MEASURE_VERBS and len(t) > m.end()  # the paragraph goes on


def _opens_with_lead(text: str) -> bool:
    """A line that starts with a short sentence of its own (强化人才培养。定期编制…)."""
    return _LEAD_OPENING.match(text) is not None


def _broken_line(line: Line, nxt: Line) -> bool:
    """In text with one paragraph per line, a long line that stops inside a sentence (after 、，or a
    word) continues on the next line, unless that line starts a numbered entry."""
    last = line.text.rstrip()[-1:]
    return (
        "\t" not in line.text  # a table row is a line of its own
        and len(line.text) >= 40
        and (last in "、，（“《" or "\u4e00" <= last <= "\u9fff")
        and find_marker(nxt.text) is None
    )


def _open_heading(cur: list[Line]) -> bool:
    """The lines so far are a heading wrapped over lines (marker, no sentence end): a heading that
    follows it starts a block of its own."""
    text = "".join(line.text for line in cur)
    found = find_marker(text)
    return (
        found is not None
        and found[0].role in (Role.OUTLINE, Role.BOX)
        and not any(t in text for t in "。；！？")
    )


def _paragraph_end_space(line: Line, short: bool) -> bool:
    """A trailing space ends a paragraph, unless a full-width line ends in a Latin word or number
    (``加快 5G ⏎商用``): there it is the space between words that the wrap left at the line end."""
    return line.trailing_space and (short or not _latin(line.text[-1]))


def _is_heading_line(text: str) -> bool:
    """A short line that starts with a marker and has no sentence end is a heading on its own."""
    return find_marker(text) is not None and not any(t in text for t in "。；")


def is_wrapped(lines: tuple[Line, ...], typical: int) -> bool:
    """Text extracted from PDF wraps paragraphs at a fixed width: many lines share the typical width and
    many stop mid-sentence. Text with one paragraph per line does neither, and then every line ends its
    block (except a long line cut mid-sentence, see ``_broken_line``)."""
    if typical > 120:  # lines longer than any printed page: one paragraph per line (copied text)
        return False
    body = [line for line in lines if len(line.text) >= 8 and find_marker(line.text) is None]
    mid_sentence = sum(1 for line in body if not ends_sentence(line.text) and line.text[-1:] not in "：:")
    if len(body) >= 3 and mid_sentence < 0.3 * len(body):
        return False  # lines end where sentences end: a paragraph per line
    marked = sum(1 for line in lines if line.trailing_space)
    if 0 < marked < len(lines):  # some lines carry the paragraph-end space, others don't: wrapped text
        return True
    long_lines = [width(line.text) for line in lines if len(line.text) >= 8]
    if len(long_lines) < 5:
        return True
    at_width = sum(1 for w in long_lines if abs(w - typical) <= 2)
    return at_width / len(long_lines) >= 0.3


def _make_block(lines: list[Line], typical: int) -> Block:
    parts: list[str] = []
    offs: list[int] = []
    prev: Line | None = None
    for line in lines:
        if prev is not None and _latin(prev.text[-1]) and (prev.trailing_space or _latin(line.text[0])):
            parts.append(" ")  # the space the wrap took (or two Latin words split by it)
            offs.append(prev.offsets[-1])
        prev = line
        parts.append(line.text)
        offs.extend(line.offsets[:-1])
    text = "".join(parts)
    offs.append(lines[-1].offsets[-1])
    found = find_marker(text)
    marker, body_start = found if found else (None, 0)
    short = len(lines) == 1 and width(text) < 0.8 * min(typical, 80)
    return Block(text, tuple(offs), lines[0].no, lines[-1].no, marker, body_start, short, len(lines))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
