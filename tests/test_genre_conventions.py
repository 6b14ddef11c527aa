"""One small table per convention of the genre that the corpus taught us (GENRE.md, "What real copies
look like"): what each rule of segment/structure/classify is for, on texts written here.

Every case also passes the span invariant of tests/test_genre.py (each element's span lies in the file,
contains its title and own text, lies in its parent's span).
"""

from __future__ import annotations

import pytest

from plangraph.ingest.models import Kind, PlanDocument, PlanMeta
from plangraph.ingest.pipeline import parse_bytes
from tests.test_genre import assert_spans

WRAP = "这是一段用于填充宽度的正文文字，用来模拟从版式文件中复制出的定宽折行文本，"


PREAMBLE = "为贯彻落实国家战略部署，推动产业高质量发展，结合实际情况，制定本行动计划。\n" * 3


def parse(text: str, preamble: str = PREAMBLE) -> PlanDocument:
    """Parse a plan written here; the preamble makes it a text of one paragraph per line."""
    text = preamble + text
    doc = parse_bytes(text.encode("utf-8"), PlanMeta(id="t"), name="t.txt", partial=True)
    assert_spans(doc, text)
    return doc


def titles(doc: PlanDocument, kind: Kind) -> list[str]:
    return [e.title for e in doc.by_kind(kind)]


# -- tasks by their place ---------------------------------------------------------------------------
PLACE = """一、总体要求
（一）指导思想
以新发展理念为指导，推动高质量发展。
（二）发展目标
到2025年，产业规模明显扩大。
二、加快数字化转型
（一）建设智能工厂。推动企业开展智能化改造。
（二）培育服务平台。支持建设一批公共服务平台。
三、推进区域协同发展
（一）优化布局。引导各地差异化发展。
四、保障措施
（一）加强组织领导。各地区要抓好落实。
"""


def test_parts_between_the_overall_requirements_and_the_measures_are_tasks() -> None:
    doc = parse(PLACE)
    tasks = doc.by_kind(Kind.TASK)
    assert [t.title for t in tasks] == ["加快数字化转型", "推进区域协同发展"]
    assert {t.meaning_source for t in tasks} == {"position"}
    assert [t.marker for t in tasks] == ["二、", "三、"]
    assert titles(doc, Kind.SUBTASK) == ["建设智能工厂", "培育服务平台", "优化布局"]
    assert titles(doc, Kind.MEASURE) == ["加强组织领导"]


@pytest.mark.parametrize(
    ("text", "tasks"),
    [
        # the plan names its tasks: other parts are not tasks by place
        (PLACE.replace("三、推进区域协同发展", "三、主要任务"), ["优化布局"]),
        # nothing frames the parts: no decision by place
        (
            "一、加快数字化转型\n（一）建设智能工厂。推动改造。\n二、保障措施\n（一）加强组织领导。抓好落实。\n",
            [],
        ),
    ],
)
def test_no_tasks_by_place_without_a_frame_or_beside_named_tasks(text: str, tasks: list[str]) -> None:
    assert titles(parse(text), Kind.TASK) == tasks


# -- principles and goals written run-in ------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "principles"),
    [
        (  # one 坚持… paragraph each
            "坚持创新驱动。强化科技支撑，突破关键技术。\n坚持开放合作。深化国际合作与交流。\n",
            ["坚持创新驱动", "坚持开放合作"],
        ),
        (  # run together in one paragraph: four-character pairs
            "夯实基础，补齐短板。面向行业发展需求，完善标准体系。重点突破，以点带面。立足关键环节。\n",
            ["夯实基础，补齐短板", "重点突破，以点带面"],
        ),
        (  # dashed
            "——坚持需求牵引。以需求为导向。\n——坚持安全可控。筑牢安全底线。\n",
            ["坚持需求牵引", "坚持安全可控"],
        ),
    ],
)
def test_run_in_principles_are_each_a_principle(body: str, principles: list[str]) -> None:
    doc = parse("一、总体要求\n（一）基本原则\n" + body + "二、保障措施\n（一）加强领导。要抓好落实。\n")
    assert titles(doc, Kind.PRINCIPLE) == principles


def test_a_section_whose_paragraphs_open_with_jianchi_is_principles_by_content() -> None:
    doc = parse(
        "一、总体要求\n（一）工作遵循\n坚持统筹推进。加强顶层设计。\n坚持示范引领。打造典型场景。\n"
        "二、保障措施\n（一）加强领导。要抓好落实。\n"
    )
    principles = doc.by_kind(Kind.PRINCIPLE)
    assert [p.title for p in principles] == ["坚持统筹推进", "坚持示范引领"]
    section = next(e for e in doc.elements() if e.kind == Kind.SECTION and e.title == "工作遵循")
    assert (section.meaning, section.meaning_source) == ("Principle", "content")


