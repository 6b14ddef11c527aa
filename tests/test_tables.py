"""Tables wherever they stand, in every form the genre prints them (ingest/tables.py, ingest/indicators.py).

One small fixture per form (tests/fixtures/genre/tables/): flattened PDF text with wrapped names, layout
text with only a target year and 属性 and group names in a left column, three target years, one cell per
line scrambled, HTML rows with a 单位 column, a review table (规划目标 / 实现情况), an investment table (no
indicators), and a table the parser is unsure of (warnings). The tables are read with ``take_tables`` on
the segmented blocks, as classify reads a container's content; where the table's blocks hold nothing else
the whole pipeline reads them too (``find_tables`` / ``parse_table``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from plangraph.ingest.drafts import Draft
from plangraph.ingest.indicators import find_tables, parse_table, split_tables, table_form, take_tables
from plangraph.ingest.load import load_source
from plangraph.ingest.models import Kind, ParseWarning
from plangraph.ingest.normalize import Normalized, fold, normalize
from plangraph.ingest.segment import Block, segment
from plangraph.ingest.structure import structure
from plangraph.ingest.tables import is_value, lines_of, locate, number_of, read_header
from tests.conftest import ROOT

# not among test_genre.py's fixtures: a layout table interleaves values with the lines of a name, so a
# title is in its span in order but not as one run (see test_each_indicator_span_holds_its_title)
FIX = ROOT / "tests" / "fixtures" / "genre" / "tables"
CORPUS = ROOT.parent / "shared" / "corpus"


def _blocks(name: str | Path) -> tuple[Normalized, list[Block]]:
    norm = normalize(load_source(FIX / name if isinstance(name, str) else name))
    return norm, segment(norm)


def _take(name: str | Path) -> tuple[list[Draft], list[Block], list[ParseWarning], Normalized]:
    norm, blocks = _blocks(name)
    drafts, rest, warnings = take_tables(blocks, norm.line_of)
    return drafts, rest, warnings, norm


def _indicators(name: str | Path) -> list[Draft]:
    return [d for d in _take(name)[0] if d.kind == Kind.INDICATOR]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


# -- every form: the rows as read ----------------------------------------------------------------------
FIELDS = ("category", "unit", "baseline_year", "baseline_value", "target_year", "target_value", "attribute")
ROWS: list[Any] = [
    pytest.param(
        "tables_flat_wrapped.txt",
        "lines",
        [
            ("生产安全事故死亡人数下降", None, ("安全生产", "%", 2020, "—", 2025, "下降30%以上", "约束性")),
            ("重特大事故", None, ("安全生产", "起", 2020, "5", 2025, "零发生", "约束性")),
            (
                "县级以上应急指挥平台与国家平台联通率",
                None,
                ("应急保障", "%", 2020, "72", 2025, "100", "预期性"),
            ),
            ("卫星电话配备率", None, ("应急通信", "%", 2020, "60", 2025, "≥95", "预期性")),
        ],
        id="flattened-pdf-wrapped-names",
    ),
    pytest.param(
        "tables_target_only.txt",
        "layout",
        [
            ("省级文物保护单位新增数量", None, ("保护利用", None, None, None, 2025, "≥40", "约束性")),
            (
                "编制保护规划数量（全国重点文物保护单位、省级文物保护单位）",
                None,
                ("保护利用", None, None, None, 2025, "≥15", "约束性"),
            ),
            (
                "建成开放考古遗址公园和文化遗址公园数量",
                None,
                ("保护利用", None, None, None, 2025, "≥10", "约束性"),
            ),
            ("文物保护利用示范区数量", None, ("保护利用", None, None, None, 2025, "2", "预期性")),
            ("文物保护单位“四有”工作完成率", None, ("保护利用", "%", None, None, 2025, "100", "预期性")),
            ("县级以上文物安全巡查队伍建设率", None, ("安全监管", "%", None, None, 2025, "100", "预期性")),
            ("博物馆年接待观众数量", None, ("博物馆", "万人次", None, None, 2025, "3000", "预期性")),
        ],
        id="layout-target-year-and-attribute-only",
    ),
    pytest.param(
        "tables_three_years.txt",
        "lines",
        [
            ("数据交易场所数量", 1, (None, "个", None, None, 2025, "8", "预期性")),
            ("公共数据开放数据集数量", 2, (None, "万个", None, None, 2025, "3", "预期性")),
            ("数据安全事件", 3, (None, None, None, None, 2025, "零发生", "约束性")),
        ],
        id="three-target-years",
    ),
    pytest.param(
        "tables_cells.txt",
        "cells",
        [
            ("新型储能装机规模", 1, ("发电侧", "GW", None, None, 2025, "40", None)),
            ("储能电站数量", 2, ("发电侧", "座", None, None, 2025, "200", None)),
            ("平均转换效率", 3, ("用户侧", "%", None, None, 2025, "20", None)),
            ("储能电站调用次数占比", 4, ("用户侧", "%", None, None, 2025, "50", None)),
        ],
        id="one-cell-per-line-scrambled",
    ),
    pytest.param(
        "tables_rows.html",
        "rows",
        [
            ("高速公路电子不停车收费使用率", 1, ("基础设施", "%", 2020, "66", 2025, "≥80", "预期性")),
            ("城市公交智能调度覆盖率", 2, ("基础设施", "%", 2020, "—", 2025, "全覆盖", "预期性")),
            ("重大交通安全事故", 3, ("安全应急", "起", 2020, "—", 2025, "零发生", "约束性")),
        ],
        id="html-rows-unit-column",
    ),
    pytest.param(
        "tables_review.txt",
        "lines",
        [
            ("地级及以上城市空气质量优良天数比率", None, (None, "%", 2015, "76.7", 2020, "80", "约束性")),
            ("地表水质量达到或好于Ⅲ类水体比例", None, (None, "%", 2015, "66", 2020, "70", "约束性")),
            ("化学需氧量排放总量减少", None, (None, "%", 2015, "—", 2020, "10", "约束性")),
        ],
        id="review-planned-against-actual",
    ),
]


@pytest.mark.parametrize(("name", "form", "rows"), ROWS)
def test_rows_of_each_form(name: str, form: str, rows: list[tuple[str, int | None, tuple[Any, ...]]]) -> None:
    drafts, _, warnings, norm = _take(name)
    got = [
        (d.title, d.ordinal, tuple(getattr(d.indicator, f) for f in FIELDS))
        for d in drafts
        if d.kind == Kind.INDICATOR
    ]
    assert got == rows
    assert not [w for w in warnings if w.code != "W405"], warnings
    lines = lines_of(segment(norm), norm.line_of)
    ext = locate(lines)[0]
    assert table_form([lines[k] for k in ext.body], ext.header) == form


@pytest.mark.parametrize("name", [p.values[0] for p in ROWS])
def test_each_indicator_span_holds_its_title(name: str) -> None:
    """Provenance: the span of every indicator (its pieces' stretch of the original) holds its name, in
    order; in layout text a row's values stand between the lines of its name, so the name may be spread."""
    drafts, _, _, norm = _take(name)
    original = norm.source.original
    for d in drafts:
        assert d.span_override is not None
        start, end = d.span_override
        assert _in_order(_squash(d.title), _squash(original[start:end])), d.title
        assert _in_order(_squash(d.title), _squash(d.text)), d.title


def _in_order(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


# -- values, several target years, review ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value", "number"),
    [
        ("零发生", True, None),
        ("下降30%以上", True, 30.0),
        ("下降 18% 以上", True, 18.0),
        ("〔下降 15%〕", True, 15.0),
        ("≥95", True, 95.0),
        ("3-5", True, None),
        ("3.5*", True, 3.5),
        ("—", True, None),
        ("全覆盖", True, None),
        ("智能计算中心（个）", False, None),
    ],
)
def test_values_as_written_with_a_number_only_where_one_exists(
    raw: str, value: bool, number: float | None
) -> None:
    assert is_value(raw) is value
    if value:
        assert number_of(raw) == number


def test_text_targets_keep_their_text() -> None:
    rows = {d.title: d.indicator for d in _indicators("tables_flat_wrapped.txt")}
    assert rows["重特大事故"] is not None and rows["生产安全事故死亡人数下降"] is not None
    assert (rows["重特大事故"].target_value, rows["重特大事故"].target_number) == ("零发生", None)
    assert (rows["重特大事故"].baseline_number, rows["生产安全事故死亡人数下降"].target_number) == (5.0, 30.0)


@pytest.mark.parametrize(
    ("name", "title", "targets"),
    [
        ("tables_three_years.txt", "数据交易场所数量", ((2023, "3"), (2024, "5"), (2025, "8"))),
        ("tables_three_years.txt", "数据安全事件", ((2023, "零发生"), (2024, "零发生"), (2025, "零发生"))),
        ("tables_cells.txt", "储能电站调用次数占比", ((2023, "30"), (2024, "40"), (2025, "50"))),
        ("tables_flat_wrapped.txt", "卫星电话配备率", ()),  # one target column: target_* only
    ],
)
def test_targets_per_year(name: str, title: str, targets: tuple[tuple[int, str], ...]) -> None:
    ind = next(d.indicator for d in _indicators(name) if d.title == title)
    assert ind is not None
    assert ind.targets == targets
    if targets:
        assert (ind.target_year, ind.target_value) == targets[-1]
        assert ind.baseline_year is None and ind.baseline_value is None


def test_review_table_has_planned_and_actual_values() -> None:
    rows = {d.title: d.indicator for d in _indicators("tables_review.txt")}
    air = rows["地级及以上城市空气质量优良天数比率"]
    assert air is not None
    assert (air.target_year, air.target_value, air.actual_year, air.actual_value, air.actual_number) == (
        2020,
        "80",
        2020,
        "87",
        87.0,
    )
    cod = rows["化学需氧量排放总量减少"]
    assert cod is not None and cod.cumulative and (cod.target_value, cod.actual_value) == ("10", "13.8")


# -- headers ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "values", "roles"),
    [
        (
            ["类别 指标 2020 年 2025 年 属性"],
            [("base", 2020), ("target", 2025)],
            {"category", "name", "attr"},
        ),
        (["指标\t2025 年\t属性"], [("target", 2025)], {"name", "attr"}),
        (["序", "号", "类别 指标 2020 年 2025 年 属性"], [("base", 2020), ("target", 2025)], {"seq", "attr"}),
        (
            ["2023 年 2024 年 2025 年", "序号", "指标"],
            [("target", 2023), ("target", 2024), ("target", 2025)],
            {"seq"},
        ),
        (
            ["指标 2020 年 2023 年 2025 年 属性"],
            [("base", 2020), ("target", 2023), ("target", 2025)],
            {"attr"},
        ),
        (["指标 单位 2020 年（基期） 2025 年（目标） 属性"], [("base", 2020), ("target", 2025)], {"unit"}),
        (
            ["指标 2015年 2020年规划目标 2020年实现情况 属性"],
            [("base", 2015), ("planned", 2020), ("actual", 2020)],
            set(),
        ),
        (["序号 指标 基期值 目标值 属性"], [("base", None), ("target", None)], {"seq"}),
    ],
)
def test_header_columns(header: list[str], values: list[tuple[str, int | None]], roles: set[str]) -> None:
    h = read_header(header)
    assert [(c.role, c.year) for c in h.values] == values
    assert roles <= {c.role for c in h.columns}
    assert h.indicator


