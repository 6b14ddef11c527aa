"""Indicator tables (主要指标): the flattened table of PDF text and the cell rows of HTML tables.

A table starts at a caption (…主要指标, 表N …指标) followed by a header row naming 指标 and years or 属性,
and ends after its notes (注：…). Each row becomes an Indicator draft with category, unit, baseline and
target values and years, and attribute (预期性/约束性); values marked * take the year the note gives,
values in 〔〕 are cumulative when the note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.drafts import Draft, Piece
from ingest.models import IndicatorValues, Kind, ParseWarning
from ingest.segment import Block

_CAPTION = re.compile(r"(?:主要指标|指标体系|发展指标|主要目标指标)\s*$|^表\s*\d+\s*\S*指标")
_HEADER = re.compile(r"指标")
_YEAR = re.compile(r"(\d{4})\s*年")
_VAL = (
    r"(?:[〔\[［【]\s*)?(?:累计|年均)?\s*(?:下降|降低|提高|增长|减少|提升|达到)?\s*"
    r"(?:[>＞≥<＜≤]?\s*\d+(?:\.\d+)?\s*\*?\s*[%％]?|—|－|-|/)\s*(?:以上|以内|左右|以下)?(?:\s*[〕\]］】])?"
)
_ROW = re.compile(rf"^(?P<pre>.*?)\s*(?P<base>{_VAL})\s+(?P<target>{_VAL})\s*(?P<attr>预期性|约束性)$")
_NUMBER_ONLY = re.compile(r"^\d{1,2}$")
_LEADING_NUMBER = re.compile(r"^(\d{1,2})\s+(?=\S)")
_UNIT = re.compile(r"\s*[（(]([^（）()]{1,12})[）)]\s*$")
_NOTE = re.compile(r"^注\s*[:：]")
_STAR_YEAR = re.compile(r"\*\s*的?为\s*(\d{4})\s*年")
_CUMULATIVE_NOTE = re.compile(r"[〔\[［【]\s*[〕\]］】]\s*内为.{0,6}累计")
_ATTR_ONLY = re.compile(r"预期性|约束性")


@dataclass
class TableResult:
    indicators: list[Draft] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def find_tables(blocks: list[Block]) -> list[tuple[int, int]]:
    """(start, end) block ranges of indicator tables: caption … notes."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if len(b.text) <= 40 and _CAPTION.search(b.text.replace("\t", " ")) and _has_header(blocks, i + 1):
            j = i + 1
            while j < len(blocks) and not _ends_table(blocks[j]):
                j += 1
            while j < len(blocks) and _NOTE.match(blocks[j].text):  # notes belong to the table
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _has_header(blocks: list[Block], start: int) -> bool:
    for b in blocks[start : start + 3]:
        if _HEADER.search(b.text) and (_YEAR.search(b.text) or "属性" in b.text):
            return True
    return False


def _ends_table(b: Block) -> bool:
    if _NOTE.match(b.text) or (b.marker is not None and b.marker.type != "arabic"):
        return True
    return len(b.text) > 60 and "。" in b.text and not _ATTR_ONLY.search(b.text)


