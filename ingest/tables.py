"""Tables wherever they stand: 主要指标, 表N captions, 附件/附表 tables, review and investment tables.

Text extracted from PDF flattens a table into lines, and the segmenter may join those lines (and the
paragraphs around them) into one block; so this module works on the *lines* of blocks (:class:`TLine`, a
stretch of a block, mapped to the original through the block's offsets) and finds a table wherever it
stands: after a caption (…主要指标, 表1 …, 附表, …发展指标) or at a header row of its own.

- :func:`read_header` reads the columns from the header cells: 序号, 类别, 指标, 单位, the value columns
  with their years (base, target, several targets, 规划目标 / 实现情况 of a review table) and 属性;
- :func:`locate` finds each table's extent: caption, header lines, body lines, notes (注：…);
- :func:`generic_table` turns a table that holds no indicators into a :class:`~ingest.models.TableValues`
  (caption, header cells, rows of cells);
- :func:`rest_blocks` gives the lines of blocks that are in no table back as blocks.

The indicator rows are read in :mod:`ingest.indicators`, which also takes the tables out of a container's
content (``take_tables``) and cuts blocks at tables (``split_tables``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from plangraph.ingest.models import TableValues
from plangraph.ingest.segment import Block, find_marker

LineOf = Callable[[int], int]

# -- values --------------------------------------------------------------------------------------------
_NUM = r"\d+(?:\.\d+)?"
_PRE = (
    r"(?:五年累计|累计|年均|下降|降低|提高|增长|减少|提升|达到|超过|不低于|不少于|不高于|不超过|大于|小于|"
    r"高于|低于|控制在|力争|约|[≥≤><＞＜≧≦])"
)
_SUF = r"(?:及以上|以上|以内|左右|以下)"
_UNIT_SUFFIX = r"(?:个百分点|百分点|[%％‰]|倍)"
_NUMV = rf"(?:{_PRE}\s*){{0,2}}{_NUM}(?:\s*[-~～—–至到]\s*{_NUM})?\s*\*?\s*{_UNIT_SUFFIX}?\s*{_SUF}?"
#: Targets written as words (kept as text; no number).
TEXT_VALUES = (
    "零发生",
    "零事故",
    "零",
    "基本全覆盖",
    "全面覆盖",
    "全覆盖",
    "基本实现",
    "全面实现",
    "实现",
    "全部达标",
    "达标",
    "保持稳定",
    "稳定",
    "持续提升",
    "持续改善",
    "持续下降",
    "持续提高",
    "持续增长",
    "稳步提升",
    "稳步提高",
    "稳步增长",
    "显著提升",
    "显著提高",
    "显著改善",
    "明显提升",
    "明显改善",
    "明显提高",
    "进一步提升",
    "进一步提高",
    "进一步改善",
    "进一步下降",
    "逐步提升",
    "逐步提高",
    "完成国家下达任务",
    "完成国家下达目标",
    "完成国家下达指标",
    "完成国家下达",
    "国家下达",
    "合格",
    "无",
)
_TEXTV = "(?:" + "|".join(sorted(TEXT_VALUES, key=len, reverse=True)) + r"|—+|－+|-{1,2}|/|／|\.{3}|…+)"
_OPEN, _CLOSE = r"[〔\[［【]", r"[〕\]］】]"
#: One value cell as written: a number with its qualifiers (≥50, 3-5, 〔下降 15%〕, 3.5*, 30%以上),
#: a dash, or a word target (零发生, 全覆盖).
VALUE = rf"(?:{_OPEN}\s*)?(?:{_NUMV}|{_TEXTV})(?:\s*{_CLOSE})?\s*\*?"
_VALUE_RE = re.compile(rf"^{VALUE}$")
ATTRIBUTES = ("预期性", "约束性")
_ATTR_RE = re.compile(r"^(?:预期性|约束性)$")
_NUMBER_IN = re.compile(_NUM)


def is_value(text: str) -> bool:
    """A whole cell is one value.

    >>> [is_value(t) for t in ["≥50", "3-5", "〔下降 15%〕", "3.5*", "零发生", "—", "智能计算中心（个）"]]
    [True, True, True, True, True, True, False]
    """
    return bool(_VALUE_RE.match(text.strip()))


def is_attribute(text: str) -> bool:
    return bool(_ATTR_RE.match(text.strip()))


def number_of(raw: str) -> float | None:
    """The value as a number where it holds exactly one (``≥50`` → 50, ``下降30%以上`` → 30, ``3.5*`` →
    3.5); None for word targets (零发生), dashes and ranges (3-5).

    >>> [number_of(v) for v in ["≥50", "下降30%以上", "3.5*", "零发生", "3-5", "〔10〕", "—"]]
    [50.0, 30.0, 3.5, None, None, 10.0, None]
    """
    found = _NUMBER_IN.findall(raw)
    return float(found[0]) if len(found) == 1 else None


def clean_value(raw: str) -> str:
    """The value as written, without white space, the * mark and the brackets of a cumulative value."""
    return re.sub(r"\s+", "", raw).replace("*", "").strip("〔〕[]［］【】")


# -- lines of blocks -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TLine:
    """One line of a block: ``blocks[block].text[start:end]``."""

    block: int
    start: int
    end: int
    text: str
    line: int  # 1-based line in the original (estimated from the block's lines when no line_of is given)
    indent: int | None = (
        None  # white space before it in the original (None at the first line, or after a gap)
    )


def block_lines(block: Block, index: int = 0, line_of: LineOf | None = None) -> list[TLine]:
    """The lines a block was joined from, found where the offsets into the original jump (a line break
    lies between). A tab-separated row (HTML) or a one-line block is one line."""
    text, offs = block.text, block.offsets
    cuts = [0]
    if "\t" not in text and block.line_end > block.line_start:
        cuts += [i + 1 for i in range(len(text) - 1) if offs[i + 1] - offs[i] > 1]
    cuts.append(len(text))
    out: list[TLine] = []
    for k in range(len(cuts) - 1):
        s, e = cuts[k], cuts[k + 1]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            continue
        line = line_of(offs[s]) if line_of is not None else min(block.line_start + len(out), block.line_end)
        out.append(TLine(index, s, e, text[s:e], line))
    return out


def lines_of(blocks: Sequence[Block], line_of: LineOf | None = None) -> list[TLine]:
    """The lines of all blocks, each with its indent: what lies in the original between the end of the
    line before and its start, less the line break and the paragraph-end space (layout text indents a
    table's names and leaves its left column of group names at the margin)."""
    out: list[TLine] = []
    prev_end: int | None = None
    for i, b in enumerate(blocks):
        for ln in block_lines(b, i, line_of):
            start = b.offsets[ln.start]
            gap = start - prev_end if prev_end is not None else None
            indent = max(0, gap - 2) if gap is not None and 0 < gap <= 80 else None
            out.append(dataclasses.replace(ln, indent=indent))
            prev_end = b.offsets[ln.end - 1] + 1
    return out


def sub_block(block: Block, start: int, end: int, line_start: int, line_end: int, *, marker: bool) -> Block:
    """A stretch of a block as a block of its own (its marker recomputed, or none for a table line)."""
    text = block.text[start:end]
    offs = (*block.offsets[start:end], block.offsets[end - 1] + 1)
    found = find_marker(text) if marker else None
    m, body = found if found else (None, 0)
    single = line_start == line_end
    return Block(text, offs, line_start, line_end, m, body, single and len(text) <= 30)


# -- header --------------------------------------------------------------------------------------------
def _spaced(word: str) -> str:
    """A header word whose characters a PDF may print apart (重 点 项 目)."""
    return r"\s*".join(re.escape(c) for c in word)


_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "other",
        (
            "责任单位",
            "牵头单位",
            "配合单位",
            "责任部门",
            "项目名称",
            "工程名称",
            "项目内容",
            "建设内容",
            "建设地点",
            "建设规模",
            "建设期限",
            "建设年限",
            "资金需求",
            "投资需求",
            "总投资",
            "投资额",
            "重点工程",
            "重点项目",
            "完成时限",
            "时间节点",
            "主要内容",
            "备注",
            "说明",
        ),
    ),
    ("name", ("指标名称", "二级指标", "三级指标", "具体指标", "主要指标", "指标内容", "指标")),
    ("category", ("一级指标", "类别", "分类", "领域", "类型", "维度", "方面", "板块")),
    ("seq", ("序号", "编号")),
    ("unit", ("计量单位", "单位")),
    ("attr", ("指标属性", "指标性质", "属性", "性质")),
    ("actual", ("实现情况", "完成情况", "实际完成值", "实际完成", "完成值", "实际值", "实现值", "实际")),
    ("planned", ("规划目标值", "规划目标", "规划值")),
    ("base", ("基期值", "基准值", "现状值", "基期", "基准", "现状", "基数")),
    ("target", ("目标值", "预期目标", "预期值", "目标")),
    ("other", ("项目", "名称", "内容", "投资", "资金", "金额", "时间", "进度", "地点", "规模", "任务")),
)
_QUALIFIERS = ("actual", "planned", "base", "target")
_YEAR = r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年?(?:底|末)?(?!\d)"
_TOKEN = re.compile(
    "|".join(
        [_YEAR]
        + [f"(?P<{role}{i}>{'|'.join(_spaced(w) for w in words)})" for i, (role, words) in enumerate(_WORDS)]
    )
)
_RESIDUE = re.compile(r"^[\s（）()\[\]、/|:：*%％]*$")
_BRACKETED = re.compile(r"[（(][^（）()]{0,8}[）)]")
_LONE_SEQ = re.compile(r"^[序号]$")


