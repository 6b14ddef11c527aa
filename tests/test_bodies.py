"""Responsible bodies beyond the lexicon (ingest/bodies.py) and the item notes, rule by rule.

Each case is a sentence of the genre and the bodies the recogniser must read in it — exactly those, in
order: a false body (一批企业, 人民群众, half a sentence) fails as surely as a missed one. The sentences are
written for these tests after the forms real plans use; none is copied from the corpus.
"""

from __future__ import annotations

import pytest

from plangraph.ingest.bodies import find_bodies, find_notes, is_body_like
from plangraph.ingest.models import Element, EntityKind, PlanDocument, PlanMeta, Role
from plangraph.ingest.pipeline import parse_bytes

C = pytest.param

# -- the recogniser: sentence → bodies, in order ---------------------------------------------------

BODIES = [
    # a level + the stem of a department name + an organ's suffix
    C("省教育厅、省财政厅要加大投入。", ["省教育厅", "省财政厅"], id="level-organ"),
    C(
        "市工业和信息化局、市大数据局、市发展改革委按职责推进。",
        ["市工业和信息化局", "市大数据局", "市发展改革委"],
        id="level-stems",
    ),
    C("由省人力资源社会保障厅会同省委组织部推进。", ["省人力资源社会保障厅", "省委组织部"], id="long-stem"),
    C("省人大定期开展执法检查。", ["省人大"], id="level-bare-renda"),
    C("在省委省政府的坚强领导下。", ["省委", "省政府"], id="two-organs-side-by-side"),
    C("县级政府和乡镇政府要落实责任。", ["县级政府", "乡镇政府"], id="level-government"),
    # a place + …
    C("抓好湖北省文化和旅游厅部署的工作。", ["湖北省文化和旅游厅"], id="place-organ-with-he"),
    C(
        "发挥青岛海洋科学与技术国家实验室的龙头作用。",
        ["青岛海洋科学与技术国家实验室"],
        id="place-lab-with-yu",
    ),
    C("依托崂山区政府建设示范区。", ["崂山区政府"], id="place-district"),
    # 和/与 between two names splits, inside one it stays
    C("省教育厅和省财政厅联合印发方案。", ["省教育厅", "省财政厅"], id="he-between-names"),
    C("鼓励职业院校与软件企业深化合作。", ["职业院校", "软件企业"], id="yu-between-names"),
    C("鼓励政策性银行和开发性金融机构加大支持。", ["政策性银行", "开发性金融机构"], id="he-between-classes"),
    C("打造一批标志性产品和领军企业。", ["领军企业"], id="he-not-in-class-noun"),
    # named organs: a modifier is enough, a verb may stand before the suffix
    C("成立人工智能战略咨询委员会，研究重大问题。", ["人工智能战略咨询委员会"], id="named-committee"),
    C("成立算力战略咨询专家委员会。", ["算力战略咨询专家委员会"], id="named-committee-new-word"),
    C("成立人工智能规划推进办公室，办公室设在科技部。", ["人工智能规划推进办公室"], id="named-office-verb"),
    C(
        "由国家科技体制改革和创新体系建设领导小组牵头。",
        ["国家科技体制改革和创新体系建设领导小组"],
        id="long-leading-group",
    ),
    C("提请中央政治局常委会审议。", ["中央政治局常委会"], id="standing-committee"),
    C("调整省政府教育督导委员会的职责。", ["省政府教育督导委员会"], id="unit-of-a-government"),
    # classes of organisations: leading verbs dropped
    C("鼓励金融机构加大信贷支持。", ["金融机构"], id="class-after-verb"),
    C("充分发挥产业联盟、标准组织的引导作用。", ["产业联盟", "标准组织"], id="class-after-fahui"),
    C("发展第三方服务机构，加强测试认证。", ["第三方服务机构"], id="class-third-party"),
    C("充分发挥行业中介组织、专业机构的作用。", ["行业中介组织", "专业机构"], id="class-enumeration"),
    C("造船企业应推进智能化转型。", ["造船企业"], id="class-sector"),
    C("鼓励医疗机构开展远程会诊。", ["医疗机构"], id="class-medical"),
    C("指导和支持标准组织、行业协会研制标准。", ["标准组织", "行业协会"], id="class-after-two-verbs"),
    C(
        "环境保护部门要加强指导，发展改革部门要制定政策，工业部门要加快改造。",
        ["环境保护部门", "发展改革部门", "工业部门"],
        id="department-classes",
    ),
    C("支持劳动密集型企业开展技术改造。", ["劳动密集型企业"], id="class-verbal-noun-inside"),
    # collectives and levels with a class noun
    C("工业和信息化部会同有关部门做好组织实施。", ["有关部门"], id="collective-youguan"),
    C("相关行业组织要发挥桥梁作用。", ["相关行业组织"], id="collective-xiangguan"),
    C(
        "各级药品监管部门要高度重视，吸纳省级药品监管部门参与。",
        ["各级药品监管部门", "省级药品监管部门"],
        id="collective-levels",
    ),
    C("各地商务主管部门要加强组织领导。", ["各地商务主管部门"], id="collective-gedi"),
    # a unit of a body, and the plan's own short name kept as written
    C("发挥国家局信息中心的作用，国家局加强统筹。", ["国家局信息中心", "国家局"], id="unit-and-short-name"),
    C("打通国家局数据中心的信息孤岛。", ["国家局"], id="body-of-a-data-centre"),
    # false bodies the rules must not read
    C("培育一批企业，服务人民群众，激发各类主体活力，振兴实体经济。", [], id="no-quantified-or-generic"),
    C("培育一批专精特新企业和若干科研机构。", [], id="no-quantifier-before-class"),
    C("优化布局，统一部署，加强干部队伍建设，举办博览会。", [], id="no-words-ending-in-suffix-chars"),
    C("建设数字政府，推进法治政府建设。", [], id="no-organ-without-anchor"),
    C("加强组织领导，组织实施重大工程。", [], id="no-zuzhi-as-verb"),
    C("帮助老年人学会使用智能手机。", [], id="no-xuehui-as-verb"),
    C("统筹科研项目组织和生产组织。", [], id="no-zuzhi-of-activities"),
    C("建设国家数据中心和城市计算中心。", [], id="no-facilities"),
    C("支持香港建设国际创新科技中心。", [], id="no-verb-after-place"),
    C("各地区要切实加强组织领导。", [], id="no-half-sentence"),
    C("建立中国特色现代企业制度，深化机构改革。", [], id="no-class-noun-as-modifier"),
    C("培育高能级企业和有条件企业。", [], id="no-glued-or-qualified"),
    C("推动不同领域企业融通发展。", [], id="no-adjective-fragment"),
    C("全国政府网站集约化水平提升。", [], id="no-quanguo-zhengfu"),
    C("保护全国重点文物保护单位和省级文物保护单位。", [], id="no-heritage-sites"),
    C("构建居家社区机构相协调的养老服务体系。", [], id="no-care-triad"),
    C("逐步形成部门间协同机制。", [], id="no-split-predicate-word"),
    C("落实《湖北省文物局关于加强文物安全的通知》。", [], id="no-body-inside-title"),
    C("（责任单位：市科技局）", ["市科技局"], id="note-label-is-no-body"),
]