# -- tables that hold no indicators ------------------------------------------------------------------------
def test_investment_table_is_kept_as_a_table_not_indicators() -> None:
    norm, blocks = _blocks("tables_investment.txt")
    res = parse_table(blocks, norm.line_of)
    assert res.indicators == [] and len(res.tables) == 1
    values = res.table_values[0]
    assert values.caption == "附表 重点工程项目投资需求"
    assert values.header == ("序号", "项目名称", "建设内容", "资金需求（亿元）")
    assert [r[0] for r in values.rows] == [
        "1 危险废物调查工程 对全国危险废物产生单位进行调查。 3.0",
        "2 （1）集中处置设施建设 建设危险废物集中处置设施。 14.0",
        "3 （2）监管能力建设 配置快速检测仪器和现场取证设备。 1.5",
        "合计 18.5",
    ]
    table = res.tables[0]
    assert table.kind == Kind.TABLE and table.title == "附表 重点工程项目投资需求"
    assert "配置快速检测仪器" in table.text
    assert find_tables(blocks) == []  # the old entry point gives indicator tables only


def test_investment_table_rows_are_not_headings() -> None:
    """Cut out before structure, the （1）… rows of an investment table stay rows, never sections."""
    norm, blocks = _blocks("tables_investment.txt")
    root, _ = structure(split_tables(blocks, norm.line_of))
    headings = [n.heading.text for n in _nodes(root) if n.heading is not None]
    assert not [h for h in headings if h.startswith(("（1）", "（2）", "1 ", "2 "))], headings
    assert [h for h in headings if h.startswith(("一、", "二、"))] == ["一、主要任务", "二、保障措施"]