@dataclass(frozen=True)
class Column:
    """A column of a table: its role, its header text and, for a value column, its year."""

    role: str  # seq category name unit base target planned actual attr other
    label: str
    year: int | None = None


VALUE_ROLES = ("base", "target", "planned", "actual")


@dataclass(frozen=True)
class Header:
    columns: tuple[Column, ...]

    def has(self, role: str) -> bool:
        return any(c.role == role for c in self.columns)

    @property
    def values(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role in VALUE_ROLES)

    @property
    def indicator(self) -> bool:
        """A header of an indicator table: an 指标 column and value or 属性 columns."""
        return self.has("name") and (bool(self.values) or self.has("attr"))

    @property
    def review(self) -> bool:
        """规划目标 against 实现情况: the previous plan's indicators and what became of them."""
        return self.has("actual")

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.columns)


def _tokens(text: str) -> list[tuple[str, str, int | None, int, int]]:
    """(role, text, year, start, end) of each header word and year in ``text``."""
    out: list[tuple[str, str, int | None, int, int]] = []
    for m in _TOKEN.finditer(text):
        if m.group("year"):
            out.append(("year", m.group(0), int(m.group("year")), m.start(), m.end()))
            continue
        role = next(k for k, v in m.groupdict().items() if v is not None and k != "year")
        out.append((role.rstrip("0123456789"), m.group(0), None, m.start(), m.end()))
    return out


