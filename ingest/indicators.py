"""Indicator tables (主要指标, 表1 …主要目标, 附件 tables, review tables) read into Indicator drafts.

:mod:`ingest.tables` finds the tables and reads their headers; here each row becomes an Indicator with
category, unit (from the name's brackets or a 单位 column), the value of every value column with its year
(base, one or several targets, or 规划目标 / 实现情况 in a review table), and 属性 (预期性 / 约束性). Values
are kept as written (零发生, 下降30%以上, ≥50), with a number only where they hold one; a value marked * takes
the year the note gives (带*的为 2019 年数据), one in 〔〕 is cumulative when the note says so.

The genre prints a table in several forms, all read here:

- ``lines``: rows flattened into lines (text from PDF): a row's values and 属性 end its last line, its name
  may wrap over the lines before, a category and a row number stand on lines of their own;
- ``rows``: one row per line, cells separated by tabs (HTML ``<table>``; a category cell spanning rows is
  given once) or by wide gaps;
- ``layout``: cells separated by tabs or wide gaps, a row's values on the middle line of its wrapped name
  and group names in a left column, centred on their rows (PDF text laid out by position);
- ``cells``: one cell per line, the columns read in any order (some PDF text layers): the values and the
  names are paired in order, names rebuilt from their pieces, group names spelt one character per line.

A table that is not an indicator table is kept as a Table draft (rows in
:class:`~ingest.models.TableValues`). Where the parser is unsure it says so, with the line: W401 (header
without years), W402 (row without a name), W403 (row number out of sequence), W404 (table text in no row),
W405 (a number or value in no row, e.g. a page number).
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from plangraph.ingest.drafts import Draft, Piece
from plangraph.ingest.models import IndicatorValues, Kind, ParseWarning, TableValues
from plangraph.ingest.segment import Block
from plangraph.ingest.tables import (
    VALUE,
    VALUE_ROLES,
    Extent,
    Header,
    LineOf,
    TLine,
    clean_value,
    generic_table,
    is_attribute,
    is_value,
    lines_of,
    locate,
    number_of,
    rest_blocks,
    sub_block,
)

__all__ = ["TableResult", "find_tables", "parse_table", "split_tables", "take_tables"]

_BARE_NUMBER = re.compile(r"^\d{1,2}$")
_LEADING_NUMBER = re.compile(r"^(\d{1,2})\s+(?=\S)")
_UNIT = re.compile(r"\s*[（(]([^（）()、，,]{1,8})[）)]\s*$")
_NOT_UNIT = re.compile(r"^(?:含|不含|包括|其中|按|以|全国|省)")
_STAR_YEAR = re.compile(r"\*\s*(?:号)?的?(?:数据)?为\s*(\d{4})\s*年")
_CUMULATIVE_NOTE = re.compile(r"[〔\[［【]\s*[〕\]］】]\s*内为.{0,8}累计")
_CJK = r"[\u4e00-\u9fff]"
_LABEL = re.compile(rf"^({_CJK}{{2,6}}) ({_CJK}.{{2,}})$")
_SPACED_CJK = re.compile(rf"{_CJK} {_CJK}")
_WIDE_GAP = re.compile(r"\S\s{2,}\S")
_UNIT_CELL = rf"(?:[%％‰]|{_CJK}{{1,3}}(?:/{_CJK}{{1,2}})?|[A-Za-z]{{1,6}}|{_CJK}{{0,2}}[%％])"
_UNIT_CELL_RE = re.compile(rf"^{_UNIT_CELL}$")
_OPENERS, _CLOSERS = "（(《“「【〔[", "）)》”」】〕]"


@dataclass
class TableResult:
    indicators: list[Draft] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    tables: list[Draft] = field(default_factory=list)  # Table drafts (tables that hold no indicators)
    table_values: list[TableValues] = field(default_factory=list)  # the rows of each Table draft
    drafts: list[Draft] = field(default_factory=list)  # indicators and tables, in document order
    rest: list[Block] = field(default_factory=list)  # text of the blocks that is in no table


@dataclass
class _Row:
    lines: list[TLine]
    name: str
    values: list[str | None]
    attr: str | None = None
    number: int | None = None
    category: str | None = None  # None: the category of the row before
    unit: str | None = None


@dataclass
class _Read:
    """One table read: its drafts and the lines it covers (indices into the lines)."""

    ext: Extent
    drafts: list[Draft]
    covered: set[int]
    table: TableValues | None = None


# -- entry points --------------------------------------------------------------------------------------
def find_tables(blocks: list[Block]) -> list[tuple[int, int]]:
    """(start, end) block ranges of the indicator tables (caption … notes). A range is given only where
    its blocks hold nothing but the table (and page numbers), as the caller drops the blocks of a range;
    :func:`take_tables` handles every table, also one that shares a block with running text."""
    lines = lines_of(blocks)
    out: list[tuple[int, int]] = []
    for read in _read_all(blocks, lines, [], generic=False):
        touched = {lines[k].block for k in read.covered}
        start, end = min(touched), max(touched) + 1
        outside = [ln for k, ln in enumerate(lines) if start <= ln.block < end and k not in read.covered]
        if not all(_BARE_NUMBER.match(ln.text) for ln in outside):
            continue
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def parse_table(blocks: list[Block], line_of: LineOf | None = None) -> TableResult:
    """The tables in ``blocks`` (a range from :func:`find_tables`, or any blocks): Indicator drafts for an
    indicator table, a Table draft for any other, and the text outside the tables as blocks (``rest``)."""
    lines = lines_of(blocks, line_of)
    res = TableResult()
    covered: set[int] = set()
    for read in _read_all(blocks, lines, res.warnings, generic=True):
        covered |= read.covered
        if read.table is None:
            res.indicators.extend(read.drafts)
        else:
            res.tables.extend(read.drafts)
            res.table_values.append(read.table)
        res.drafts.extend(read.drafts)
    res.rest = rest_blocks(blocks, lines, [k for k in range(len(lines)) if k not in covered])
    return res


_C = TypeVar("_C")


def take_tables(
    content: Sequence[Block | _C], line_of: LineOf | None = None
) -> tuple[list[Draft], list[Block | _C], list[ParseWarning]]:
    """Take every table out of a container's content (its blocks and other items, e.g. outline nodes):
    the Indicator and Table drafts in document order, the content without the tables (text that shared a
    block with a table given back in its place as blocks of its own), and the warnings."""
    blocks = [c for c in content if isinstance(c, Block)]
    lines = lines_of(blocks, line_of)
    warnings: list[ParseWarning] = []
    reads = _read_all(blocks, lines, warnings, generic=True)
    if not reads:
        return [], list(content), []
    covered: set[int] = set().union(*(r.covered for r in reads))
    touched = {lines[k].block for k in covered}
    replace = {
        bi: rest_blocks(
            blocks, lines, [k for k, ln in enumerate(lines) if ln.block == bi and k not in covered]
        )
        for bi in touched
    }
    out: list[Block | _C] = []
    n = 0
    for c in content:
        if isinstance(c, Block):
            out.extend(replace.get(n, [c]))
            n += 1
        else:
            out.append(c)
    return [d for r in reads for d in r.drafts], out, warnings


def split_tables(blocks: list[Block], line_of: LineOf | None = None) -> list[Block]:
    """The blocks with every table cut out into blocks of one table line each (without a numbering
    marker, so no table line becomes a heading), and the text before and after a table in the same block
    given back as blocks of its own (a heading that follows the table on a line of its own). Blocks that
    hold no table are returned as they are. Meant for between segment and structure:
    ``structure(split_tables(segment(norm), norm.line_of))``."""
    lines = lines_of(blocks, line_of)
    reads = _read_all(blocks, lines, [], generic=True)
    if not reads:
        return blocks
    covered: set[int] = set().union(*(r.covered for r in reads))
    by_block: dict[int, list[int]] = {}
    for k, ln in enumerate(lines):
        by_block.setdefault(ln.block, []).append(k)
    out: list[Block] = []
    for bi, block in enumerate(blocks):
        ks = by_block.get(bi, [])
        if not any(k in covered for k in ks):
            out.append(block)
            continue
        run: list[int] = []
        for k in ks:
            if k in covered:
                if run:
                    out.extend(rest_blocks(blocks, lines, run))
                    run = []
                ln = lines[k]
                line = sub_block(block, ln.start, ln.end, ln.line, ln.line, marker=False)
                out.append(dataclasses.replace(line, table_line=True))
            else:
                run.append(k)
        if run:
            out.extend(rest_blocks(blocks, lines, run))
    return out


# -- reading ---------------------------------------------------------------------------------------------
def _read_all(
    blocks: Sequence[Block], lines: Sequence[TLine], warnings: list[ParseWarning], *, generic: bool
) -> list[_Read]:
    out: list[_Read] = []
    for ext in locate(lines, generic=generic):
        if ext.indicator:
            out.append(_read_indicators(blocks, lines, ext, warnings))
        else:
            values = generic_table(lines, ext)
            draft = _table_draft(blocks, lines, ext, values)
            out.append(_Read(ext, [draft], set(range(ext.start, ext.end)), values))
    return out


def _read_indicators(
    blocks: Sequence[Block], lines: Sequence[TLine], ext: Extent, warnings: list[ParseWarning]
) -> _Read:
    header = ext.header
    header_line = lines[ext.header_lines[0]].line
    if not any(c.year for c in header.values):
        warnings.append(
            ParseWarning(code="W401", message="indicator table header names no years", line=header_line)
        )
    elif not any(c.role in ("target", "planned") and c.year for c in header.values):
        warnings.append(
            ParseWarning(code="W401", message="indicator table header names no target year", line=header_line)
        )
    body = [lines[k] for k in ext.body]
    form = table_form(body, header)
    ignored: list[TLine] = []
    if form == "cells":
        rows = _cell_rows(body, header, warnings)
    elif form == "layout":
        rows = _layout_rows(body, header)
    elif form == "rows":
        rows = _tab_rows(body, header, warnings)
    else:
        rows = _line_rows(body, header, warnings, ignored)
    index = {id(ln): k for k, ln in enumerate(lines)}  # the rows hold these very lines
    used = {index[id(ln)] for row in rows for ln in row.lines} | {index[id(ln)] for ln in ignored}
    last = max(used, default=ext.header_lines[-1])
    unread = [k for k in ext.body if k not in used and (k < last or ext.notes)]
    for k in unread:
        warnings.append(
            ParseWarning(
                code="W404",
                message=f"indicator table text in no row, kept in the text: {lines[k].text[:30]!r}",
                line=lines[k].line,
            )
        )
    covered = set(range(ext.start, last + 1)) | set(ext.notes)
    if ext.notes:
        covered |= set(range(ext.start, ext.end))
    covered -= set(unread)
    notes = " ".join(lines[k].text for k in ext.notes)
    return _Read(ext, _drafts(blocks, rows, header, notes, warnings), covered)


def table_form(body: Sequence[TLine], header: Header) -> str:
    """How the table is printed: ``cells`` (one cell per line), ``rows`` (a row per line in cells),
    ``layout`` (cells, a row's name wrapped around its values) or ``lines`` (rows flattened into lines)."""
    lone = value_lines = in_cells = value_only = names_between = 0
    seen_value = False
    for ln in body:
        t = ln.text.strip()
        if is_value(t) or is_attribute(t):
            lone += 1
            continue
        cells = _line_cells(t)
        tail = _value_tail(cells, header) if cells else None
        if tail is not None:
            value_lines += 1
            in_cells += 1
            value_only += not tail[0]
            seen_value = True
        elif _row_match(_row_pattern(header), t, header) is not None:
            value_lines += 1
            seen_value = True
        elif seen_value and not _is_category(t) and not _BARE_NUMBER.match(t):
            names_between += 1
    if lone > value_lines:
        return "cells"
    if in_cells * 2 > value_lines:
        return "layout" if value_only or names_between else "rows"
    return "lines"


# -- drafts ----------------------------------------------------------------------------------------------
def _pieces(
    blocks: Sequence[Block], lns: Sequence[TLine]
) -> tuple[list[Block], list[Piece], tuple[int, int]]:
    used: list[Block] = []
    spans: list[tuple[int, int, int]] = []  # block, start, end: adjacent lines of a block as one piece
    for ln in sorted(set(lns), key=lambda x: (x.block, x.start)):
        b = blocks[ln.block]
        if not any(u is b for u in used):
            used.append(b)
        if spans and spans[-1][0] == ln.block and not b.text[spans[-1][2] : ln.start].strip():
            spans[-1] = (ln.block, spans[-1][1], ln.end)
        else:
            spans.append((ln.block, ln.start, ln.end))
    pieces = [Piece.of(blocks[bi], s, e) for bi, s, e in spans]
    start = min(p.offsets[0] for p in pieces)
    end = max(p.offsets[-1] for p in pieces)
    return used, pieces, (start, end)


def _table_draft(blocks: Sequence[Block], lines: Sequence[TLine], ext: Extent, values: TableValues) -> Draft:
    used, pieces, span = _pieces(blocks, [lines[k] for k in range(ext.start, ext.end)])
    title = values.caption or " ".join(values.header) or "表"
    d = Draft(Kind.TABLE, title, blocks=used, span_override=span)
    d.pieces.extend(pieces)
    if "table" in {f.name for f in dataclasses.fields(d)}:
        setattr(d, "table", values)  # noqa: B010 (the Table's rows, where drafts carry them)
    return d


def _drafts(
    blocks: Sequence[Block], rows: list[_Row], header: Header, notes: str, warnings: list[ParseWarning]
) -> list[Draft]:
    star = _STAR_YEAR.search(notes)
    star_year = int(star.group(1)) if star else None
    cumulative_note = bool(_CUMULATIVE_NOTE.search(notes))
    out: list[Draft] = []
    category: str | None = None
    expected = 1
    for row in rows:
        if row.category:
            category = row.category
        name = _tidy(row.name)
        where = min(ln.line for ln in row.lines) if row.lines else None
        if not name:
            warnings.append(ParseWarning(code="W402", message="indicator row without a name", line=where))
            continue
        if row.number is not None and row.number != expected:
            warnings.append(
                ParseWarning(
                    code="W403",
                    message=f"indicator row numbered {row.number}, expected {expected}",
                    line=where,
                )
            )
        if row.number is not None:
            expected = row.number + 1
        unit = row.unit
        title = name
        unit_m = _UNIT.search(name)
        if unit_m and not _NOT_UNIT.match(unit_m.group(1).strip()) and unit_m.start() > 0:
            title = name[: unit_m.start()].strip()
            unit = unit or unit_m.group(1).strip()
        values = _values(row, header, star_year, cumulative_note, category, unit)
        used, pieces, span = _pieces(blocks, row.lines)
        d = Draft(
            Kind.INDICATOR,
            title,
            blocks=used,
            ordinal=row.number,
            indicator=values,
            span_override=span,
        )
        d.pieces.extend(pieces)
        out.append(d)
    return out


def _values(
    row: _Row,
    header: Header,
    star_year: int | None,
    cumulative_note: bool,
    category: str | None,
    unit: str | None,
) -> IndicatorValues:
    base: tuple[str, int | None] | None = None
    targets: list[tuple[str, int | None]] = []
    actual: tuple[str, int | None] | None = None
    for col, raw in zip(header.values, row.values, strict=False):
        if raw is None:
            continue
        if col.role == "base":
            base = (raw, col.year)
        elif col.role in ("target", "planned"):
            targets.append((raw, col.year))
        elif col.role == "actual":
            actual = (raw, col.year)
    target = targets[-1] if targets else None
    starred = base is not None and "*" in base[0] and star_year is not None
    return IndicatorValues(
        category=category,
        unit=unit,
        baseline_value=clean_value(base[0]) if base else None,
        baseline_year=(star_year if starred else base[1]) if base else None,
        target_value=clean_value(target[0]) if target else None,
        target_year=target[1] if target else None,
        attribute=row.attr,
        baseline_number=number_of(base[0]) if base else None,
        target_number=number_of(target[0]) if target else None,
        cumulative=bool(cumulative_note and target and any(c in target[0] for c in "〔[［【")),
        note=f"带*的为 {star_year} 年数据" if starred else None,
        targets=tuple((y, clean_value(v)) for v, y in targets if y is not None) if len(targets) > 1 else (),
        actual_value=clean_value(actual[0]) if actual else None,
        actual_year=actual[1] if actual else None,
        actual_number=number_of(actual[0]) if actual else None,
    )


def _tidy(name: str) -> str:
    """A name rebuilt from its lines: the spaces a PDF put between two Chinese characters removed."""
    name = re.sub(r"\s+", " ", name).strip()
    return re.sub(rf"(?<={_CJK}) (?={_CJK}|[（(）)])|(?<=[（(）)]) (?={_CJK})", "", name)


def _join(parts: Sequence[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if out and out[-1].isascii() and out[-1].isalnum() and p[:1].isascii() and p[:1].isalnum():
            out += " "
        out += p
    return out


def _balance(text: str) -> int:
    return sum(text.count(c) for c in _OPENERS) - sum(text.count(c) for c in _CLOSERS)


def _is_category(text: str) -> bool:
    return len(text) <= 8 and not any(c in text for c in "（()%％、，") and not is_value(text)


def _split_label(text: str) -> tuple[str | None, str]:
    """``革命文物 革命文物保护利用示范项目``: a group name in the left column, one space before the name
    (not where a PDF spread the name's own characters apart)."""
    m = _LABEL.match(text)
    if m is None or _SPACED_CJK.search(m.group(2)) or _UNIT.fullmatch(m.group(2)) or is_value(m.group(2)):
        return None, text
    return m.group(1), m.group(2)


# -- values at the end of a line --------------------------------------------------------------------------
def _row_pattern(header: Header) -> re.Pattern[str]:
    k = len(header.values)
    vals = "".join((r"\s+" if i else "") + rf"(?P<v{i}>{VALUE})" for i in range(k))
    lead = r"(?:\s+|^|(?<=[^\s\d.])(?=[\d≥≤><＞＜〔\[［【]))"
    unit = rf"(?:\s+(?P<unit>{_UNIT_CELL}))?" if header.has("unit") else ""
    attr = r"\s*(?P<attr>预期性|约束性)" if header.has("attr") else ""
    if k == 0:
        return re.compile(rf"^(?P<pre>.*?){attr}\s*$")
    return re.compile(rf"^(?P<pre>.*?){unit}{lead}{vals}{attr}\s*$")


def _row_match(pattern: re.Pattern[str], text: str, header: Header) -> re.Match[str] | None:
    m = pattern.match(text)
    if m is None:
        return None
    if not header.has("attr") and len(header.values) == 1:
        pre = m.group("pre").strip()
        if pre and not pre.endswith(("）", ")")) and not re.search(r"\s$", text[: m.start("v0")]):
            return None  # one value and no 属性: a number at the end of a name is not enough
    return m


def _line_cells(text: str) -> list[str] | None:
    """The cells of a line printed in cells (tab-separated, or apart by wide gaps); None for a flat line."""
    if "\t" in text:
        return [c.strip() for c in text.split("\t") if c.strip()]
    if _WIDE_GAP.search(text):
        return [c.strip() for c in re.split(r"\s{2,}", text) if c.strip()]
    return None


def _value_tail(
    cells: list[str], header: Header
) -> tuple[list[str], list[str | None], str | None, str | None] | None:
    """(cells before the values, the values, 属性, unit) where the line's last cells are a row's values."""
    cells = list(cells)
    attr = None
    if header.has("attr"):
        if not cells or not is_attribute(cells[-1]):
            return None
        attr = cells.pop()
    k = len(header.values)
    values: list[str] = []
    while cells and len(values) < k:
        parts = cells[-1].split()
        if is_value(cells[-1]):
            values.insert(0, cells.pop())
        elif len(parts) > 1 and all(is_value(p) for p in parts) and len(values) + len(parts) <= k:
            values[:0] = parts
            cells.pop()
        else:
            break
    if len(values) < k or (k == 0 and attr is None):
        return None
    unit = None
    if header.has("unit") and cells and _UNIT_CELL_RE.match(cells[-1]) and len(cells) > 1:
        unit = cells.pop()
    return cells, list(values), attr, unit


# -- rows flattened into lines ----------------------------------------------------------------------------
def _numbered(body: Sequence[TLine], header: Header) -> bool:
    """Rows carry numbers: a 序号 column, or lone numbers that start at 1."""
    if header.has("seq"):
        return True
    first = next((ln.text.strip() for ln in body if _BARE_NUMBER.match(ln.text.strip())), None)
    return first == "1"


def _line_rows(
    body: Sequence[TLine], header: Header, warnings: list[ParseWarning], ignored: list[TLine]
) -> list[_Row]:
    pattern = _row_pattern(header)
    numbered = _numbered(body, header)
    rows: list[_Row] = []
    pending: list[TLine] = []
    number: int | None = None
    for ln in body:
        text = ln.text.strip()
        if _BARE_NUMBER.match(text):
            if numbered:
                number = int(text)
                pending.append(ln)
            else:
                _stray(warnings, ln, f"number {text} in a table without row numbers (a page number?)")
                ignored.append(ln)
            continue
        m = _row_match(pattern, text, header)
        if m is None:
            pending.append(ln)
            continue
        pre = m.group("pre").strip()
        lead = _LEADING_NUMBER.match(pre) if numbered else None
        if lead:
            number = int(lead.group(1))
            pre = pre[lead.end() :]
        texts = [p.text.strip() for p in pending if not _BARE_NUMBER.match(p.text.strip())]
        if texts and numbered and number is None and (first := _LEADING_NUMBER.match(texts[0])):
            number, texts[0] = int(first.group(1)), texts[0][first.end() :]  # 2 公共数据… / （万个） …
        if pre:
            texts.append(pre)
        category, name = _category_and_name(texts)
        values: list[str | None] = [m.group(f"v{i}") for i in range(len(header.values))]
        unit = m.groupdict().get("unit")
        rows.append(
            _Row([*pending, ln], name, values, m.groupdict().get("attr"), number, category, unit or None)
        )
        pending = []
        number = None
    return rows


def _category_and_name(texts: list[str]) -> tuple[str | None, str]:
    """Leading short lines are the category (总体发展 / 水平), the rest the name's wrapped lines."""
    k = 0
    while (
        k < len(texts) - 1
        and _is_category(texts[k])
        and not (k == len(texts) - 2 and _UNIT.fullmatch(texts[-1]))
    ):
        k += 1  # (重特大事故 / （起）: a name whose unit wrapped is not a category)
    category = "".join(texts[:k]) or None
    rest = texts[k:]
    if rest:
        label, first = _split_label(rest[0])
        if label is not None:
            category, rest = (category or "") + label, [first, *rest[1:]]
    return category, _join(rest)


def _stray(warnings: list[ParseWarning], ln: TLine, message: str, code: str = "W405") -> None:
    warnings.append(ParseWarning(code=code, message=message, line=ln.line))


# -- a row per line, in cells ------------------------------------------------------------------------------
def _tab_rows(body: Sequence[TLine], header: Header, warnings: list[ParseWarning]) -> list[_Row]:
    roles = [c.role for c in header.columns]
    name_at = roles.index("name") if "name" in roles else 0
    right = roles[name_at + 1 :]
    rows: list[_Row] = []
    group: str | None = None
    group_lines: list[TLine] = []
    centres: list[tuple[float, str]] = []  # where each group name stands, in rows (PDF: centred)
    lone = False
    for ln in body:
        cells = _line_cells(ln.text) or [ln.text.strip()]
        if len(cells) < len(right) + 1:
            if not any(is_value(c) or is_attribute(c) for c in cells):
                group = " ".join(c for c in cells if not _BARE_NUMBER.match(c)) or group  # a group row
                group_lines.append(ln)
                if group:
                    centres.append((len(rows) - 0.5, group))
                    lone = True
                continue
            _stray(warnings, ln, f"indicator row with too few cells: {ln.text[:30]!r}", code="W404")
            continue
        tail = cells[len(cells) - len(right) :] if right else []
        head = cells[: len(cells) - len(right)] if right else cells
        got: dict[str, str | None] = {"unit": None, "attr": None}
        values: list[str | None] = []
        for role, cell in zip(right, tail, strict=True):
            if role in VALUE_ROLES:
                values.append(cell or None)
            elif role in got:
                got[role] = cell
        nums = [c for c in head if _BARE_NUMBER.match(c)]
        rest = [c for c in head if not _BARE_NUMBER.match(c)]
        name = rest[-1] if rest else ""
        category = " ".join(rest[:-1]) or group
        if rest[:-1]:
            centres.append((len(rows), " ".join(rest[:-1])))
        group = None
        attr = got["attr"] if got["attr"] and is_attribute(got["attr"]) else None
        rows.append(
            _Row(
                [*group_lines, ln], name, values, attr, int(nums[0]) if nums else None, category, got["unit"]
            )
        )
        group_lines = []
    if lone:  # a group name on a line of its own sits at the middle of its rows (a PDF of a rowspan)
        _centred_categories(rows, centres)
    return rows


def _centred_categories(rows: list[_Row], centres: list[tuple[float, str]]) -> None:
    """Give each row the group whose name is centred on it: a group starting at row s with its name at
    row c ends at row 2c - s. Left as read where the names do not partition the rows that way."""
    spans: list[tuple[int, int, str]] = []
    start = 0
    for c, label in centres:
        end = round(2 * c - start)
        if end < start or end >= len(rows):
            return
        spans.append((start, end, label))
        start = end + 1
    if start != len(rows):
        return
    for a, b, label in spans:
        for r in range(a, b + 1):
            rows[r].category = label


# -- layout: a row's values on the middle line of its wrapped name ------------------------------------------
@dataclass
class _LLine:
    label: str | None
    frag: str
    tail: tuple[list[str | None], str | None, str | None] | None  # values, 属性, unit


def _layout_rows(body: Sequence[TLine], header: Header) -> list[_Row]:
    """Each gap between two value lines is cut between the row above (whose name goes on after its values)
    and the row below, so that a row has about as many lines before its value line as after it; a group
    name in the left column is centred on its rows."""
    indents = [ln.indent for ln in body if ln.indent is not None]
    name_indent = statistics.median(indents) if indents else None
    items: list[_LLine] = []
    for ln in body:
        t = ln.text.strip()
        cells = _line_cells(t) or [t]
        vt = _value_tail(cells, header)
        left = vt[0] if vt is not None else cells
        label: str | None = None
        frag = " ".join(left)
        if len(left) >= 2:
            label, frag = left[0], " ".join(left[1:])
        elif left and "\t" not in t:
            label, frag = _split_label(left[0])
        prev = items[-1].frag if items else ""
        at_margin = ln.indent is not None and name_indent is not None and ln.indent + 3 < name_indent
        unknown = ln.indent is None or name_indent is None
        if (
            label is None
            and frag
            and _is_category(frag)
            and (at_margin or (vt is None and unknown and not _continues(prev, frag)))
        ):
            label, frag = frag, ""  # a group name in the left column
        items.append(_LLine(label, frag, (vt[1], vt[2], vt[3]) if vt is not None else None))
    anchors = [i for i, it in enumerate(items) if it.tail is not None]
    if not anchors:
        return []
    names: list[list[int]] = [[] for _ in anchors]
    before = [i for i in range(anchors[0]) if items[i].frag]
    names[0].extend(before)
    n_before = len(before)
    for r in range(len(anchors) - 1):
        gap = [i for i in range(anchors[r] + 1, anchors[r + 1]) if items[i].frag]
        own = [*names[r], anchors[r]]
        last_text = next((items[i].frag for i in reversed(own) if items[i].frag), "")
        nxt_text = items[anchors[r + 1]].frag

        def cost(
            s: int,
            gap: list[int] = gap,
            last_text: str = last_text,
            nxt_text: str = nxt_text,
            nb: int = n_before,
        ) -> float:
            a = items[gap[s - 1]].frag if s > 0 else last_text
            b = items[gap[s]].frag if s < len(gap) else nxt_text
            c = abs(s - nb) * 1.5
            if a and b:
                c += _break_cost(a, b, 99)
            return c

        best = min(range(len(gap) + 1), key=lambda s: (cost(s), s))
        names[r].extend(gap[:best])
        names[r + 1].extend(gap[best:])
        n_before = len(gap) - best
    # after the last value line: as many lines as the row had before it, and any that go on
    own = [*names[-1], anchors[-1]]
    for n, i in enumerate(i for i in range(anchors[-1] + 1, len(items)) if items[i].frag):
        last_text = next((items[j].frag for j in reversed(own) if items[j].frag), "")
        if n >= n_before and not _continues(last_text, items[i].frag):
            break
        names[-1].append(i)
        own.append(i)
    rows: list[_Row] = []
    starts: list[int] = []
    for r, a in enumerate(anchors):
        idx = sorted({*names[r], a})
        starts.append(idx[0])
        lt = items[a].tail
        assert lt is not None
        values, attr, unit = lt
        rows.append(
            _Row(
                [body[i] for i in idx],
                _join([items[i].frag for i in idx if items[i].frag]),
                values,
                attr,
                None,
                None,
                unit,
            )
        )
    _layout_categories(items, body, rows, starts)
    return rows


def _layout_categories(
    items: list[_LLine], body: Sequence[TLine], rows: list[_Row], starts: list[int]
) -> None:
    """A group name stands at the middle of its rows: the group that starts at line s with its name at
    line p ends at line 2p - s; each row whose first line is within belongs to it."""
    labels = [(i, it.label) for i, it in enumerate(items) if it.label]
    r = 0
    for n, (p, label) in enumerate(labels):
        if r >= len(rows):
            break
        s = starts[r]
        nxt = labels[n + 1][0] if n + 1 < len(labels) else None
        # the next group starts at the first row after the line this group's centre puts its end at
        # (2p - s), but after this label's line and not after the next label's
        later = [st for st in starts[r + 1 :] if st > p]
        if nxt is None:
            stop = len(items)
        else:
            stop = next((st for st in later if st > 2 * p - s), len(items))
            if stop > nxt:
                stop = max((st for st in later if st <= nxt), default=stop)
        rows[r].category = label
        if not any(body[p] in row.lines for row in rows):
            rows[r].lines.append(body[p])
        r += 1
        while r < len(rows) and starts[r] < stop:
            r += 1


def _continues(a: str, b: str) -> bool:
    return bool(a) and (_balance(a) > 0 or a.endswith(("、", "和", "及", "与", "的")) or _balance(b) < 0)


# -- one cell per line ------------------------------------------------------------------------------------
@dataclass
class _Tok:
    kind: str  # value attr num char label frag
    text: str
    line: TLine


def _cell_tokens(body: Sequence[TLine], header: Header) -> list[_Tok]:
    toks: list[_Tok] = []
    numbered = header.has("seq")  # (a lone 1 may be a value here)
    expected = 1
    pending_values = 0
    k = max(1, len(header.values))
    for ln in body:
        t = ln.text.strip()
        parts = t.split()
        if is_attribute(t):
            toks.append(_Tok("attr", t, ln))
            pending_values = 0
        elif numbered and _BARE_NUMBER.match(t) and int(t) == expected and pending_values % k == 0:
            toks.append(_Tok("num", t, ln))
            expected += 1
        elif is_value(t):
            toks.append(_Tok("value", t, ln))
            pending_values += 1
        elif len(parts) > 1 and all(is_value(p) for p in parts):
            for p in parts:
                toks.append(_Tok("value", p, ln))
                pending_values += 1
        elif re.fullmatch(_CJK, t):
            toks.append(_Tok("char", t, ln))
        else:
            label, rest = _split_label(t)
            if label is not None:
                toks.append(_Tok("label", label, ln))
            toks.append(_Tok("frag", rest, ln))
    return toks


def _cell_rows(body: Sequence[TLine], header: Header, warnings: list[ParseWarning]) -> list[_Row]:
    """Values and names paired in order: the i-th group of values (closed by 属性, or every k values)
    belongs to the i-th name; the names are rebuilt from their pieces, cut where a piece best ends a name."""
    toks = _cell_tokens(body, header)
    k = len(header.values)
    has_attr = header.has("attr")
    groups: list[tuple[list[_Tok], str | None, int]] = []  # values, 属性, index of the group's last token
    attr_lines: list[TLine | None] = []
    cur: list[_Tok] = []
    for i, t in enumerate(toks):
        if t.kind == "value":
            cur.append(t)
            if not has_attr and len(cur) == k:
                groups.append((cur, None, i))
                attr_lines.append(None)
                cur = []
        elif t.kind == "attr":
            if len(cur) > k:
                for extra in cur[: len(cur) - k]:
                    _stray(warnings, extra.line, f"value {extra.text!r} in no row (a page number?)")
                cur = cur[len(cur) - k :]
            groups.append((cur, t.text, i))
            attr_lines.append(t.line)
            cur = []
    for extra in cur:
        _stray(warnings, extra.line, f"value {extra.text!r} in no row (a page number?)")
    frags = [(i, t) for i, t in enumerate(toks) if t.kind == "frag"]
    counts = _split_names([t.text for _, t in frags], len(groups))
    owner = [r for r, c in enumerate(counts) for _ in range(c)]
    numbered = any(t.kind == "num" for t in toks)
    rows: list[_Row] = []
    for r, (vals, attr, _) in enumerate(groups):
        parts = [t for (_, t), o in zip(frags, owner, strict=False) if o == r]
        values: list[str | None] = [t.text for t in vals] + [None] * (k - len(vals))
        attr_line = attr_lines[r]
        rows.append(
            _Row(
                [t.line for t in vals] + [t.line for t in parts] + ([attr_line] if attr_line else []),
                _join([t.text for t in parts]),
                values,
                attr,
                r + 1 if numbered else None,
            )
        )
    for t in toks:
        if t.kind == "num" and 1 <= int(t.text) <= len(rows):
            rows[int(t.text) - 1].lines.append(t.line)
    _cell_categories(toks, groups, frags, owner, rows)
    return rows


def _split_names(frags: list[str], n: int) -> list[int]:
    """How many pieces each of ``n`` names takes: cut at the ``n - 1`` gaps that best end a name."""
    if n <= 0:
        return []
    m = len(frags)
    if m <= n:
        return [1] * m + [0] * (n - m)
    width = max(len(f) for f in frags)
    costs = sorted((_break_cost(frags[g], frags[g + 1], width), g) for g in range(m - 1))
    cuts = sorted(g for _, g in costs[: n - 1])
    out: list[int] = []
    prev = -1
    for g in cuts:
        out.append(g - prev)
        prev = g
    out.append(m - 1 - prev)
    return out


def _break_cost(a: str, b: str, width: int) -> float:
    """How unlikely a name ends between piece ``a`` and the next piece ``b`` (lower: a better cut)."""
    cost = 0.0
    if _balance(a) > 0:
        cost += 5  # an open bracket goes on
    if _balance(b) < 0:
        cost += 5  # b closes what a opened
    if a.endswith(("、", "，", "和", "及", "与", "的", "或", "并", "占")):
        cost += 4
    if a.endswith(("）", ")")) and _balance(a) == 0:
        cost -= 3  # a name ends with its unit
    if b.startswith(("（", "(")) and not a.endswith(("）", ")")):
        cost += 2  # b is a's unit
    if len(b) <= 2:
        cost += 3
    if len(a) >= width - 1:
        cost += 1  # a full line wraps
    elif len(a) < 0.75 * width:
        cost -= 1
    return cost


def _cell_categories(
    toks: list[_Tok],
    groups: list[tuple[list[_Tok], str | None, int]],
    frags: list[tuple[int, _Tok]],
    owner: list[int],
    rows: list[_Row],
) -> None:
    """Group names spelt one character per line (计 / 算 / 力) or given as labels: each starts at the first
    row not yet complete where its first character stands."""
    if not rows:
        return
    last_frag: dict[int, int] = {}
    for (i, _), r in zip(frags, owner, strict=False):
        last_frag[r] = max(last_frag.get(r, -1), i)
    done_at = [max(g[2], last_frag.get(r, -1)) for r, g in enumerate(groups)]

    def row_at(i: int) -> int:
        r = 0
        while r < len(done_at) and done_at[r] < i:
            r += 1
        return min(r, len(rows) - 1)

    chars = [(i, t) for i, t in enumerate(toks) if t.kind == "char"]
    words: list[tuple[str, int, list[TLine]]] = []
    run: list[tuple[int, _Tok]]
    text = "".join(t.text for _, t in chars)
    for size in (4, 3, 2):
        if len(text) >= 2 * size and len(text) % size == 0:
            parts = [text[j : j + size] for j in range(0, len(text), size)]
            if len({p[-1] for p in parts}) == 1:
                for j, p in enumerate(parts):
                    run = chars[j * size : (j + 1) * size]
                    words.append((p, row_at(run[0][0]), [t.line for _, t in run]))
                break
    else:
        run = []
        for c in chars:
            if run and row_at(c[0]) - row_at(run[-1][0]) >= 2:
                words.append(("".join(t.text for _, t in run), row_at(run[0][0]), [t.line for _, t in run]))
                run = []
            run.append(c)
        if run:
            words.append(("".join(t.text for _, t in run), row_at(run[0][0]), [t.line for _, t in run]))
    for i, t in enumerate(toks):
        if t.kind == "label":
            words.append((t.text, row_at(i), [t.line]))
    for word, r, lns in sorted(words, key=lambda w: w[1]):
        rows[r].category = word
        rows[r].lines.extend(lns)
