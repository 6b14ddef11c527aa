"""Markdown loader: the bundled plan rendered as Markdown parses like source.txt; headings, quotes, lists,
pipe tables, emphasis removed with every character mapped back to the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.ingest.formats.markdown import convert, load
from plangraph.ingest.load import Source, source_from_bytes
from plangraph.ingest.models import Kind, PlanDocument, PlanMeta
from plangraph.ingest.normalize import normalize
from plangraph.ingest.pipeline import parse_bytes, parse_file
from plangraph.ingest.segment import segment
from tests.plan_formats import TITLE, joined_rows, render_all, summary
from tests.spans import span_problems

SYNTHETIC = " \n\t"  # what the loader adds: paragraph-end spaces, line ends, cell tabs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.mktemp("formats"), pdf=False)


def _mapped(source: Source) -> None:
    """Every character the loader did not add is the file's character at its offset."""
    assert len(source.offsets) == len(source.text) + 1 and source.offsets[-1] == len(source.original)
    assert list(source.offsets) == sorted(source.offsets)
    bad = [
        (i, c, source.original[source.offsets[i]])
        for i, c in enumerate(source.text)
        if c not in SYNTHETIC and c != source.original[source.offsets[i]]
    ]
    assert bad == []


def test_plan_as_markdown_parses_like_the_text(rendered: dict[str, Path], bundled_doc: PlanDocument) -> None:
    doc = parse_file(rendered["md"])
    assert doc.source.format == "markdown"
    assert summary(doc)["structure"] == summary(bundled_doc)["structure"]
    source = load(rendered["md"].read_bytes(), str(rendered["md"]))
    assert span_problems(doc, source.original) == []


def test_plan_indicators_from_the_pipe_table(rendered: dict[str, Path], bundled_doc: PlanDocument) -> None:
    assert joined_rows(rendered["md"]) == []  # each pipe-table row stays a block of its own
    assert summary(parse_file(rendered["md"]))["indicators"] == summary(bundled_doc)["indicators"]


def test_plan_markdown_title_offsets_and_determinism(rendered: dict[str, Path]) -> None:
    data = rendered["md"].read_bytes()
    source = load(data, "plan.md")
    assert source.hint("title") == TITLE and source.encoding == "utf-8" and source.pages == ()
    assert "**" not in source.text and "|" not in source.text and "## " not in source.text
    _mapped(source)
    assert load(data, "plan.md") == source


def test_headings_lose_their_marks_and_keep_the_plans_numbering() -> None:
    md = (
        "# 某某数字化发展规划\n\n## 一、总体要求 ##\n\n### （一）发展目标\n到 2025 年，数字化水平显著提升。\n"
    )
    source = load(md.encode(), "p.md")
    assert (
        source.text
        == "某某数字化发展规划 \n一、总体要求 \n（一）发展目标 \n到 2025 年，数字化水平显著提升。 \n"
    )
    assert source.hint("title") == "某某数字化发展规划"
    blocks = segment(normalize(source))
    assert [b.marker.type if b.marker else None for b in blocks] == [None, "cn", "paren_cn", None]
    _mapped(source)


def test_setext_headings_and_thematic_breaks() -> None:
    c = convert("某某规划\n====\n\n一、总体要求\n------\n\n* * *\n\n正文。\n")
    assert c.text == "某某规划 \n一、总体要求 \n正文。 \n" and c.title == "某某规划"


@pytest.mark.parametrize(
    ("md", "title"),
    [
        ("# 一、总体要求\n", None),
        ("## 副标题\n\n# 规划\n", "规划"),
        ("---\ntitle: 前言规划\n---\n正文。\n", "前言规划"),
    ],
)
def test_title_hint_only_without_plan_numbering(md: str, title: str | None) -> None:
    assert load(md.encode(), "p.md").hint("title") == title


def test_quotes_bullets_and_ordered_numbers() -> None:
    md = "> 引用的段落，\n> 第二行。\n>\n> > 嵌套引用。\n\n- 要点一\n* 要点二\n+ [x] 已完成\n\n1. 加快建设。\n2.推进改革。\n"
    c = convert(md)
    assert c.text == (
        "引用的段落，\n第二行。 \n嵌套引用。 \n要点一 \n要点二 \n已完成 \n1. 加快建设。\n2.推进改革。 \n"
    )  # 2.推进 (no space) is no Markdown list item but a continuation line: the segmenter splits it
    source = load(md.encode(), "q.md")
    _mapped(source)
    assert [b.text for b in segment(normalize(source))][-2:] == ["1. 加快建设。", "2.推进改革。"]