def is_header_line(text: str) -> bool:
    """A line made of header cells only (指标 2020 年 2025 年 属性; 序; 号; 重 点 项 目 …)."""
    t = text.strip()
    if not t or len(t) > 80:
        return False
    if _LONE_SEQ.match(t):
        return True
    rest, n = _TOKEN.subn(" ", t)
    if not n:
        return False
    rest = _BRACKETED.sub(" ", rest)
    return bool(_RESIDUE.match(rest))


def read_header(texts: Sequence[str]) -> Header:
    """The columns of a header given as one or more lines of header cells (or tab-separated cells).

    >>> h = read_header(["类别 指标 2020 年 2025 年 属性"])
    >>> [(c.role, c.year) for c in h.columns]
    [('category', None), ('name', None), ('base', 2020), ('target', 2025), ('attr', None)]
    >>> [(c.role, c.year) for c in read_header(["2023 年 2024 年 2025 年", "序号", "指标"]).values]
    [('target', 2023), ('target', 2024), ('target', 2025)]
    >>> [(c.role, c.year) for c in read_header(["指标 2015年 2020年规划目标 2020年实现情况 属性"]).values]
    [('base', 2015), ('planned', 2020), ('actual', 2020)]
    """
    cols: list[Column] = []
    seq_chars = ""
    for text in texts:
        t = text.strip()
        if _LONE_SEQ.match(t):
            seq_chars += t
            if seq_chars in ("序号", "号序"):
                cols.append(Column("seq", "序号"))
            continue
        toks = _tokens(t)
        k = 0
        while k < len(toks):
            role, label, year, start, end = toks[k]
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            close = nxt is not None and _RESIDUE.match(_BRACKETED.sub("", t[end : nxt[3]])) is not None
            if role == "year":
                qual = None
                if nxt is not None and nxt[0] in _QUALIFIERS and close:
                    qual, label, k = nxt[0], t[start : nxt[4]], k + 1
                cols.append(Column(qual or "value", re.sub(r"\s+", "", label), year))
            elif role in _QUALIFIERS:
                if nxt is not None and nxt[0] == "year" and close:
                    cols.append(Column(role, re.sub(r"\s+", "", t[start : nxt[4]]), nxt[2]))
                    k += 1
                else:
                    cols.append(Column(role, re.sub(r"\s+", "", label)))
            else:
                cols.append(Column(role, re.sub(r"\s+", "", label)))
            k += 1
    return Header(tuple(_resolve(cols)))


