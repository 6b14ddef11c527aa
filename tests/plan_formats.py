"""The bundled plan rendered in other formats: Word, Markdown, HTML and PDF (printed from the HTML).

The plan is split into paragraphs by the project's own stages (load → normalize → segment); headings are
the blocks numbered 一、 and （一）, the indicator table is rebuilt from its parsed rows as a real table
(Word table, pipe table, ``<table>`` with a ``rowspan`` per category). Each writer takes the output path;
:func:`render_all` writes every format beside a copy of the plan's ``plan.yaml``, so that parsing a
rendering and parsing ``source.txt`` see the same metadata. :func:`summary` is what the round-trip tests
compare.

    python -m tests.plan_formats OUT_DIR      # writes plan.docx, plan-numbered.docx, plan.md, plan.html …
"""

from __future__ import annotations

import collections
import html
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraph.ingest.indicators import find_tables, parse_table
from plangraph.ingest.load import load_source
from plangraph.ingest.models import Kind, PlanDocument
from plangraph.ingest.normalize import normalize
from plangraph.ingest.segment import Block, segment

ROOT = Path(__file__).resolve().parent.parent
PLAN_DIR = ROOT / "data" / "plans" / "informatization-14fyp"
SOURCE = PLAN_DIR / "source.txt"
TITLE = "“十四五”国家信息化规划"
CHROMIUM = "/usr/bin/chromium"
HEADING_LEVELS = {"pian": 1, "zhang": 1, "cn": 1, "jie": 2, "paren_cn": 2}
#: the kinds whose titles (in order) a rendering must reproduce
COMPARED = (
    Kind.PART,
    Kind.SECTION,
    Kind.TASK,
    Kind.SUBTASK,
    Kind.GOAL,
    Kind.PRINCIPLE,
    Kind.COLUMN,
    Kind.ACTION,
    Kind.INDICATOR,
)


@dataclass(frozen=True)
class Row:
    number: int | None
    category: str | None  # None: the category cell above spans this row
    name: str  # with its unit, 网民规模（亿）
    base: str
    target: str
    attribute: str

    def cells(self) -> list[str]:
        num = "" if self.number is None else str(self.number)
        return [num, self.category or "", self.name, self.base, self.target, self.attribute]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]

    def spans(self) -> list[int]:
        """Per row: how many rows its category cell spans (0 for rows under a spanning cell)."""
        out = [0] * len(self.rows)
        start = 0
        for i, row in enumerate(self.rows):
            if row.category is not None:
                start = i
            out[start] += 1
        return out


@dataclass(frozen=True)
class Item:
    kind: str  # "heading", "para", "table"
    text: str = ""  # the whole paragraph, marker included
    level: int = 0
    block: Block | None = None
    table: Table | None = None


def layout(source: Path = SOURCE) -> list[Item]:
    """The plan as headings, paragraphs and the indicator table, in order."""
    blocks = segment(normalize(load_source(source)))
    tables = dict(find_tables(blocks))
    items: list[Item] = []
    i = 0
    while i < len(blocks):
        if i in tables:
            end = tables[i]
            items.append(Item("para", blocks[i].text, block=blocks[i]))  # the caption
            items.append(Item("table", table=_table(blocks[i:end])))
            items.extend(Item("para", b.text, block=b) for b in blocks[i:end] if b.text.startswith("注"))
            i = end
            continue
        b = blocks[i]
        level = HEADING_LEVELS.get(b.marker.type, 0) if b.marker else 0
        items.append(Item("heading" if level else "para", b.text, level, b))
        i += 1
    return items


def _table(blocks: list[Block]) -> Table:
    drafts = parse_table(blocks).indicators
    years = collections.Counter(d.indicator.baseline_year for d in drafts if d.indicator)
    target_years = collections.Counter(d.indicator.target_year for d in drafts if d.indicator)
    header = [
        "序号",
        "类别",
        "指标",
        f"{years.most_common(1)[0][0]} 年",
        f"{target_years.most_common(1)[0][0]} 年",
    ]
    rows: list[Row] = []
    previous: str | None = None
    for d in drafts:
        v = d.indicator
        assert v is not None
        name = f"{d.title}（{v.unit}）" if v.unit else d.title
        base = (v.baseline_value or "") + ("*" if v.note and "*" in v.note else "")
        target = f"〔{v.target_value}〕" if v.cumulative else v.target_value or ""
        category = v.category if v.category != previous else None
        previous = v.category
        rows.append(Row(d.ordinal, category, name, base, target, v.attribute or ""))
    return Table([*header, "属性"], rows)