def _nodes(node: Any) -> list[Any]:
    out = []
    for c in node.children:
        out.append(c)
        out.extend(_nodes(c))
    return out


# -- nothing dropped ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", [p.values[0] for p in ROWS] + ["tables_investment.txt", "tables_warnings.txt"]
)
def test_take_tables_drops_no_text(name: str) -> None:
    """Every character of the blocks is in a table's pieces or in the content given back, but for an
    indicator table's caption, header and notes (read into its indicators) and ignored page numbers."""
    norm, blocks = _blocks(name)
    drafts, rest, _ = take_tables(blocks, norm.line_of)
    assert drafts
    kept = "".join(b.text for b in rest if isinstance(b, Block)) + "".join(d.text for d in drafts)
    lines = lines_of(blocks, norm.line_of)
    furniture = "".join(
        lines[k].text for e in locate(lines) if e.indicator for k in [*e.caption, *e.header_lines, *e.notes]
    )
    ignored = "7" if name == "tables_flat_wrapped.txt" else ""  # a page number (W405) is not text
    assert sorted(_squash(kept + furniture) + ignored) == sorted(_squash("".join(b.text for b in blocks)))


def test_text_after_a_table_in_the_same_block_comes_back_with_its_heading() -> None:
    norm, blocks = _blocks("tables_flat_wrapped.txt")
    assert (
        find_tables(blocks) == []
    )  # the table shares a block with 三、主要任务: the old entry point leaves it
    _, rest, _ = take_tables(blocks, norm.line_of)
    heading = next(b for b in rest if b.text == "三、主要任务")
    assert heading.marker is not None and heading.marker.text == "三、"
    split = split_tables(blocks, norm.line_of)
    assert [(b.line_start, b.marker is not None) for b in split if b.line_start >= 19] == [
        (19, True),
        (20, True),
        (21, False),
    ]
    assert all(b.marker is None for b in split if 6 <= b.line_start <= 18)
    root, _ = structure(split)
    assert [n.heading.text for n in root.children if n.heading] == [
        "一、发展目标",
        "二、主要指标",
        "三、主要任务",
    ]


