"""Word (.docx) loader: the bundled plan rendered as Word parses like source.txt; automatic numbering,
tables, headings, text boxes and the table of contents; hostile packages give one typed line each."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from plangraph.ingest.errors import DecompressionBomb, DocumentFormatError, PlanError
from plangraph.ingest.formats.docx import MAX_UNCOMPRESSED, format_number, load
from plangraph.ingest.load import source_from_bytes
from plangraph.ingest.models import PlanDocument
from plangraph.ingest.normalize import normalize
from plangraph.ingest.pipeline import parse_file
from plangraph.ingest.segment import segment
from tests.conftest import ROOT
from tests.plan_formats import (
    TITLE,
    W_NS,
    add_list,
    add_num,
    joined_rows,
    number_paragraph,
    render_all,
    summary,
    write_docx,
)
from tests.spans import span_problems


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.mktemp("formats"), pdf=False)


@pytest.mark.parametrize("variant", ["docx", "docx-numbered"])
def test_plan_as_word_parses_like_the_text(
    rendered: dict[str, Path], bundled_doc: PlanDocument, variant: str
) -> None:
    doc = parse_file(rendered[variant])
    assert doc.source.format == "docx"
    assert summary(doc)["structure"] == summary(bundled_doc)["structure"]
    source = load(rendered[variant].read_bytes(), str(rendered[variant]))
    assert source.hint("title") == TITLE and source.pages == () and source.encoding == "docx"
    assert span_problems(doc, source.original) == []


@pytest.mark.parametrize("variant", ["docx", "docx-numbered"])
def test_plan_indicators_from_the_word_table(
    rendered: dict[str, Path], bundled_doc: PlanDocument, variant: str
) -> None:
    assert joined_rows(rendered[variant]) == []  # each Word table row stays a block of its own
    assert summary(parse_file(rendered[variant]))["indicators"] == summary(bundled_doc)["indicators"]


def test_numbered_rendering_takes_its_markers_from_numbering_xml(rendered: dict[str, Path]) -> None:
    # the headings' and items' text carries no marker: Word's numbering supplies 一、 （一） 1.
    body = docx.Document(str(rendered["docx-numbered"])).paragraphs
    assert any(p.text == "现状与形势" for p in body) and not any(p.text.startswith("一、") for p in body)
    text = load(rendered["docx-numbered"].read_bytes(), "p.docx").text
    for line in (
        "一、现状与形势 \n",
        "（二）发展形势 \n",
        "六、组织实施 \n",
        "（十）智慧养老服务拓展行动 \n",
    ):
        assert line in text


def test_loads_are_deterministic(rendered: dict[str, Path]) -> None:
    data = rendered["docx-numbered"].read_bytes()
    a, b = load(data, "p.docx"), load(data, "p.docx")
    assert a == b and a.text.encode() == b.text.encode()
    assert write_docx(rendered["docx"].parent / "again.docx").read_bytes()[:2] == b"PK"


# -- hand-made documents -----------------------------------------------------------------------------------


def _bytes(document: Any) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _lines(document: Any) -> list[str]:
    return load(_bytes(document), "t.docx").text.split("\n")[:-1]


def test_automatic_numbering_is_rendered_as_marker_text() -> None:
    d = docx.Document()
    aid = add_list(
        d,
        [
            ("chineseCounting", "%1、"),
            ("chineseCounting", "（%2）"),
            ("decimal", "%3."),
            ("decimal", "（%4）"),
            ("decimalEnclosedCircle", "%5"),
        ],
    )
    num = add_num(d, aid)
    for text, level in [
        ("总体要求", 0),
        ("指导思想", 1),
        ("基本原则", 1),
        ("坚持创新。推进改革。", 2),
        ("坚持开放。", 2),
        ("细则", 3),
        ("要点", 4),
        ("要点", 4),
        ("主要任务", 0),
        ("建设网络", 1),
        ("5G 网络。", 2),
    ]:
        number_paragraph(d.add_paragraph(text), num, level)
    legal = add_num(d, add_list(d, [("ideographTraditional", "%1、")], suffix="space"))
    for text in ("甲项", "乙项"):
        number_paragraph(d.add_paragraph(text), legal)
    assert _lines(d) == [
        "一、总体要求 ",
        "（一）指导思想 ",
        "（二）基本原则 ",
        "1.坚持创新。推进改革。 ",
        "2.坚持开放。 ",
        "（1）细则 ",
        "① 要点 ",
        "② 要点 ",
        "二、主要任务 ",
        "（一）建设网络 ",
        "1. 5G 网络。 ",  # a digit after the marker: a space, so that 1. stays a marker
        "甲、 甲项 ",
        "乙、 乙项 ",
    ]


def test_numbering_restarts_with_a_start_override_and_continues_without() -> None:
    d = docx.Document()
    aid = add_list(d, [("decimal", "%1.")])
    first, again, restarted = add_num(d, aid), add_num(d, aid), add_num(d, aid, restart=True)
    for num in (first, first, again, restarted, restarted):
        number_paragraph(d.add_paragraph("加快建设。"), num)
    assert [line[:2] for line in _lines(d)] == ["1.", "2.", "3.", "1.", "2."]


def test_numbering_from_the_paragraph_style_and_bullets_dropped() -> None:
    d = docx.Document()
    d.add_paragraph("第一项", style="List Number")
    d.add_paragraph("第二项", style="List Number")
    d.add_paragraph("要点", style="List Bullet")
    assert _lines(d) == ["1.第一项 ", "2.第二项 ", "要点 "]


def test_number_formats() -> None:
    assert [format_number(n, "chineseCounting") for n in (3, 11, 19, 21, 99)] == [
        "三",
        "十一",
        "十九",
        "二十一",
        "九十九",
    ]
    assert (
        format_number(2, "chineseLegalSimplified") == "贰" and format_number(12, "decimalFullWidth") == "１２"
    )
    assert format_number(2, "ideographZodiac") == "丑" and format_number(3, "decimalEnclosedParen") == "⑶"
    assert format_number(5, "bogusFormat") == "5" and format_number(4, "none") == ""


def test_tables_are_tab_rows_in_document_order_merged_cells_once() -> None:
    d = docx.Document()
    d.add_paragraph("主要指标")
    t = d.add_table(rows=4, cols=3)
    for i, row in enumerate(
        [["类别", "指标", "2025 年"], ["数字设施", "网民规模（亿）", "12"], ["", "5G 用户普及率（%）", "56"]]
    ):
        for j, c in enumerate(row):
            t.cell(i, j).text = c
    t.cell(1, 0).merge(t.cell(2, 0))  # 数字设施 spans two rows
    t.cell(3, 0).merge(t.cell(3, 2)).text = "注：横向合并"
    d.add_paragraph("表后文字。")
    assert _lines(d) == [
        "主要指标 ",
        "类别\t指标\t2025 年\t ",
        "数字设施\t网民规模（亿）\t12\t ",
        "5G 用户普及率（%）\t56\t ",
        "注：横向合并\t ",
        "表后文字。 ",
    ]


def test_a_one_column_table_is_a_box_of_paragraphs() -> None:
    d = docx.Document()
    box = d.add_table(rows=2, cols=1)
    box.cell(0, 0).text = "专栏 1  5G 创新应用工程"
    cell = box.cell(1, 0)
    cell.text = "1.5G 网络建设。加快部署。"
    cell.add_paragraph("2.行业应用。推广应用。")
    assert _lines(d) == ["专栏 1  5G 创新应用工程 ", "1.5G 网络建设。加快部署。 ", "2.行业应用。推广应用。 "]


def test_headings_are_lines_of_their_own_and_title_style_is_the_hint() -> None:
    d = docx.Document()
    d.add_heading("某某数字化发展规划", 0)
    d.add_heading("一、总体要求", 1)
    d.add_heading("（一）发展目标", 2)
    d.add_paragraph("到 2025 年，数字化水平显著提升。")
    source = load(_bytes(d), "t.docx")
    assert (
        source.text
        == "某某数字化发展规划 \n一、总体要求 \n（一）发展目标 \n到 2025 年，数字化水平显著提升。 \n"
    )
    assert source.hint("title") == "某某数字化发展规划"
    blocks = segment(normalize(source))
    assert [(b.text, b.marker.type if b.marker else None) for b in blocks][1:3] == [
        ("一、总体要求", "cn"),
        ("（一）发展目标", "paren_cn"),
    ]


@pytest.mark.parametrize("title", ["Word Document", "文档1", "t", "Microsoft Word - 规划.doc", "  "])
def test_meaningless_core_titles_are_no_hint(title: str) -> None:
    d = docx.Document()
    d.core_properties.title = title
    d.add_paragraph("一、总体要求")
    assert load(_bytes(d), "t.docx").hints == ()


def _run_xml(inner: str) -> Any:
    return parse_xml(f'<w:r xmlns:w="{W_NS}">{inner}</w:r>')


def test_what_is_not_text_is_left_out() -> None:
    d = docx.Document()
    p = d.add_paragraph("可见")
    p._p.append(_run_xml("<w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t>"))
    p._p.append(
        parse_xml(
            f'<w:del xmlns:w="{W_NS}" w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
        )
    )
    p._p.append(_run_xml('<w:fldChar w:fldCharType="begin"/>'))
    p._p.append(_run_xml("<w:instrText> PAGE </w:instrText>"))
    p._p.append(_run_xml('<w:fldChar w:fldCharType="separate"/>'))
    p._p.append(_run_xml("<w:t>文字</w:t><w:tab/><w:t>制表</w:t><w:br/><w:t>换行</w:t>"))
    p._p.append(_run_xml('<w:fldChar w:fldCharType="end"/>'))
    assert _lines(d) == ["可见文字 制表 ", "换行 "]


def test_text_boxes_follow_their_paragraph_once() -> None:
    d = docx.Document()
    p = d.add_paragraph("正文。")
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = "<w:txbxContent><w:p><w:r><w:t>专栏 1  重点工程</w:t></w:r></w:p></w:txbxContent>"
    p._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W_NS}" xmlns:mc="{mc}" xmlns:wps="{wps}"><mc:AlternateContent>'
            f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
            f"<mc:Fallback><w:pict><wps:txbx>{box}</wps:txbx></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )
    )
    d.add_paragraph("后文。")
    assert _lines(d) == ["正文。 ", "专栏 1  重点工程 ", "后文。 "]


def test_table_of_contents_is_kept_in_the_original_but_not_parsed() -> None:
    d = docx.Document()
    toc = d.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("目录")
    d.add_paragraph("一、总体要求……1", style=toc)
    d.add_paragraph("一、总体要求")
    source = load(_bytes(d), "t.docx")
    assert "一、总体要求……1" in source.original and "……" not in source.text
    assert source.text == "目录 \n一、总体要求 \n"
    assert all(source.text[i] == source.original[source.offsets[i]] for i in range(len(source.text)))
    assert [n.code for n in source.notes] == ["I011"]


# -- hostile packages --------------------------------------------------------------------------------------


def _error(data: bytes, path: str = "bad.docx") -> PlanError:
    with pytest.raises(PlanError) as info:
        load(data, path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"[{info.value.code}] {path}: ")
    return info.value


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _valid() -> bytes:
    d = docx.Document()
    d.add_paragraph("一、总体要求")
    return _bytes(d)


def test_not_a_zip() -> None:
    err = _error("一、总体要求\n".encode())
    assert isinstance(err, DocumentFormatError) and err.code == "E007" and "zip" in err.message
    assert _error(b"PK\x03\x04broken").code == "E007"


def test_legacy_doc_says_save_as_docx() -> None:
    err = _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "old.doc")
    assert err.code == "E007" and "save it as .docx" in err.message


def test_zip_bomb_is_refused_before_python_docx_reads_it(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    chunk = b"\x00" * (1 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as f:
            for _ in range(300):
                f.write(chunk)
    data = bomb.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    err = _error(data)
    assert isinstance(err, DecompressionBomb) and err.code == "E008"
    assert "300 MB" in err.message
    # below the total cap but expanding a thousandfold: refused too
    small = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (20 << 20)})
    assert _error(small).code == "E008" and MAX_UNCOMPRESSED == 200 * 1024 * 1024


def test_a_package_without_document_xml() -> None:
    with zipfile.ZipFile(io.BytesIO(_valid())) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "word/document.xml"}
    err = _error(_zip(members))
    assert err.code == "E007" and "main document" in err.message


def test_other_zip_packages_are_named() -> None:
    assert "Excel" in _error(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})).message
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert "OpenDocument" in _error(odt).message
    assert "[Content_Types].xml" in _error(_zip({"readme.txt": b"hello"})).message


def test_damaged_xml_is_e007() -> None:
    with zipfile.ZipFile(io.BytesIO(_valid())) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = b"<w:document><w:body><w:p>"
    assert _error(_zip(members)).code == "E007"


def test_source_from_bytes_routes_zip_magic_to_the_word_loader() -> None:
    source = source_from_bytes(_valid(), "upload.bin")
    assert source.format == "docx" and source.text == "一、总体要求 \n"


def test_cli_prints_one_line_for_a_zip_bomb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as f:
            for _ in range(210):
                f.write(b"\x00" * (1 << 20))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run(
        [sys.executable, "-m", "plangraph.cli.main", "parse", str(bomb)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert res.returncode == 2 and "[E008]" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