@pytest.mark.parametrize(
    "body",
    [
        "到2025年，产业规模明显扩大。\n——创新能力显著增强。建成一批平台。\n——集群发展成效明显。形成一批集群。\n",
        "到2025年，产业规模明显扩大。\n——创新能力显著增强。建成一批平台。——集群发展成效明显。形成一批集群。\n",
    ],
    ids=["one-per-line", "run-together"],
)
def test_dashed_goals_are_each_a_numbered_goal(body: str) -> None:
    doc = parse("一、总体要求\n（一）发展目标\n" + body + "二、保障措施\n（一）加强领导。要抓好落实。\n")
    goals = [g for g in doc.by_kind(Kind.GOAL) if g.marker == "——"]
    assert [g.title for g in goals] == ["创新能力显著增强", "集群发展成效明显"]


def test_the_text_before_run_together_dashes_is_no_goal() -> None:
    doc = parse(
        "一、总体要求\n以新发展理念为指导。——创新能力。打造一批平台。——坚持开放合作。深化交流。\n"
        "二、重点任务\n（一）建设平台。支持建设平台。\n"
    )
    assert titles(doc, Kind.GOAL) == ["创新能力"] and titles(doc, Kind.PRINCIPLE) == ["坚持开放合作"]
    part = next(e for e in doc.elements() if e.kind == Kind.PART)
    assert "以新发展理念为指导" in part.text and "打造一批平台" not in part.text


def test_dashes_run_in_a_part_of_overall_requirements() -> None:
    doc = parse(
        "一、总体要求\n以新发展理念为指导。到2026年，产业规模突破千亿元。\n"
        "——创新能力。打造一批平台。\n——坚持开放合作。深化交流。\n"
        "二、重点任务\n（一）建设平台。支持建设平台。\n"
    )
    assert [(g.title, g.meaning_source) for g in doc.by_kind(Kind.GOAL)] == [("创新能力", "content")]
    assert titles(doc, Kind.PRINCIPLE) == ["坚持开放合作"]


# -- 专栏 ---------------------------------------------------------------------------------------------
BOX_TEXT = "二、主要任务\n（一）建设平台\n推动平台建设。加快部署。\n{box}\n（二）完善生态\n优化产业生态。\n三、保障措施\n（一）加强领导。要抓好落实。\n"


@pytest.mark.parametrize(
    ("box", "title", "items"),
    [
        (
            "专栏一 智慧养老工程\n1.健康产品。发展监测设备。\n2.服务机器人。发展陪护机器人。",
            "智慧养老工程",
            2,
        ),
        ("任务专栏2　药品监管云建设\n建设监管云平台。\n推动省级云资源整合。", "药品监管云建设", 2),
        ("专栏 3：数据平台\n1.建设数据中心。\n2.开放共享数据。\n3.保障数据安全。", "数据平台", 3),
        (
            "专栏4 示范工厂建设行动\n01 智能场景\n探索形成智能场景。\n02 智能车间\n打造一批智能车间。",
            "示范工厂建设行动",
            2,
        ),
        (
            "专栏 5 算力供给提升行动\n一是开展案例遴选，鼓励探索。二是举办算力大会。三是发布算力指数。",
            "算力供给提升行动",
            3,
        ),
        (
            "专栏 6 装备研制重点\n智能切割装备。型材切割装备等。智能焊接装备。焊接机器人等。",
            "装备研制重点",
            2,
        ),
        (
            "专栏 7 共性技术研发重点智能制造总体技术。重点研究智能制造新模式，突破解决方案。"
            "智能工艺技术。重点研究面向智能制造的工艺设计技术，形成工艺数据库。",
            "共性技术研发重点",
            2,
        ),
        (
            "专栏8 养老服务推广工程\n打造养老场景：\n1.家庭养老床位：提供呼叫服务。\n创新养老服务：\n2.助老餐厅：提供订餐服务。",
            "养老服务推广工程",
            2,
        ),
    ],
    ids=[
        "cn-number",
        "renwu-zhuanlan",
        "colon",
        "01-items",
        "yi-shi",
        "run-in-leads",
        "title-runs-on",
        "groups",
    ],
)
def test_box_variants(box: str, title: str, items: int) -> None:
    doc = parse(BOX_TEXT.format(box=box))
    (column,) = doc.by_kind(Kind.COLUMN)
    assert column.title == title
    assert len([c for c in column.children if c.kind == Kind.COLUMN_ITEM]) == items
    # the box ends where the outline goes on
    assert titles(doc, Kind.TASK) == ["建设平台", "完善生态"]


def test_zhuanlan_in_a_sentence_is_not_a_box_and_a_box_starts_its_items_at_one() -> None:
    doc = parse(
        "二、主要任务\n（一）建设平台\n在门户网站设立专栏，及时发布信息。\n专栏 1 重点工程\n建设一批重点工程。\n"
        "2.推动标准实施。加强宣贯。\n三、保障措施\n（一）加强领导。要抓好落实。\n"
    )
    (column,) = doc.by_kind(Kind.COLUMN)
    assert [c.title for c in column.children] == ["建设一批重点工程"]
    assert "推动标准实施" in titles(doc, Kind.SUBTASK)