# -- warnings ----------------------------------------------------------------------------------------------
def test_warnings_name_the_lines_the_parser_is_unsure_of() -> None:
    drafts, _, warnings, _ = _take("tables_warnings.txt")
    assert [d.title for d in drafts] == ["基础测绘覆盖率", "卫星导航定位基准站数量"]
    got = {(w.code, w.line) for w in warnings}
    assert ("W401", 6) in got  # 基期值 / 目标值: no years
    assert ("W403", 8) in got  # row 3 after row 1
    assert ("W404", 9) in got  # a row without 属性 before the notes: kept in the text
    assert any("实景三维覆盖面积" in b.text for b in _take("tables_warnings.txt")[1])


def test_a_page_number_inside_a_table_is_ignored_with_a_warning() -> None:
    _, _, warnings, _ = _take("tables_flat_wrapped.txt")
    assert [(w.code, w.line) for w in warnings] == [("W405", 17)]


# -- the whole pipeline, where a table's blocks hold nothing else ---------------------------------------------
@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("tables_three_years.txt", 3),
        ("tables_review.txt", 3),
        ("tables_rows.html", 3),
        ("tables_target_only.txt", 7),
    ],
)
def test_pipeline_reads_tables_in_their_own_blocks(name: str, count: int) -> None:
    from plangraph.ingest.pipeline import parse_file

    doc = parse_file(FIX / name, plan_id="t")
    assert len(doc.by_kind(Kind.INDICATOR)) == count
    assert not [w for w in doc.warnings if w.code.startswith("W40")], doc.warnings
    for e in doc.elements():
        if e.kind != Kind.INDICATOR:
            assert "预期性" not in e.text and "约束性" not in e.text, e.eid