def _resolve(cols: list[Column]) -> list[Column]:
    """Roles of the year columns that the header does not qualify: one year is the target; of several the
    first is the base, unless the years run on year by year (2023 / 2024 / 2025: targets) or a base column
    is named; in a review table (实现情况) the unqualified years are the base."""
    unq = [i for i, c in enumerate(cols) if c.role == "value"]
    if not unq:
        return cols
    roles = {c.role for c in cols}
    years = [cols[i].year for i in unq]
    yearly = len(years) >= 3 and all(
        b is not None and a is not None and b - a == 1 for a, b in itertools.pairwise(years)
    )
    out = list(cols)
    for n, i in enumerate(unq):
        if "actual" in roles or "planned" in roles:
            role = "base"
        elif "base" in roles or yearly or len([c for c in cols if c.role in (*VALUE_ROLES, "value")]) == 1:
            role = "target"
        else:
            role = "base" if n == 0 else "target"
        out[i] = Column(role, cols[i].label, cols[i].year)
    return out


# -- captions and extents ------------------------------------------------------------------------------
_CAPTION = re.compile(
    r"(?:主要指标|指标体系|发展指标|目标指标|主要目标|预期目标|指标表|完成情况|评估表|一览表|需求表|情况表)\s*(?:表)?\s*$"
    r"|^(?:附\s*)?表\s*\d+|^附\s*表\s*\d*|^附\s*件\s*\d*\s*$"
)
_NOTE = re.compile(r"^(?:注|备注|说明)\s*\d?\s*[:：]")
_NOTE_ITEM = re.compile(r"^(?:\d{1,2}\s*[.．、]|[（(]\s*\d{1,2}\s*[）)]|[①-⑳])")
_STOP_MARKERS = ("pian", "zhang", "jie", "box", "cn", "paren_cn", "arabic", "paren_arabic")
_GENERIC_STOP = ("pian", "zhang", "jie", "box", "cn", "paren_cn")
_RUNNING = re.compile(r"[。，；！？]")