@pytest.mark.parametrize(("text", "bodies"), BODIES)
def test_find_bodies(text: str, bodies: list[str]) -> None:
    found = find_bodies(text)
    assert [f.surface for f in found] == bodies
    for f in found:
        assert text[f.start : f.end] == f.surface


def test_find_bodies_is_deterministic_and_independent_of_the_global_segmenter() -> None:
    import jieba

    text = "鼓励金融机构和行业协会参与，市工业和信息化局、省人大、国家局信息中心负责。"
    before = find_bodies(text)
    jieba.add_word("金融机构和行业", 100000)  # another user of the global jieba dictionary
    try:
        assert find_bodies(text) == before == find_bodies(text)
    finally:
        jieba.del_word("金融机构和行业")


# -- the notes: text → (body, role, cue) -------------------------------------------------------------

NOTES = [
    C(
        "（责任单位：市工业和信息化局、市大数据局，青岛海洋科技中心）",
        [
            ("市工业和信息化局", "lead", "责任单位"),
            ("市大数据局", "implement", "责任单位"),
            ("青岛海洋科技中心", "implement", "责任单位"),
        ],
        id="label",
    ),
    C(
        "（省教育厅、省财政厅负责）",
        [("省教育厅", "lead", "负责"), ("省财政厅", "implement", "负责")],
        id="fuze",
    ),
    C(
        "（省委教育工委、团省委负责，列第一位者为牵头部门，下同）",
        [("省委教育工委", "lead", "负责"), ("团省委", "implement", "负责")],
        id="fuze-with-tail",
    ),
    C(
        "（省科技厅牵头，省财政厅、省教育厅参与）",
        [("省科技厅", "lead", "牵头"), ("省财政厅", "implement", "参与"), ("省教育厅", "implement", "参与")],
        id="qiantou-canyu",
    ),
    C("（省教育厅牵头）", [("省教育厅", "lead", "牵头")], id="qiantou-alone"),
    C("（各有关部门按职责分工负责）", [("各有关部门", "implement", "按职责分工负责")], id="fengong"),
    C(
        "（牵头单位：省科技厅；配合单位：省财政厅）",
        [("省科技厅", "lead", "牵头单位"), ("省财政厅", "implement", "配合单位")],
        id="role-labels",
    ),
    C(
        "（责任单位：市工业和信息化局及专班成员单位，各区、市政府）",
        [
            ("市工业和信息化局", "lead", "责任单位"),
            ("专班成员单位", "implement", "责任单位"),
            ("各区、市政府", "implement", "责任单位"),
        ],
        id="ji-and-collective",
    ),
    C(
        "（国家发展改革委、工业和信息化部等负责）",
        [("国家发展改革委", "lead", "负责"), ("工业和信息化部", "implement", "负责")],
        id="lexicon-bodies-deng",
    ),
    C("（试行）", [], id="no-trial"),
    C("（2021—2025年）", [], id="no-years"),
    C("（银行、证券、保险等）", [], id="no-list-of-kinds"),
    C("（由企业负责）", [], id="no-you-qiye"),
    C("（企业负责）", [], id="no-bare-class"),
    C("（牵头抓总，统筹推进）", [], id="no-running-text"),
]


