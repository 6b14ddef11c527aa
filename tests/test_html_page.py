"""HTML pages as they are published: the article read, the site's furniture dropped and reported, metadata
tables read as hints, tables kept as tables, positions right in multi-line and one-line pages."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from plangraph.ingest.formats.html import html_to_text, parse_tree, plan_title_of
from plangraph.ingest.load import source_from_bytes
from plangraph.ingest.models import Kind, PlanDocument, PlanMeta
from plangraph.ingest.normalize import normalize
from plangraph.ingest.pipeline import parse_bytes

ARTICLE = """<div class="pages_content" id="UCAP-CONTENT">
<p align="center">国务院关于印发“十四五”数字经济发展规划的通知</p>
<p align="center">国发〔2021〕29号</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>　　现将《“十四五”数字经济发展规划》印发给你们，请认真贯彻执行。</p>
<p align="right">国务院</p>
<p align="right">2021年12月12日</p>
<p>　　（此件公开发布）</p>
<h1>“十四五”数字经济发展规划</h1>
<p>　　数字经济是继农业经济、工业经济之后的主要经济形态，是以数据资源为关键要素的新经济形态。</p>
<p><strong>一、发展现状和形势</strong></p>
<p>　　信息基础设施全球领先。建成全球规模最大的光纤和第四代移动通信网络&amp;5G网络。</p>
<p><strong>二、总体要求</strong></p>
<p><strong>（一）发展目标</strong></p>
<p>　　到2025年，数字经济迈向全面扩展期，数字经济核心产业增加值占GDP比重达到10%。</p>
<table border="1">
<tr><td>指标</td><td>2020年</td><td>2025年</td><td>属性</td></tr>
<tr><td>数据中心（个）</td><td>12</td><td>25</td><td>预期性</td></tr>
<tr><td>千兆宽带用户数<br>（万户）</td><td>640</td><td>6000</td><td>预期性</td></tr>
</table>
<p><strong>三、保障措施</strong></p>
<p>　　各地区、各部门要高度重视数字经济发展，国家发展改革委负责统筹协调。<br>加强跟踪监测。</p>
</div>"""

PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>国务院关于印发“十四五”数字经济发展规划的通知_政府信息公开_中国政府网</title>
<script>var x = "一、总体要求";</script><style>p {{ margin: 0 }}</style>
</head>
<body>
<div class="header"><div class="logo">中国政府网</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zhengce">政策</a></li><li><a href="/hd">互动</a></li></ul></div>
<div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; <a href="/zhengce">政策</a> &gt; <a href="#">最新</a></div>
<table class="bd1">
<tr><td>索 引 号：</td><td>000014349/2022-00006</td><td>主题分类：</td><td>国民经济管理</td></tr>
<tr><td>发文机关：</td><td>国务院</td><td>成文日期：</td><td>2021年12月12日</td></tr>
<tr><td>发文字号：</td><td>国发〔2021〕29号</td><td>发布日期：</td><td>2022年01月12日</td></tr>
</table>
{ARTICLE}
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
<div class="pages_print"><a href="javascript:window.print()">【打印】</a> <a href="#">【关闭窗口】</a></div>
<div style="display:none"><p>数字经济是继农业经济、工业经济之后的主要经济形态。</p></div>
<p><a href="/zw.pdf">原文链接</a></p>
<div class="footer"><p>版权所有：中国政府网 | 京ICP备05070218号</p><p>主办单位：国务院办公厅</p></div>
</body></html>
"""


def parse(page: str, name: str = "page.html") -> PlanDocument:
    return parse_bytes(page.encode("utf-8"), PlanMeta(id="p"), name=name)


def furniture(doc: PlanDocument) -> list[str]:
    return [w.message for w in doc.warnings if w.code == "I101"]


def test_article_read_and_furniture_dropped() -> None:
    text, _ = html_to_text(PAGE)
    for gone in (
        "首页",
        "当前位置",
        "分享到",
        "【打印】",
        "版权所有",
        "主办单位",
        "原文链接",
        "索引号",
        "var x",
    ):
        assert gone not in text, gone
    assert text.count("数字经济是继农业经济") == 1  # the hidden print copy is not read
    doc = parse(PAGE)
    removed = " ".join(furniture(doc))
    for why in ("'header' block", "'breadcrumb' block", "'share' block", "'print' block", "hidden element",
                "link", "'footer' block"):  # fmt: skip
        assert why in removed, why
    assert [w.line for w in doc.warnings if w.code == "I102"] == [10]  # the metadata table, on its line
    assert [e.title for e in doc.root.children if e.kind == Kind.PART] == [
        "发展现状和形势",
        "总体要求",
        "保障措施",
    ]


def test_metadata_table_and_notice_become_metadata() -> None:
    src = source_from_bytes(PAGE.encode(), "page.html")
    assert src.hint("issuer") == "国务院" and src.hint("doc_number") == "国发〔2021〕29号"
    assert src.hint("issued") == "2021年12月12日" and src.hint("title") == "“十四五”数字经济发展规划"
    doc = parse(PAGE)
    plan = doc.plan
    assert (plan.title, plan.issuer, plan.doc_number, plan.issued, plan.period) == (
        "“十四五”数字经济发展规划",
        "国务院",
        "国发〔2021〕29号",
        "2021-12-12",
        (2021, 2025),
    )
    assert "印发" not in doc.root.text


def test_table_numbers_are_kept_and_cells_are_tabs() -> None:
    text, _ = html_to_text(PAGE)
    assert "数据中心（个）\t12\t25\t预期性\t" in text
    assert "千兆宽带用户数 （万户）\t640\t6000\t预期性\t" in text  # <br> inside a cell: a space
    norm = normalize(source_from_bytes(PAGE.encode(), "page.html"))
    assert not [d for d in norm.dropped if d.reason == "page number"]
    doc = parse(PAGE)
    values = [
        (i.title, i.indicator.baseline_value, i.indicator.target_value) for i in doc.by_kind(Kind.INDICATOR)
    ]
    assert ("数据中心", "12", "25") in values