# -- Word --------------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_list(document: Any, levels: list[tuple[str, str]], *, suffix: str = "tab") -> int:
    """Add a list definition (one ``(numFmt, lvlText)`` per level) to ``numbering.xml``; its abstractNumId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    ids = [int(a.get(f"{{{W_NS}}}abstractNumId")) for a in numbering.iterchildren(f"{{{W_NS}}}abstractNum")]
    aid = max(ids, default=0) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="{suffix}"/>'
        f'<w:lvlText w:val="{html.escape(text)}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{aid}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return aid


def add_num(document: Any, abstract_id: int, *, restart: bool = False) -> int:
    """A list instance (``w:num``) of a definition; ``restart`` counts it from its start again."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    ids = [int(n.get(f"{{{W_NS}}}numId")) for n in numbering.iterchildren(f"{{{W_NS}}}num")]
    nid = max(ids, default=0) + 1
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    numbering.append(
        parse_xml(
            f'<w:num xmlns:w="{W_NS}" w:numId="{nid}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
    )
    return nid


def number_paragraph(paragraph: Any, num_id: int, ilvl: int = 0) -> None:
    """Give a paragraph automatic numbering (``w:numPr``)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def add_word_table(document: Any, table: Table) -> Any:
    t = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    t.style = "Table Grid"
    for j, h in enumerate(table.header):
        t.cell(0, j).text = h
    for i, row in enumerate(table.rows, start=1):
        for j, c in enumerate(row.cells()):
            if j != 1 or row.category is not None:
                t.cell(i, j).text = c
    for i, span in enumerate(table.spans(), start=1):
        if span > 1:
            t.cell(i, 1).merge(t.cell(i + span - 1, 1))
    return t


def write_docx(path: Path, *, numbered: bool = False, source: Path = SOURCE) -> Path:
    """The plan as Word: Title, Heading 1/2, paragraphs, the indicator table as a Word table.

    ``numbered``: the 一、/（一） headings and runs of 1. 2. … items take their markers from Word's automatic
    numbering (``numbering.xml``) instead of typed text, as Word users make them.
    """
    import docx

    document = docx.Document()
    document.core_properties.title = TITLE
    document.add_heading(TITLE, 0)
    heading_num = item_abstract = 0
    counters = [0, 0]
    item_num, item_count = 0, 0
    if numbered:
        heading_num = add_num(
            document, add_list(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
        )
        item_abstract = add_list(document, [("decimal", "%1.")])
    for item in layout(source):
        if item.kind == "table":
            assert item.table is not None
            add_word_table(document, item.table)
            continue
        b = item.block
        m = b.marker if b else None
        if item.kind == "heading":
            level = item.level - 1
            expect = counters[level] + 1 if level == 0 or counters[0] else None
            if numbered and b and m and m.type in ("cn", "paren_cn") and m.number == expect and level < 2:
                p = document.add_heading(b.body, item.level)
                number_paragraph(p, heading_num, level)
                counters[level] = m.number
                if level == 0:
                    counters[1] = 0
            else:
                document.add_heading(item.text, item.level)
            continue
        if numbered and b and m and m.type == "arabic" and m.number in (1, item_count + 1):
            if m.number == 1:
                item_num = add_num(document, item_abstract, restart=True)
            item_count = m.number
            number_paragraph(document.add_paragraph(b.body), item_num)
            continue
        document.add_paragraph(item.text)
    document.save(str(path))
    return path


# -- Markdown, HTML, PDF -----------------------------------------------------------------------------------


def _lead(text: str) -> tuple[str, str] | None:
    """A short first sentence of a longer paragraph (printed in bold in the original)."""
    end = text.find("。")
    if 4 <= end <= 30 and len(text) > end + 10 and not text[:1].isdigit():
        return text[: end + 1], text[end + 1 :]
    return None


def write_markdown(path: Path, source: Path = SOURCE) -> Path:
    """``# title``, ``##``/``###`` headings, paragraphs (lead sentences and 专栏 titles in bold), a pipe
    table for the indicators."""
    out = [f"# {TITLE}", ""]
    for item in layout(source):
        if item.kind == "table":
            assert item.table is not None
            t = item.table
            out.append("| " + " | ".join(t.header) + " |")
            out.append("|" + "|".join(":---:" if j == 0 else "---" for j in range(len(t.header))) + "|")
            out.extend("| " + " | ".join(r.cells()) + " |" for r in t.rows)
        elif item.kind == "heading":
            out.append("#" * (item.level + 1) + " " + item.text)
        elif item.block is not None and item.block.marker is not None and item.block.marker.type == "box":
            out.append(f"**{item.text}**")
        else:
            lead = _lead(item.text) if item.block is not None and item.block.marker is None else None
            out.append(f"**{lead[0]}**{lead[1]}" if lead else item.text)
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


_CSS = (
    # as official documents are set (GB/T 9704): justified text, paragraphs indented by two characters,
    # a table whose short cells do not wrap
    "body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:14pt;margin:2cm;"
    "text-align:justify}p{text-indent:2em}"
    "table{border-collapse:collapse;font-size:11pt}td,th{border:1px solid #000;padding:2px 4px;"
    "white-space:nowrap}"
)


def write_html(path: Path, source: Path = SOURCE) -> Path:
    """``<h1>`` title, ``<h2>``/``<h3>`` headings, ``<p>`` paragraphs, the indicators as a ``<table>``."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(TITLE)}</title><style>{_CSS}</style></head>',
        f"<body><h1>{e(TITLE)}</h1>",
    ]
    for item in layout(source):
        if item.kind == "table":
            assert item.table is not None
            t = item.table
            out.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in t.header) + "</tr>")
            for row, span in zip(t.rows, t.spans(), strict=True):
                cells = row.cells()
                tds = [f"<td>{e(cells[0])}</td>"]
                if row.category is not None:
                    tds.append(
                        f'<td rowspan="{span}">{e(cells[1])}</td>' if span > 1 else f"<td>{e(cells[1])}</td>"
                    )
                tds.extend(f"<td>{e(c)}</td>" for c in cells[2:])
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</table>")
        elif item.kind == "heading":
            out.append(f"<h{item.level + 1}>{e(item.text)}</h{item.level + 1}>")
        else:
            out.append(f"<p>{e(item.text)}</p>")
    out.append("</body></html>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def write_pdf(path: Path, html_path: Path | None = None, source: Path = SOURCE) -> Path:
    """Print the HTML rendering to PDF with headless Chromium (Noto CJK fonts)."""
    with tempfile.TemporaryDirectory() as tmp:
        if html_path is None:
            html_path = write_html(Path(tmp) / "plan.html", source)
        profile = Path(tmp) / "profile"
        cmd = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={path}",
            html_path.resolve().as_uri(),
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if res.returncode != 0 or not path.is_file():
            raise RuntimeError(f"chromium failed ({res.returncode}): {res.stderr[-500:]}")
    return path


def render_all(out: Path, *, pdf: bool = True) -> dict[str, Path]:
    """Every rendering in ``out`` beside the plan's plan.yaml: {"txt", "docx", "docx-numbered", "md",
    "html", "pdf"}."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(PLAN_DIR / "plan.yaml", out / "plan.yaml")
    paths = {
        "txt": Path(shutil.copy(SOURCE, out / "source.txt")),
        "docx": write_docx(out / "plan.docx"),
        "docx-numbered": write_docx(out / "plan-numbered.docx", numbered=True),
        "md": write_markdown(out / "plan.md"),
        "html": write_html(out / "plan.html"),
    }
    if pdf and chromium_available():
        paths["pdf"] = write_pdf(out / "plan.pdf", paths["html"])
    return paths


def joined_rows(path: Path) -> list[str]:
    """Blocks that hold more than one table row: the segmenter joined lines with tabs (cells), which the
    loader ended as paragraphs. [] when every row is a block of its own."""
    norm = normalize(load_source(path))
    rows = {line.text for line in norm.lines if "\t" in line.text}
    return [b.text[:80] for b in segment(norm) if "\t" in b.text and b.text not in rows]


def summary(doc: PlanDocument) -> dict[str, Any]:
    """What must not change between formats. ``structure``: element counts per kind and the titles of
    parts, sections, tasks, goals, principles, 专栏 and actions in order; ``indicators``: the indicator
    table's rows (count, order, titles, values)."""
    counts = collections.Counter(str(e.kind) for e in doc.elements() if e.kind is not Kind.INDICATOR)
    titles = {str(k): [e.title for e in doc.by_kind(k)] for k in COMPARED if k is not Kind.INDICATOR}
    rows = [(e.ordinal, e.title, e.indicator) for e in doc.by_kind(Kind.INDICATOR)]
    return {"structure": {"counts": dict(sorted(counts.items())), "titles": titles}, "indicators": rows}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "plan-formats")
    for fmt, p in render_all(target).items():
        print(f"{fmt:14} {p}")