@pytest.mark.parametrize(("text", "items"), NOTES)
def test_find_notes(text: str, items: list[tuple[str, str, str]]) -> None:
    notes = find_notes(text)
    got = [(i.surface, i.role, i.cue) for n in notes for i in n.items]
    assert got == items
    for n in notes:
        assert text[n.start : n.end] == n.text
        for i in n.items:
            assert text[i.start : i.end] == i.surface


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("团省委", True),
        ("省残联", True),
        ("各区、市政府", True),
        ("由企业", False),
        ("银行", False),
        ("证券", False),
    ],
)
def test_is_body_like(name: str, ok: bool) -> None:
    assert is_body_like(name) is ok


# -- through the pipeline: mentions and responsibilities of the element ------------------------------

PLAN = """\
一、重点任务
（一）建设算力设施。统筹布局算力中心，优化边缘算力供给。（责任单位：市工业和信息化局、市大数据局、市发展改革委）
（二）培养数字人才。鼓励职业院校与软件企业深化校企合作。（省教育厅、省人力资源社会保障厅负责）
（三）完善标准体系。指导标准组织、行业协会研制急需标准。（省市场监管局牵头，省工业和信息化厅参与）
二、保障措施
（一）加强组织领导。在省委省政府的统一领导下，由省大数据局牵头建立工作机制。各地商务主管部门要加强协调。
（二）加大金融支持。鼓励金融机构加大信贷支持，一批企业和人民群众从中受益。
"""