def test_pipe_table_rows_are_tab_separated_and_the_separator_row_is_dropped() -> None:
    md = (
        "“十四五”发展主要指标\n\n"
        "| 序号 | 类别 | 指标 | 2020 年 | 2025 年 | 属性 |\n"
        "|:---:|---|---|---:|---:|---|\n"
        "| 1 | 数字设施 | 网民规模（亿） | 9.89 | 12 | 预期性 |\n"
        "| 2 |  | IT 投资比例（%） | 3.5\\* | 5.8 | 预期性 |\n"
        "3 | | 电子诉讼占比（%） | 18 | 30 | 预期性\n"
        "\n注：带*的为 2019 年数据。\n"
    )
    source = load(md.encode(), "t.md")
    assert source.text.split("\n")[1:6] == [
        "序号\t类别\t指标\t2020 年\t2025 年\t属性\t ",
        "1\t数字设施\t网民规模（亿）\t9.89\t12\t预期性\t ",
        "2\t\tIT 投资比例（%）\t3.5*\t5.8\t预期性\t ",
        "3\t\t电子诉讼占比（%）\t18\t30\t预期性\t ",
        "注：带*的为 2019 年数据。 ",
    ]
    _mapped(source)
    tab = source.text.index("\t")
    assert source.original[source.offsets[tab]] == "|"


def test_bold_lead_sentence_and_inline_syntax_removed() -> None:
    md = (
        "**建设泛在智联的数字基础设施。**加快 __5G__ 网络建设，推进 ~~旧~~ *千兆* 光网，"
        "见[《纲要》](https://example.org/a_b)与 `IPv6` ![图](x.png)\\*注 &amp; <span>完</span>。\n"
    )
    source = load(md.encode(), "b.md")
    assert (
        source.text
        == "建设泛在智联的数字基础设施。加快 5G 网络建设，推进 旧 千兆 光网，见《纲要》与 IPv6 *注 & 完。 \n"
    )
    assert [n.code for n in source.notes] == ["I010"]
    _mapped(source)


def test_stars_that_are_not_emphasis_stay() -> None:
    assert convert("3.5* 5.8 带*的为 2019 年数据\n").text == "3.5* 5.8 带*的为 2019 年数据 \n"


def test_hard_wrapped_paragraph_lines_are_joined_by_the_segmenter() -> None:
    md = (
        "## 一、主要任务\n\n"
        "建设泛在智联的数字基础设施体系。加快建设新一代网络基础设施，推进\n"
        "千兆光网和 5G 网络建设，2025 年实现城区连续覆盖，提升服务能力和质量，\n"
        "加快推进数字化转型。\n\n"
        "（一）建设网络\n"
    )
    source = load(md.encode(), "w.md")
    assert source.text.count(" \n") == 3  # heading, paragraph end, section
    blocks = segment(normalize(source))
    assert [b.text[:6] for b in blocks] == ["一、主要任务", "建设泛在智联", "（一）建设网"]
    assert "推进千兆光网" in blocks[1].text and blocks[1].text.endswith("加快推进数字化转型。")


def test_code_fences_front_matter_comments_and_crlf() -> None:
    md = "---\ntitle: 规划\nauthor: x\n---\r\n<!-- 注释\n多行 -->\r\n```\n原样 **保留**\n```\r\n正文。\r\n"
    c = convert(md)
    assert c.text == "原样 **保留** \n正文。 \n" and c.title == "规划"


def test_gbk_markdown_decodes_like_text() -> None:
    md = "## 一、总体要求\n\n坚持创新。\n".encode("gb18030")
    source = source_from_bytes(md, "gbk.md")
    assert source.format == "markdown" and source.encoding == "gb18030"
    assert source.text == "一、总体要求 \n坚持创新。 \n"


def test_a_small_markdown_plan_parses() -> None:
    md = (
        "# 某市数字经济发展规划\n\n## 一、总体要求\n\n### （一）发展目标\n\n"
        "到 2025 年，数字经济核心产业增加值占比达到 10%。\n\n"
        "## 二、主要任务\n\n### （一）建设数字基础设施\n\n"
        "**建设高速网络。**加快千兆光网和 5G 网络建设。\n\n"
        "**专栏 1 新型基础设施工程**\n\n1. 千兆光网。建设千兆城市。\n\n2. 数据中心。建设绿色数据中心。\n\n"
        "## 三、保障措施\n\n### （一）加强组织领导\n\n各地区、各部门要抓好落实。\n"
    )
    doc = parse_bytes(md.encode(), PlanMeta(id="md"), name="plan.md")
    assert [p.title for p in doc.by_kind(Kind.PART)] == ["总体要求", "主要任务", "保障措施"]
    assert [c.title for c in doc.by_kind(Kind.COLUMN)] == ["新型基础设施工程"]
    assert [i.title for i in doc.by_kind(Kind.COLUMN_ITEM)] == ["千兆光网", "数据中心"]