def is_caption(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= 40 and not t.endswith(("。", "；", "，")) and bool(_CAPTION.search(t))


def is_note(text: str) -> bool:
    return bool(_NOTE.match(text.strip()))


@dataclass
class Extent:
    """Where a table stands in a list of lines (indices into it)."""

    start: int
    end: int  # one past the table's last line (notes included)
    header: Header
    caption: list[int] = field(default_factory=list)
    header_lines: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    tabbed: bool = False

    @property
    def indicator(self) -> bool:
        return self.header.indicator

    def caption_text(self, lines: Sequence[TLine]) -> str | None:
        texts = [
            re.sub(r"(?<=[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff])", "", lines[i].text) for i in self.caption
        ]
        return " ".join(texts) or None


def _marker_type(text: str) -> str | None:
    found = find_marker(text)
    return found[0].type if found else None


def _header_at(lines: Sequence[TLine], start: int) -> tuple[list[int], Header] | None:
    """The header lines from ``start`` on: header-only lines, allowing up to two other lines in between
    while the header is not complete yet (text layers that put a row's name before the year cells)."""
    if start >= len(lines):
        return None
    first = lines[start].text
    if "\t" in first:
        cells = [c.strip() for c in first.split("\t") if c.strip()]
        h = read_header(cells)
        if len(h.columns) >= 2 and all(is_header_line(c) for c in cells):
            return [start], h
        return None
    found: list[int] = []
    skipped = 0
    j = start
    while j < len(lines) and j < start + 8:
        t = lines[j].text
        if is_header_line(t):
            found.append(j)
            skipped = 0
        elif not found:
            return None
        else:
            h = read_header([lines[i].text for i in found])
            if h.indicator and (h.values or not _is_lone_cell(t)):
                break
            skipped += 1
            if skipped > 2:
                break
        j += 1
    if not found:
        return None
    h = read_header([lines[i].text for i in found])
    return found, h


def _is_lone_cell(text: str) -> bool:
    return len(text.strip()) <= 16 and not _RUNNING.search(text)


def _generic_header(h: Header) -> bool:
    return len(h.columns) >= 2


def locate(lines: Sequence[TLine], *, generic: bool = True) -> list[Extent]:
    """Every table in ``lines``: an indicator table after a caption or at a header of its own; with
    ``generic``, also a captioned table of other content (表N, 附表, an investment table) and a run of
    tab-separated rows (HTML) that has a header row."""
    out: list[Extent] = []
    i = 0
    n = len(lines)
    while i < n:
        ext = _table_at(lines, i, generic)
        if ext is None:
            i += 1
            continue
        out.append(ext)
        i = max(ext.end, i + 1)
    return out


def _table_at(lines: Sequence[TLine], i: int, generic: bool) -> Extent | None:
    caption: list[int] = []
    j = i
    # a caption: 附件 2 / 附表 on a line of its own, then the title (which a PDF may print spaced apart)
    while j < len(lines) and j < i + 3 and is_caption(lines[j].text) and "\t" not in lines[j].text:
        caption.append(j)
        j += 1
        if not re.match(r"^附\s*[件表]\s*\d*\s*$", lines[j - 1].text.strip()):
            break
        title = lines[j].text.strip() if j < len(lines) else ""
        if title and _is_lone_cell(title) and (not is_header_line(title) or not re.search(r"\s", title)):
            caption.append(j)  # the title under 附件 N / 附表
            j += 1
            break
    if not caption and i > 0 and not _starts_table_here(lines, i):
        return None
    found = _header_at(lines, j)
    if found is None and caption and j < len(lines) and not is_header_line(lines[j].text):
        # 总计：… or a unit line between the caption and the header
        alt = _header_at(lines, j + 1)
        if alt is not None and not alt[1].indicator:
            found = alt
    if found is None:
        return None
    hdr_lines, header = found
    tabbed = "\t" in lines[hdr_lines[0]].text
    if header.indicator:
        if not caption and not tabbed and len(hdr_lines) == 1 and not header.values:
            return None
    elif not (generic and _generic_header(header) and (caption or tabbed)):
        return None
    start = caption[0] if caption else hdr_lines[0]
    ext = Extent(start, hdr_lines[-1] + 1, header, caption, hdr_lines, tabbed=tabbed)
    _extend(lines, ext)
    if header.indicator and not any(_has_value(lines[k].text) for k in ext.body):
        return None
    return ext


def _starts_table_here(lines: Sequence[TLine], i: int) -> bool:
    """Without a caption a table starts at a header line that does not follow another header line."""
    return is_header_line(lines[i].text) and not is_header_line(lines[i - 1].text)


def _has_value(text: str) -> bool:
    parts = [p for p in re.split(r"[\t ]+", text.strip()) if p]
    return any(is_value(p) or is_attribute(p) for p in parts[-4:])


def _extend(lines: Sequence[TLine], ext: Extent) -> None:
    """The body and notes: up to a heading, running text, the next table, or the end."""
    k = ext.header_lines[-1] + 1
    skipped_before = [
        x for x in range(ext.header_lines[0], ext.header_lines[-1]) if x not in ext.header_lines
    ]
    body: list[int] = list(skipped_before)
    stops = _STOP_MARKERS if ext.indicator else _GENERIC_STOP
    while k < len(lines):
        t = lines[k].text
        if is_note(t):
            ext.notes.append(k)
            k += 1
            while k < len(lines) and _note_goes_on(lines[k - 1].text, lines[k].text):
                ext.notes.append(k)
                k += 1
            break
        if _marker_type(t) in stops:
            break
        if k > ext.header_lines[-1] + 1 and (is_caption(t) and _header_at(lines, k + 1) is not None):
            break
        if ext.indicator and _RUNNING.search(t) and not _row_like(t):
            break
        body.append(k)
        k += 1
    ext.body = body
    last = max([ext.header_lines[-1], *body, *ext.notes])
    ext.end = last + 1


def _note_goes_on(prev: str, text: str) -> bool:
    return bool(_NOTE_ITEM.match(text.strip())) or not prev.rstrip().endswith(("。", "；", ";"))


def _row_like(text: str) -> bool:
    """A table line despite its comma: a name with values or 属性 at its end."""
    return _has_value(text) and not text.rstrip().endswith(("。", "，"))


# -- generic tables ------------------------------------------------------------------------------------
def _cells(text: str) -> tuple[str, ...]:
    if "\t" in text:
        parts = text.split("\t")
    elif re.search(r"\S\s{2,}\S", text):
        parts = re.split(r"\s{2,}", text)
    else:
        parts = [text]
    return tuple(p.strip() for p in parts if p.strip())


def _header_cells(text: str) -> list[str]:
    """Header cells: split at tabs or wide gaps, or at single spaces where the line has no others; the
    characters a PDF printed apart (重 点 项 目) joined again."""
    cells = list(_cells(text))
    if len(cells) == 1 and " " in cells[0]:
        cells = []
        for tok in text.split():
            if cells and len(tok) == 1 and len(cells[-1]) >= 1 and _SPREAD.match(cells[-1]):
                cells[-1] += tok
            else:
                cells.append(tok)
    return [re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", c) for c in cells]


_SPREAD = re.compile(r"^[\u4e00-\u9fff]{1,3}$")


def generic_table(lines: Sequence[TLine], ext: Extent) -> TableValues:
    """A table that holds no indicators, kept as it stands: caption, header cells, one row per line (cells
    split at tabs or wide gaps), notes."""
    header = tuple(c for i in ext.header_lines for c in _header_cells(lines[i].text))
    rows = tuple(_cells(lines[k].text) for k in ext.body)
    notes = " ".join(lines[k].text for k in ext.notes) or None
    return TableValues(caption=ext.caption_text(lines), header=header, rows=rows, note=notes)


# -- splitting blocks at tables ------------------------------------------------------------------------
def _rest_blocks(block: Block, run: list[TLine]) -> list[Block]:
    """Lines of a block outside any table, as blocks: a line that starts with a numbering marker starts a
    block, and a short heading line (no sentence in it) stands alone."""
    out: list[Block] = []
    groups: list[list[TLine]] = []
    for ln in run:
        heading_before = bool(groups) and _heading_line(groups[-1][-1].text) and len(groups[-1]) == 1
        if not groups or find_marker(ln.text) is not None or heading_before:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    for g in groups:
        out.append(sub_block(block, g[0].start, g[-1].end, g[0].line, g[-1].line, marker=True))
    return out


def _heading_line(text: str) -> bool:
    return find_marker(text) is not None and not _RUNNING.search(text.rstrip("。")) and len(text) <= 40


def rest_blocks(blocks: Sequence[Block], lines: Sequence[TLine], keep: Sequence[int]) -> list[Block]:
    """The lines ``keep`` (indices into ``lines``) as blocks, one per run of adjacent lines of one block."""
    out: list[Block] = []
    run: list[TLine] = []
    prev: int | None = None
    for k in keep:
        ln = lines[k]
        if run and (prev is None or k != prev + 1 or ln.block != run[-1].block):
            out.extend(_rest_blocks(blocks[run[0].block], run))
            run = []
        run.append(ln)
        prev = k
    if run:
        out.extend(_rest_blocks(blocks[run[0].block], run))
    return out