@pytest.fixture(scope="module")
def plan() -> PlanDocument:
    return parse_bytes(PLAN.encode(), PlanMeta(id="t"), name="t.txt")


def _element(doc: PlanDocument, title: str) -> Element:
    return next(e for e in doc.elements() if e.title == title)


def _bodies(doc: PlanDocument) -> set[str]:
    return {m.name for e in doc.elements() for m in e.mentions if m.kind == EntityKind.BODY}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "建设算力设施",
            [
                ("市工业和信息化局", Role.LEAD, "责任单位"),
                ("市大数据局", Role.IMPLEMENT, "责任单位"),
                ("市发展改革委", Role.IMPLEMENT, "责任单位"),
            ],
        ),
        (
            "培养数字人才",
            [("省教育厅", Role.LEAD, "负责"), ("省人力资源社会保障厅", Role.IMPLEMENT, "负责")],
        ),
        ("完善标准体系", [("省市场监管局", Role.LEAD, "牵头"), ("省工业和信息化厅", Role.IMPLEMENT, "参与")]),
    ],
)
def test_note_responsibilities(plan: PlanDocument, title: str, expected: list[tuple[str, Role, str]]) -> None:
    e = _element(plan, title)
    assert [(r.body, r.role, r.cue) for r in e.responsibilities] == expected
    original = PLAN
    for r in e.responsibilities:
        assert r.evidence.startswith("（") and r.evidence.endswith("）")
        assert original[r.span.char_start : r.span.char_end] == r.evidence  # the note, cited in place


def test_existing_cues_take_recognised_bodies(plan: PlanDocument) -> None:
    e = _element(plan, "加强组织领导")
    got = {(r.body, r.role, r.cue) for r in e.responsibilities}
    assert ("省委", Role.LEAD, "统一领导") in got
    assert ("省政府", Role.LEAD, "统一领导") in got
    assert ("省大数据局", Role.LEAD, "牵头") in got
    assert ("各地商务主管部门", Role.COORDINATE, "协调") in got


def test_pipeline_mentions(plan: PlanDocument) -> None:
    bodies = _bodies(plan)
    assert {"职业院校", "软件企业", "标准组织", "行业协会", "金融机构", "各地商务主管部门"} <= bodies
    assert not bodies & {"一批企业", "企业", "人民群众", "算力中心", "责任单位"}
    for e in plan.elements():
        for m in e.mentions:
            assert PLAN[m.span.char_start : m.span.char_end] == m.surface


# -- the bundled plan: what the lexicon found is still found, and no false bodies --------------------

#: The Body mentions the bundled plan had before the recogniser (lexicon only): canonical names.
BUNDLED_BEFORE = {
    "世界贸易组织",
    "中国—中东欧国家海关信息中心",
    "中国共产党中央委员会",
    "中央网络安全和信息化委员会",
    "中央网络安全和信息化委员会办公室",
    "二十国集团",
    "互联网法院",
    "亚太经合组织",
    "人民代表大会",
    "人民政协",
    "党中央各部门",
    "各地区",
    "各地区、各部门",
    "各地区网络安全和信息化委员会",
    "各相关部门",
    "各级政府",
    "国务院有关部门",
    "国家发展改革委",
    "国家科技伦理委员会",
    "地方政府",
    "金砖国家",
}


def test_bundled_plan_keeps_its_bodies(bundled_doc: PlanDocument) -> None:
    bodies = _bodies(bundled_doc)
    assert bodies >= BUNDLED_BEFORE, sorted(BUNDLED_BEFORE - bodies)
    assert {"金融机构", "行业协会", "第三方服务机构", "科研院所", "相关部门", "监管部门"} <= bodies
    assert not bodies & {"一批企业", "数字企业", "企业", "人民群众", "居家社区机构", "数字政府", "实体经济"}
    assert not any(b.startswith(("一批", "各类", "支持", "鼓励", "推动", "加强")) for b in bodies)
