"""The plan inside the file: front matter (issuing notice, document number, title lines, cover, table of
contents), back matter, attachments, a body present twice, page artefacts and truncation.

Each rule has a small hand-written fixture; every removal must be reported with its lines."""

from __future__ import annotations

import pytest

from plangraph.ingest.boundaries import DocumentMeta, find_plan
from plangraph.ingest.errors import IncompletePlan
from plangraph.ingest.load import source_from_bytes
from plangraph.ingest.models import Kind, PlanDocument, PlanMeta
from plangraph.ingest.normalize import Normalized, normalize
from plangraph.ingest.pipeline import parse_bytes

BODY = """一、总体要求
（一）指导思想
以习近平新时代中国特色社会主义思想为指导，全面贯彻党的精神，推进数字化发展。
（二）发展目标
到2025年，数字化发展水平显著提升，基础设施更加完备，数字经济规模持续扩大。
二、主要任务
（一）建设数字基础设施
加快网络建设。推进千兆光网和5G网络建设，提升网络覆盖水平和服务能力。
（二）发展数字经济
培育数字产业。推动软件和信息技术服务业发展壮大，提升产业链现代化水平。
三、保障措施
（一）加强组织领导
各地区、各部门要加强组织领导，抓好任务落实，确保各项任务取得实效。
"""
INTRO = "为加快数字化发展，推进治理能力现代化，制定本规划。\n"
PARTS = ["总体要求", "主要任务", "保障措施"]


def norm_of(text: str, name: str = "t.txt") -> Normalized:
    return find_plan(normalize(source_from_bytes(text.encode("utf-8"), name)))


def parse(text: str, name: str = "t.txt", **kw: object) -> PlanDocument:
    return parse_bytes(text.encode("utf-8"), PlanMeta(id="t"), name=name, **kw)  # type: ignore[arg-type]


def meta_of(text: str) -> DocumentMeta:
    meta = norm_of(text).meta
    assert meta is not None
    return meta


def codes(doc: PlanDocument) -> dict[str, list[int | None]]:
    out: dict[str, list[int | None]] = {}
    for w in doc.warnings:
        out.setdefault(w.code, []).append(w.line)
    return out


def parts(doc: PlanDocument) -> list[str]:
    return [e.title for e in doc.root.children if e.kind == Kind.PART]


# -- the issuing notice and the document number ------------------------------------------------------

NOTICE = (
    "国务院关于印发《“十四五”数字经济发展规划》的通知\n"
    "国发〔2021〕29号\n"
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
    "现将《“十四五”数字经济发展规划》印发给你们，请认真贯彻执行。\n"
    "国务院\n"
    "2021年12月12日\n"
    "（此件公开发布）\n"
    "“十四五”数字经济发展规划\n"
)


def test_notice_doc_number_and_title_become_metadata() -> None:
    doc = parse(NOTICE + INTRO + BODY)
    assert doc.plan.title == "“十四五”数字经济发展规划"
    assert (doc.plan.issuer, doc.plan.doc_number, doc.plan.issued) == (
        "国务院",
        "国发〔2021〕29号",
        "2021-12-12",
    )
    assert doc.plan.period == (2021, 2025)
    c = codes(doc)
    assert c["I801"] == [1] and c["I803"] == [8]  # the notice (lines 1–7), the plan's title (line 8)
    notice = next(w for w in doc.warnings if w.code == "I801")
    assert "lines 1–7" in notice.message
    assert "印发" not in doc.root.text and "国发" not in doc.root.text and "制定本规划" in doc.root.text
    assert parts(doc) == PARTS and "W801" not in c


@pytest.mark.parametrize(
    ("head", "title", "issuer"),
    [
        # no 《》: the title is the words between 印发 and 的通知; the notice ends at its date
        (
            "工业和信息化部 民政部关于印发智慧健康养老产业发展行动计划的通知\n工信部联电子〔2021〕154号\n"
            "各省、自治区、直辖市工业和信息化主管部门：\n现将有关计划印发给你们，请结合实际认真贯彻落实。\n"
            "工业和信息化部\n民政部\n2021年10月20日\n",
            "智慧健康养老产业发展行动计划",
            "工业和信息化部、民政部",
        ),
        # the notice's title wrapped over two lines, an office as issuer, the plan's title in the text
        (
            "省文化和旅游厅关于印发《湖北省文物事业发展“十四五”\n规划》的通知\n鄂文旅办发〔2021〕38号\n"
            "各市、州文化和旅游局：\n现将《湖北省文物事业发展“十四五”规划》印发给你们。\n"
            "湖北省文物事业发展\n“十四五”规划\n",
            "湖北省文物事业发展“十四五”规划",
            "省文化和旅游厅",
        ),
    ],
)
def test_notice_variants(head: str, title: str, issuer: str) -> None:
    doc = parse(head + INTRO + BODY)
    assert doc.plan.title == title and doc.plan.issuer == issuer
    assert parts(doc) == PARTS and "关于印发" not in doc.root.text