# -- the corpus, read in place -------------------------------------------------------------------------------
def _corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} not beside the checkout")
    return path


def test_corpus_scrambled_annex_table() -> None:
    """suanli 附件2: 8 rows, 2023/2024/2025, no 属性, one cell per line, group names one character a line."""
    inds = _indicators(_corpus("suanli_xingdong_2023.txt"))
    assert len(inds) == 8
    assert {y for d in inds for y, _ in (d.indicator.targets if d.indicator else ())} == {2023, 2024, 2025}
    by = {d.title: d.indicator for d in inds}
    six = by["国家枢纽节点数据中心集群间网络时延达标率"]
    assert six is not None and six.targets == ((2023, "65"), (2024, "75"), (2025, "80")) and six.unit == "%"
    assert [d.indicator.category for d in inds if d.indicator] == ["计算力"] * 3 + ["运载力"] * 3 + [
        "存储力"
    ] * 2


def test_corpus_layout_table_across_a_page_break() -> None:
    """hubei 主要指标: 25 rows (约束性 6, 预期性 19), 指标 / 2025 年 / 属性, names wrapped over 2-3 lines."""
    pytest.importorskip("plangraph.ingest.formats.pdf")
    inds = _indicators(_corpus("hubei_wenwu_14th_2021.pdf"))
    assert len(inds) == 25
    attrs = [d.indicator.attribute for d in inds if d.indicator]
    assert (attrs.count("约束性"), attrs.count("预期性")) == (6, 19)
    assert {d.indicator.target_year for d in inds if d.indicator} == {2025}
    titles = [d.title for d in inds]
    assert "编制规划数量（全国重点文物保护单位、湖北省文物保护单位、专题专项）" in titles
    assert "全国重点文物保护单位和湖北省文物保护单位“四有”完成率" in titles


def test_corpus_investment_annex_is_not_indicators() -> None:
    pytest.importorskip("plangraph.ingest.formats.pdf")
    drafts, _, _, _ = _take(_corpus("weifei_12th_2012.pdf"))
    assert not [d for d in drafts if d.kind == Kind.INDICATOR]
    assert [d.title for d in drafts if d.kind == Kind.TABLE] == ["附表 重点工程项目投资需求"]


# -- the graph ---------------------------------------------------------------------------------------------
def test_graph_keeps_every_target_year() -> None:
    from plangraph.graph.build import build_graph
    from plangraph.graph.schema import check_graph
    from plangraph.ingest.pipeline import parse_file

    g = build_graph(parse_file(FIX / "tables_three_years.txt", plan_id="t"), infer=False)
    assert check_graph(g) == []
    node = next(d for _, d in g.nodes(data=True) if d.get("title") == "数据交易场所数量")
    assert (node["target_years"], node["target_values"]) == ([2023, 2024, 2025], ["3", "5", "8"])
    assert (node["target_year"], node["target_value"]) == (2025, "8")
    review = build_graph(parse_file(FIX / "tables_review.txt", plan_id="r"), infer=False)
    assert check_graph(review) == []
    air = next(
        d for _, d in review.nodes(data=True) if d.get("title") == "地级及以上城市空气质量优良天数比率"
    )
    assert (air["target_value"], air["actual_value"], air["actual_year"]) == ("80", "87", 2020)