# -- lines and paragraphs ---------------------------------------------------------------------------
def test_a_heading_that_a_copy_put_mid_line_is_a_heading() -> None:
    doc = parse(
        "二、主要任务\n（一）建设平台\n推动平台建设。 （二）完善生态\n优化产业生态。 三、保障措施\n（一）加强领导。要抓好落实。\n"
    )
    assert titles(doc, Kind.TASK) == ["建设平台", "完善生态"]
    assert titles(doc, Kind.MEASURE) == ["加强领导"]


def test_a_heading_wrapped_over_lines_ends_before_its_first_section() -> None:
    text = (
        "一、总体要求\n（一）发展目标\n" + WRAP + "到2025年取得进展。\n"
        "二、推动智能产品适老化设计，提升老年人智能技术运\n用能力\n（一）增强产品适老化设计。推动企业开展设计。\n"
        "三、保障措施\n（一）加强领导。要抓好落实。\n"
    )
    doc = parse(text, preamble="")
    assert titles(doc, Kind.TASK) == ["推动智能产品适老化设计，提升老年人智能技术运用能力"]
    assert titles(doc, Kind.SUBTASK) == ["增强产品适老化设计"]


def test_text_with_one_paragraph_per_line_is_not_rewrapped_unless_a_line_stops_mid_sentence() -> None:
    long = "推进产业链上下游协同创新，完善产业生态体系，培育一批具有国际竞争力的龙头企业和专精特新企业" * 3
    text = (
        "一、重点任务\n（一）建设平台\n"
        f"{long}。\n"
        f"{long}、\n"
        "以及配套的服务体系。\n"
        "二、保障措施\n（一）加强领导。要抓好落实。\n"
    )
    doc = parse(text)
    task = doc.by_kind(Kind.TASK)[0]
    assert task.text.count("\n") == 2  # heading, first paragraph, second paragraph (joined)
    assert task.text.endswith("、以及配套的服务体系。")


def test_a_box_split_by_a_page_break_repeats_its_header_and_is_read_once() -> None:
    doc = parse(
        BOX_TEXT.format(
            box="专栏 1 重点工程\n1.建设数据中心。\n专栏 1 重点工程（续）\n2.开放共享数据。\n3.保障数据安全。"
        )
    )
    (column,) = doc.by_kind(Kind.COLUMN)
    assert [c.title for c in column.children] == ["建设数据中心", "开放共享数据", "保障数据安全"]
    assert any(w.code == "I301" for w in doc.warnings)


def test_layout_text_a_framed_box_is_double_spaced_and_ends_at_the_single_spaced_body() -> None:
    body = "推进企业数字化转型，完善产业生态体系，培育一批龙头企业，推动产业链上下游协\n" * 3
    text = (
        "一、主要任务\n（一）推动产业链升级\n"
        "  聚力攻坚基础软件。" + body + "同创新发展。\n"
        "          专栏 1 关键基础软件补短板\n\n"
        "  操作系统。加强操作系统总体架构设计和技术路径规划，推动芯片设计企业联\n\n"
        "合攻关。\n\n\n"
        "  数据库。突破全内存高速数据引擎、高可靠数据存储引擎等关键技术，推动应\n\n"
        "用。\n\n\n"
        "  重点突破工业软件。" + body + "同创新发展。\n"
        "二、保障措施\n（一）加强组织领导。各地区要抓好落实。\n"
    )
    doc = parse(text, preamble="")
    (column,) = doc.by_kind(Kind.COLUMN)
    assert [c.title for c in column.children] == ["操作系统", "数据库"]
    assert titles(doc, Kind.SUBTASK) == ["聚力攻坚基础软件", "重点突破工业软件"]


def test_a_group_name_printed_on_its_own_line_is_centred_on_its_rows() -> None:
    """A PDF of a table with rowspan groups prints each group name at the middle of its rows."""
    rows = [
        "序号\t类别\t指标\t2020年\t2025年\t属性",
        "\t总体\t发展指数\t85\t95\t预期性",
        "1\t网民规模（亿）\t9.89\t12\t预期性",
        "2\t用户普及率（%）\t15\t56\t预期性",
        "\t数字设施",
        "3\t光纤接入用户（万户）\t640\t6000\t预期性",
        "4\t活跃用户数（亿）\t4.62\t8\t预期性",
    ]
    text = (
        "一、总体要求\n（一）发展目标\n到2025年，数字化水平明显提升。\n“十四五”信息化发展主要指标\n"
        + "\n".join(rows)
        + "\n二、保障措施\n（一）加强组织领导。各地区要抓好落实。\n"
    )
    doc = parse(text)
    got = [(i.title, i.indicator.category if i.indicator else None) for i in doc.by_kind(Kind.INDICATOR)]
    assert got == [
        ("发展指数", "总体"),
        ("网民规模", "数字设施"),
        ("用户普及率", "数字设施"),
        ("光纤接入用户", "数字设施"),
        ("活跃用户数", "数字设施"),
    ]