# -- the title, the cover and the table of contents --------------------------------------------------

COVER = "“十四五”软件和信息技术服务业\n     发展规划\n\n\n    工业和信息化部\n    二〇二一年十一月\n"
TOC = (
    "\f                 目       录\n\n"
    "一、总体要求 .......................................... 1\n"
    "  （一）指导思想 ...................................... 1\n"
    "  （二）发展目标 ...................................... 2\n"
    "二、主要任务 .......................................... 3\n"
    "  （一）建设数字基础设施 .............................. 3\n"
    "  （二）发展数字经济加快推进产业基础高级化和\n"
    "产业链现代化 .......................................... 4\n"
    "三、保障措施 ………………………………………………………… 5\n"
    "\f"
)


def test_cover_and_toc_are_skipped_and_reported() -> None:
    doc = parse(COVER + TOC + INTRO + BODY)
    assert doc.plan.title == "“十四五”软件和信息技术服务业发展规划"
    assert (doc.plan.issuer, doc.plan.issued) == ("工业和信息化部", "2021-11")
    c = codes(doc)
    assert c["I803"] == [1] and c["I804"] == [5, 6] and c["I805"] == [7]
    toc = next(w for w in doc.warnings if w.code == "I805")
    assert "7 entries" in toc.message and "lines 7–16" in toc.message
    assert parts(doc) == PARTS  # no TOC line became a heading
    assert [len(p.children) for p in doc.root.children] == [2, 2, 1]


def test_toc_without_leaders_ends_where_prose_begins() -> None:
    toc = "目录\n第一章 总体要求\n第二章 主要任务\n第三章 保障措施\n"
    body = "本规划根据有关法律法规编制，是指导今后五年发展的行动纲领。\n" + BODY.replace(
        "一、总体要求", "第一章 总体要求"
    ).replace("二、主要任务", "第二章 主要任务").replace("三、保障措施", "第三章 保障措施")
    norm = norm_of("某某发展规划纲要\n" + toc + body)
    assert norm.meta is not None and norm.meta.toc == (
        "第一章 总体要求",
        "第二章 主要任务",
        "第三章 保障措施",
    )
    assert norm.lines[0].text.startswith("本规划根据")
    # the body's first heading repeats the TOC's first entry: the TOC ends there
    norm = norm_of("某某发展规划纲要\n" + toc + body.split("\n", 1)[1])
    assert norm.lines[0].text == "第一章 总体要求"


def test_attachment_label_above_the_title() -> None:
    doc = parse("附件\n\n“十二五”危险废物污染防治规划\n" + INTRO + BODY)
    assert doc.plan.title == "“十二五”危险废物污染防治规划" and doc.plan.period == (2011, 2015)
    assert codes(doc)["I808"] == [1]


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("智慧健康养老产业发展行动计划\n（2021-2025 年）\n", "智慧健康养老产业发展行动计划（2021-2025年）"),
        ("中华人民共和国国民经济和社会发展第十四个五年规划和 2035 年远景\n目标纲要\n",
         "中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要"),
        ("山东省“十三五”科技创新规划\n", "山东省“十三五”科技创新规划"),
        ("", None),  # a body copied without its title
        ("工作要求：\n", None),  # not a title
    ],
)  # fmt: skip
def test_title_lines(head: str, title: str | None) -> None:
    assert meta_of(head + INTRO + BODY).title == title


def test_no_title_warns_and_title_flag_fills_it() -> None:
    doc = parse(INTRO + BODY)
    w801 = [w for w in doc.warnings if w.code == "W801"]
    assert doc.plan.title is None and len(w801) == 1 and "--title" in w801[0].message
    doc = parse(INTRO + BODY, title="某某数字化发展规划（2024—2026年）")
    assert doc.plan.title == "某某数字化发展规划（2024—2026年）" and doc.plan.period == (2024, 2026)
    assert "W801" not in codes(doc)


def test_given_title_that_differs_from_the_files_is_reported() -> None:
    doc = parse("山东省“十三五”科技创新规划\n" + INTRO + BODY, title="青岛市人工智能产业行动计划")
    assert doc.plan.title == "青岛市人工智能产业行动计划" and codes(doc)["W802"] == [1]