def parse_table(blocks: list[Block]) -> TableResult:
    res = TableResult()
    header_idx = next(i for i, b in enumerate(blocks) if i > 0 and _HEADER.search(b.text))
    years = [int(y) for y in _YEAR.findall(blocks[header_idx].text)]
    base_year = years[0] if years else None
    target_year = years[-1] if len(years) > 1 else None
    notes = " ".join(b.text for b in blocks if _NOTE.match(b.text))
    star = _STAR_YEAR.search(notes)
    star_year = int(star.group(1)) if star else None
    cumulative_note = bool(_CUMULATIVE_NOTE.search(notes))
    if base_year is None or target_year is None:
        res.warnings.append(
            ParseWarning(
                code="W401",
                message="indicator table header names no base and target years",
                line=blocks[header_idx].line_start,
            )
        )

    category: str | None = None
    number: int | None = None
    pending: list[Block] = []
    expected = 1
    for b in blocks[header_idx + 1 :]:
        if _NOTE.match(b.text):
            continue
        cells = [c.strip() for c in b.text.split("\t") if c.strip()] if "\t" in b.text else None
        text = " ".join(cells) if cells else b.text
        if _NUMBER_ONLY.match(text):
            number = int(text)
            pending.append(b)
            continue
        m = _ROW.match(text)
        if m is None:
            pending.append(b)
            continue
        pre = m.group("pre").strip()
        texts = [p.text.strip() for p in pending if not _NUMBER_ONLY.match(p.text.strip())]
        if cells is not None:  # HTML: [序号] [类别] 指标 base target 属性
            head = cells[:-3]
            nums = [c for c in head if _NUMBER_ONLY.match(c)]
            if nums:
                number = int(nums[0])
            rest = [c for c in head if not _NUMBER_ONLY.match(c)]
            name = rest[-1] if rest else ""
            if len(rest) > 1:
                category = " ".join(rest[:-1])
        else:
            lead = _LEADING_NUMBER.match(pre)
            if lead:
                number = int(lead.group(1))
                pre = pre[lead.end() :]
            if pre:
                name = pre
                if texts:
                    category = "".join(texts)
            else:
                name, rest = _name_from_pending(pending)
                if rest:
                    category = "".join(rest)
        row_blocks = [*pending, b]
        pending = []
        if not name:
            res.warnings.append(
                ParseWarning(code="W402", message="indicator row without a name", line=b.line_start)
            )
            number = None
            continue
        if number is not None and number != expected:
            res.warnings.append(
                ParseWarning(
                    code="W403",
                    message=f"indicator row numbered {number}, expected {expected}",
                    line=b.line_start,
                )
            )
        if number is not None:
            expected = number + 1
        unit_m = _UNIT.search(name)
        unit = unit_m.group(1).strip() if unit_m else None
        title = name[: unit_m.start()].strip() if unit_m else name.strip()
        base_raw, target_raw = m.group("base").strip(), m.group("target").strip()
        starred = "*" in base_raw
        values = IndicatorValues(
            category=category,
            unit=unit,
            baseline_value=_clean_value(base_raw),
            baseline_year=star_year if starred and star_year else base_year,
            target_value=_clean_value(target_raw),
            target_year=target_year,
            attribute=m.group("attr"),
            baseline_number=_number(base_raw),
            target_number=_number(target_raw),
            cumulative=cumulative_note and any(c in target_raw for c in "〔[［【"),
            note=f"带*的为 {star_year} 年数据" if starred and star_year else None,
        )
        d = Draft(Kind.INDICATOR, title, blocks=row_blocks, ordinal=number, indicator=values)
        d.pieces.extend(Piece.of(rb) for rb in row_blocks)
        res.indicators.append(d)
        number = None
    for p in pending:
        res.warnings.append(
            ParseWarning(
                code="W404",
                message=f"indicator table text not in any row: {p.text[:30]!r}",
                line=p.line_start,
            )
        )
    return res


def _name_from_pending(pending: list[Block]) -> tuple[str, list[str]]:
    """The name is the last run of adjacent text blocks (wrapped name lines); earlier text is category."""
    texts = [p.text.strip() for p in pending]
    k = len(texts) - 1
    while k >= 0 and _NUMBER_ONLY.match(texts[k]):
        k -= 1
    if k < 0:
        return "", []
    parts = [texts[k]]
    k -= 1
    while k >= 0 and not _NUMBER_ONLY.match(texts[k]) and not _is_category(texts[k]):
        parts.insert(0, texts[k])
        k -= 1
    rest = [t for t in texts[: k + 1] if not _NUMBER_ONLY.match(t)]
    return "".join(parts), rest


def _is_category(text: str) -> bool:
    return len(text) <= 8 and not any(c in text for c in "（(%％")


def _number(raw: str) -> float | None:
    """The value as a number when it is a plain number (``3.5*`` → 3.5); None for text such as 下降 13.5%."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*\*?\s*", raw)
    return float(m.group(1)) if m else None


def _clean_value(raw: str) -> str:
    return re.sub(r"\s+", "", raw).replace("*", "").strip("〔〕[]［］【】")