def test_br_in_a_paragraph_ends_a_line_and_entities_resolve() -> None:
    text, offsets = html_to_text(PAGE)
    assert "统筹协调。 \n加强跟踪监测。" in text
    assert "移动通信网络&5G网络" in text
    i = text.index("&5G")
    assert PAGE[offsets[i] : offsets[i] + 5] == "&amp;"


def test_every_character_maps_back() -> None:
    text, offsets = html_to_text(PAGE)
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(PAGE)
    for i, ch in enumerate(text):
        if ch not in " \n\t&\u3000\xa0":
            assert PAGE[offsets[i]] == ch, (i, ch)
    assert list(offsets[:-1]) == sorted(offsets[:-1])


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("国务院关于印发《“十四五”国家信息化规划》的通知", "“十四五”国家信息化规划"),
        ("国务院关于印发“十四五”数字经济发展规划的通知", "“十四五”数字经济发展规划"),
        ("新一代人工智能发展规划", "新一代人工智能发展规划"),
        ("中国政府网", None),
        ("国务院关于做好某项工作的通知", None),
    ],
)
def test_plan_title_of(text: str, title: str | None) -> None:
    assert plan_title_of(text) == title


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<title>数字乡村发展行动计划（2022—2025年）_部门文件_中国政府网</title>", "", "数字乡村发展行动计划（2022—2025年）"),
        ("<title>中国政府网</title>", "<h1>某某市数字化转型实施方案</h1>", "某某市数字化转型实施方案"),
        ('<meta name="ArticleTitle" content="关于印发《某某规划》的通知"><title>x</title>', "", "某某规划"),
        ("<title>首页</title>", "", None),
    ],
)  # fmt: skip
def test_title_hint(head: str, body: str, title: str | None) -> None:
    page = f"<html><head>{head}</head><body>{body}<p>正文。</p></body></html>"
    assert source_from_bytes(page.encode(), "t.html").hint("title") == title


def test_title_from_the_page_when_the_text_lacks_it() -> None:
    page = PAGE.replace("<h1>“十四五”数字经济发展规划</h1>", "")
    page = re.sub(r"<p align=\"center\">国务院关于印发.*?（此件公开发布）</p>", "", page, flags=re.S)
    doc = parse(page)
    assert doc.plan.title == "“十四五”数字经济发展规划" and not [w for w in doc.warnings if w.code == "W801"]


def test_multiline_positions() -> None:
    doc = parse(PAGE)
    lines = PAGE.split("\n")
    for e in doc.elements():
        s = e.span
        assert PAGE.count("\n", 0, s.char_start) + 1 == s.line_start, e.eid
        visible = htmllib.unescape(re.sub(r"<[^>]*>", "", PAGE[s.char_start : s.char_end]))
        assert re.sub(r"\s", "", e.title)[:6] in re.sub(r"\s", "", visible), e.eid
    part = next(e for e in doc.elements() if e.title == "保障措施")
    assert "三、保障措施" in lines[part.span.line_start - 1]


def test_one_line_page_gives_columns() -> None:
    page = PAGE.replace("\n", "")
    doc = parse(page, "oneline.html")
    assert doc.source.lines == 1
    notes = [w for w in doc.warnings if w.code in ("I101", "I102", "I801", "I803")]
    assert notes and all(w.line == 1 and w.column is not None for w in notes)
    crumb = next(w for w in notes if "breadcrumb" in w.message)
    assert page[crumb.column - 1 :].startswith('<div class="BreadcrumbNav">')
    notice = next(w for w in doc.warnings if w.code == "I801")
    assert "columns" in notice.message
    for e in doc.elements():
        assert e.span.line_start == e.span.line_end == 1
        assert 0 <= e.span.char_start < e.span.char_end <= len(page)


def test_body_twice_page_and_print_view() -> None:
    page = PAGE.replace('<div style="display:none"><p>数字经济是继农业经济、工业经济之后的主要经济形态。</p></div>',
                        ARTICLE.replace("UCAP-CONTENT", "copy2").replace("pages_content", "article2"))  # fmt: skip
    doc = parse(page)
    dup = [w for w in doc.warnings if w.code == "W803"]
    assert len(dup) == 1 and "repeat" in dup[0].message
    assert len(doc.by_kind(Kind.INDICATOR)) == 2 and len(doc.root.children) == 3


def test_layout_table_read_as_blocks() -> None:
    long = "".join(
        f"<p>（{n}）加快推进第{n}项任务。推进网络建设，提升覆盖水平和服务能力。</p>"
        for n in "一二三四五六七八九十"
    )
    page = (
        "<html><body><table><tr><td><table><tr><td>首页</td></tr></table></td></tr>"
        f"<tr><td><p>一、主要任务</p>{long * 3}</td></tr></table></body></html>"
    )  # fmt: skip
    text, _ = html_to_text(page)
    assert "一、主要任务 \n（一）加快推进" in text and "\t" not in text.split("一、主要任务")[1]


def test_omitted_end_tags() -> None:
    root = parse_tree("<ul><li>一<li>二</ul><table><tr><td>a<td>b<tr><td>c</table><p>x<p>y")
    tags = [e.tag for e in root.descendants()]
    assert tags.count("li") == 2 and tags.count("td") == 3 and tags.count("tr") == 2 and tags.count("p") == 2
    text, _ = html_to_text("<table><tr><td>a<td>b<tr><td>c</table><p>x<p>y")
    assert text == "a\tb\t \nc\t \nx \ny \n"