# -- back matter and attachments ---------------------------------------------------------------------

ATTACHMENTS = (
    "附件：1.名词解释\n2.主要指标\n"
    "附件 1\n名词解释\n1. 算力基础设施\n是集信息计算力、网络运载力于一体的新型信息基础设施\n"
    "附件 2\n主要指标\n指标\t2025年\n算力规模（EFLOPS）\t300\n"
)


def test_attachments_are_marked_and_their_list_removed() -> None:
    norm = norm_of(INTRO + BODY + ATTACHMENTS)
    assert [(a.label, a.title) for a in norm.attachments] == [("附件1", "名词解释"), ("附件2", "主要指标")]
    for a in norm.attachments:
        assert norm.lines[a.index].no == a.line and norm.lines[a.index].text.startswith("附件")
    assert not any(line.text.startswith("附件：") for line in norm.lines)
    doc = parse(INTRO + BODY + ATTACHMENTS)
    assert doc.complete  # the glossary's last entry has no full stop: attachments are not judged
    assert len(codes(doc)["I809"]) == 2


BACK = (
    "\n湖北省文化和旅游厅办公室           2021 年 10 月 27 日印发\n初校：韩秦虎   终校：陈 飞\n"
    "版权所有：某某网站  ICP备05070218号\n"
)


def test_back_matter_is_removed_and_read() -> None:
    doc = parse("湖北省文物事业发展“十四五”规划\n" + INTRO + BODY + BACK)
    assert doc.plan.issued == "2021-10-27" and doc.complete
    assert len(codes(doc)["I806"]) == 3
    assert all("初校" not in e.text and "印发" not in e.text for e in doc.elements())


def test_signature_and_date_at_the_end() -> None:
    doc = parse(INTRO + BODY + "青岛市人民政府办公厅\n2024年5月31日\n", title="青岛市行动计划")
    assert (doc.plan.issuer, doc.plan.issued) == ("青岛市人民政府办公厅", "2024-05-31") and doc.complete


def test_web_page_lines_in_a_text_copy() -> None:
    head = (
        "当前位置：首页 > 政策 > 政策文件库\n"
        "索引号：000014349/2022-00006  主题分类：国民经济管理\n"
        "发文机关：国务院  成文日期：2021年12月12日\n"
        "发文字号：国发〔2021〕29号\n"
        "【字体：大 中 小】 打印\n"
    )
    doc = parse(head + "“十四五”数字经济发展规划\n" + INTRO + BODY + "分享到：\n【打印】【关闭窗口】\n")
    assert (doc.plan.issuer, doc.plan.doc_number, doc.plan.issued) == (
        "国务院",
        "国发〔2021〕29号",
        "2021-12-12",
    )
    assert doc.plan.title == "“十四五”数字经济发展规划" and doc.complete
    assert codes(doc)["I807"] == [1, 2, 3, 4, 5] and codes(doc)["I806"]


# -- a body present twice ----------------------------------------------------------------------------


def test_body_twice_is_read_once() -> None:
    doc = parse("“十四五”数字经济发展规划\n" + INTRO + BODY + INTRO + BODY)
    w = [w for w in doc.warnings if w.code == "W803"]
    assert len(w) == 1 and w[0].line == 16 and "lines 16–29 repeat lines 2–15" in w[0].message
    assert parts(doc) == PARTS


def test_repeated_headings_are_not_a_second_body() -> None:
    # a box header repeated after a page break and a TOC are repetitions, not a copy of the body
    text = "某某规划\n" + INTRO + BODY.replace("三、保障措施", "专栏1 重点工程\n专栏1 重点工程\n三、保障措施")
    assert not [n for n in norm_of(text).notes if n.code == "W803"]


# -- page artefacts by place -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dropped", "kept"),
    [
        # a bare number before a form feed (pdftotext -layout), and after a page-break gap
        ("加快网络建设，推进\n\n              7\n\f千兆光网建设。\n", ["7"], []),
        ("加快网络建设，推进\n \n\n8 \n\n千兆光网建设。\n", ["8"], []),
        # a run of page numbers a page apart in a PDF's text copied with its line breaks
        ("".join(f"第{i}页的文字，继续写下去的一段话\n" * 20 + f"{i}\n" for i in range(1, 5)), ["1", "2", "3", "4"], []),
        # numbers of a table: right after content, a few lines apart
        ("序号\t指标\n1\t算力\n指标\n1\n算力规模\n2\n存储总量\n3\n", [], ["1", "2", "3"]),
        # a number in a table cell (tab-separated) is never a page number
        ("指标\n \n\n12\t\n", [], ["12"]),
        # page marks
        ("正文一段。\n- 3 -\n正文二段。\n— 4 —\n第 5 页 共 9 页\n", ["- 3 -", "— 4 —", "第 5 页 共 9 页"], []),
    ],
)  # fmt: skip
def test_page_numbers_by_place(text: str, dropped: list[str], kept: list[str]) -> None:
    norm = normalize(source_from_bytes(text.encode("utf-8"), "p.txt"))
    assert [d.text for d in norm.dropped if d.reason == "page number"] == dropped
    texts = [line.text.strip() for line in norm.lines]
    for k in kept:
        assert k in texts


def test_html_cell_numbers_are_never_page_numbers() -> None:
    html = "<p>指标</p><p>&nbsp;</p><table><tr><td>12</td></tr><tr><td>25</td></tr></table><p>2</p>"
    norm = normalize(source_from_bytes(html.encode(), "t.html"))
    assert not norm.dropped and [line.text for line in norm.lines][1:] == ["12", "25", "2"]


def test_inline_page_mark_is_cut_from_the_line() -> None:
    norm = normalize(
        source_from_bytes("充分发挥专业机构在企业评- 13 -估、技术指导方面的作用。\n".encode(), "c.txt")
    )
    assert norm.lines[0].text == "充分发挥专业机构在企业评估、技术指导方面的作用。"
    (d,) = norm.dropped
    assert (d.reason, d.text, d.column) == ("inline page number", "- 13 -", 13)
    src = norm.source.original
    assert "".join(src[o] for o in norm.lines[0].offsets[:-1]) == norm.lines[0].text


def test_running_header_beside_page_numbers() -> None:
    words = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    pages = [
        "".join(f"{w}{v}项正文，继续写下去的一段话。\n" for w in words) + f"{i}\n山东省科技创新规划\n"
        for i, v in enumerate("一二三四", 1)
    ]
    norm = normalize(source_from_bytes("".join(pages).encode(), "h.txt"))
    assert [d.reason for d in norm.dropped] == ["page number", "running header"] * 4


def test_running_header_of_form_fed_text() -> None:
    ends = ["加快网络建设。", "发展数字经济。", "加强组织领导。", "完善保障机制。"]
    pages = [
        f"“十四五”数字经济发展规划\n第{i}页的正文，写下去的一段话。\n{e}\n" for i, e in enumerate(ends, 1)
    ]
    norm = normalize(source_from_bytes("\f".join(pages).encode(), "r.txt"))
    assert [(d.reason, d.no) for d in norm.dropped] == [("running header", n) for n in (1, 4, 7, 10)]
    assert len(norm.lines) == 8 and not any("规划" in line.text for line in norm.lines)


# -- truncation --------------------------------------------------------------------------------------


def test_cut_at_the_cell_limit() -> None:
    text = "某某规划\n" + INTRO + BODY
    text += "（二）强化资金保障\n" + "加大财政资金支持力度，完善多元投入机制。" * 2000
    text = text[:32767]
    assert len(text) == 32767
    doc = parse(text, partial=True)
    assert not doc.complete and {"W902", "W901"} <= set(codes(doc))
    with pytest.raises(IncompletePlan) as info:
        parse(text)
    assert "32,767" in str(info.value)


@pytest.mark.parametrize(
    ("tail", "code"),
    [
        ("（二）强化资金保障\n加大财政资金支持力度，完善", "W901"),  # mid-sentence
        ("（二）强化资金保障\n", "W901"),  # a heading with nothing under it
    ],
)
def test_cut_short(tail: str, code: str) -> None:
    doc = parse(INTRO + BODY + tail, partial=True)
    assert not doc.complete and code in codes(doc)


def test_toc_lists_parts_the_text_lacks() -> None:
    toc = "目录\n一、总体要求 ........ 1\n二、主要任务 ........ 3\n三、保障措施 ........ 5\n四、附则 ........ 6\n"
    doc = parse("某某规划\n" + toc + INTRO + BODY, partial=True)
    assert not doc.complete and "四、附则" in next(w.message for w in doc.warnings if w.code == "W903")


@pytest.mark.parametrize("tail", ["", "（本文有删减）\n", "青岛市人民政府\n2024年5月31日\n"])
def test_complete_plans_stay_complete(tail: str) -> None:
    doc = parse("某某规划\n" + INTRO + BODY + tail)
    assert doc.complete and not {"W901", "W902", "W903"} & set(codes(doc))
