"""Genre variants: small hand-written plans (tests/fixtures/genre/) and what the parser must make of them.

Each fixture shows one or a few conventions of the genre (see GENRE.md): numbering variants, the
第X章 outline, skipped levels and continued numbering, headings with and without 。, lead sentences,
专栏 boxes, indicator tables (flattened PDF text, captioned tables, HTML <table>), 优先行动 targets,
responsibilities, HTML input, encodings, numbers at the start of wrapped lines, page numbers.

The tests are tables of expectations. Every test also checks the span invariant of the whole document
(``assert_spans``): each element's span lies in the decoded original file, its line numbers agree with its
character offsets, it contains the element's title and own text, it lies inside its parent's span, and
mention / responsibility spans point at their surface / evidence.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import pytest
import yaml

from plangraph.ingest.models import Element, Kind, PlanDocument, PlanMeta, Role, SourceSpan
from plangraph.ingest.pipeline import parse_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "genre"
BODIES_YAML = Path(__file__).parent.parent / "ingest" / "lexicons" / "bodies.yaml"
ALL_FIXTURES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html"))


# -- helpers ----------------------------------------------------------------------------------------


def decode_original(data: bytes) -> str:
    """The decoded file, independently of the parser: UTF-8 (BOM dropped) or GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def key(s: str) -> str:
    """Comparison key: PDF glyph 臵 folded to 置, full-width → half-width, white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s.replace("臵", "置")))


def visible(raw: str, fmt: str) -> str:
    """What a reader sees of a stretch of the original: HTML tags dropped and entities resolved."""
    if fmt != "html":
        return raw
    return html.unescape(re.sub(r"<[^>]*>", "", raw))


@cache
def _parse(name: str) -> tuple[PlanDocument, str]:
    data = (FIXTURES / name).read_bytes()
    return parse_bytes(data, PlanMeta(id="fx"), name=name), decode_original(data)


def load(name: str) -> PlanDocument:
    """Parse a fixture (once) and check the span invariant of every element."""
    doc, original = _parse(name)
    assert_spans(doc, original)
    return doc


def _line_of(original: str, offset: int) -> int:
    return original.count("\n", 0, offset) + 1


def _check_span(span: SourceSpan, original: str, what: str) -> None:
    assert 0 <= span.char_start < span.char_end <= len(original), f"{what}: span {span} outside the file"
    assert span.line_start == _line_of(original, span.char_start), f"{what}: line_start {span}"
    assert span.line_end == _line_of(original, span.char_end - 1), f"{what}: line_end {span}"


def span_text(original: str, span: SourceSpan, fmt: str, dropped: frozenset[int]) -> str:
    """The visible text of a span, without the page-number lines the parser reported dropping (a span
    across a page break contains the page number in the original)."""
    chunks = original[span.char_start : span.char_end].split("\n")
    kept = [c for i, c in enumerate(chunks, start=span.line_start) if i not in dropped]
    return visible("\n".join(kept), fmt)


def assert_spans(doc: PlanDocument, original: str) -> None:
    fmt = doc.source.format
    assert doc.source.chars == len(original)
    dropped = frozenset(w.line for w in doc.warnings if w.code == "I001" and w.line is not None)

    def walk(e: Element, parent: Element | None) -> None:
        what = f"{e.kind.value} {e.eid} {e.title[:20]!r}"
        _check_span(e.span, original, what)
        seen = key(span_text(original, e.span, fmt, dropped))
        if e.kind != Kind.PLAN:  # the plan's title comes from metadata
            assert key(e.title) in seen, f"{what}: title not in its span"
        for line in e.text.split("\n"):
            assert key(line) in seen, f"{what}: own text {line[:20]!r} not in its span"
        if parent is not None:
            assert parent.span.char_start <= e.span.char_start and e.span.char_end <= parent.span.char_end, (
                f"{what}: span {e.span} not inside its parent {parent.eid} {parent.span}"
            )
        for m in e.mentions:
            _check_span(m.span, original, f"{what} mention {m.surface}")
            assert key(visible(original[m.span.char_start : m.span.char_end], fmt)) == key(m.surface), what
        for r in e.responsibilities:
            _check_span(r.span, original, f"{what} responsibility {r.body}")
            assert key(r.evidence) in key(span_text(original, r.span, fmt, dropped)), what
        for c in e.children:
            walk(c, e)

    walk(doc.root, None)


def by_eid(doc: PlanDocument, eid: str) -> Element:
    found = [e for e in doc.elements() if e.eid == eid]
    assert found, f"no element {eid}; have: {[(e.eid, e.title[:16]) for e in doc.elements()]}"
    return found[0]


def parent_of(doc: PlanDocument, eid: str) -> Element | None:
    for e in doc.root.walk():
        if any(c.eid == eid for c in e.children):
            return e
    return None


@lru_cache(maxsize=1)
def lexicon_bodies() -> frozenset[str]:
    return frozenset(item["name"] for item in yaml.safe_load(BODIES_YAML.read_text(encoding="utf-8")))


# -- the span invariant, for every fixture ----------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_span_invariant(name: str) -> None:
    doc = load(name)
    assert doc.complete, doc.warnings
    assert doc.elements()


# -- elements: kind, title, ordinal, parent ---------------------------------------------------------

E = pytest.param
ELEMENTS = [
    # 1. numbering variants (single-line paragraphs, no trailing spaces)
    E("numbering.txt", "fx/part-2", Kind.PART, "主要任务", 2, "fx", id="num-part-heading-ends-with-period"),
    E(
        "numbering.txt",
        "fx/task-1",
        Kind.TASK,
        "加快乡村信息基础设施建设",
        1,
        "fx/part-2",
        id="num-ascii-paren-cn",
    ),
    E(
        "numbering.txt",
        "fx/task-2",
        Kind.TASK,
        "推动数字技术与农业农村融合应用",
        2,
        "fx/part-2",
        id="num-fullwidth-paren-heading-with-period",
    ),
    E(
        "numbering.txt",
        "fx/task-3",
        Kind.TASK,
        "提升乡村数字治理水平",
        3,
        "fx/part-2",
        id="num-ascii-paren-3",
    ),
    E(
        "numbering.txt",
        "fx/task-1/subtask-1",
        Kind.SUBTASK,
        "加快农村宽带网络建设",
        1,
        "fx/task-1",
        id="num-ascii-dot-heading-line-without-period",
    ),
    E(
        "numbering.txt",
        "fx/task-1/subtask-2",
        Kind.SUBTASK,
        "推进5G网络向乡村延伸",
        2,
        "fx/task-1",
        id="num-ascii-dot-space",
    ),
    E(
        "numbering.txt",
        "fx/task-1/subtask-3",
        Kind.SUBTASK,
        "提升农业物联网感知能力",
        3,
        "fx/task-1",
        id="num-fullwidth-dot",
    ),
    E(
        "numbering.txt",
        "fx/task-1/subtask-4",
        Kind.SUBTASK,
        "推动乡村基础设施数字化改造",
        4,
        "fx/task-1",
        id="num-fullwidth-dot-space",
    ),
    E(
        "numbering.txt",
        "fx/task-2/subtask-1",
        Kind.SUBTASK,
        "发展智慧农业",
        1,
        "fx/task-2",
        id="num-deep-levels",
    ),
    E(
        "numbering.txt",
        "fx/task-2/subtask-2",
        Kind.SUBTASK,
        "繁荣乡村网络文化",
        2,
        "fx/task-2",
        id="num-after-deep-levels",
    ),
    E(
        "numbering.txt",
        "fx/task-3/subtask-1",
        Kind.SUBTASK,
        "推动“互联网+政务服务”向乡村延伸",
        1,
        "fx/task-3",
        id="num-arabic-dunhao",
    ),
    E(
        "numbering.txt",
        "fx/measure-1",
        Kind.MEASURE,
        "加强组织领导",
        1,
        "fx/part-3",
        id="num-measure-with-period",
    ),
    E(
        "numbering.txt",
        "fx/measure-2",
        Kind.MEASURE,
        "强化资金保障",
        2,
        "fx/part-3",
        id="num-measure-no-period",
    ),
    E(
        "numbering.txt",
        "fx/achievement-1",
        Kind.ACHIEVEMENT,
        "农村网络基础设施全面升级",
        1,
        "fx/part-1",
        id="num-single-line-paragraph-1",
    ),
    E(
        "numbering.txt",
        "fx/achievement-2",
        Kind.ACHIEVEMENT,
        "农村电子商务快速发展",
        2,
        "fx/part-1",
        id="num-single-line-paragraph-2",
    ),
    # 2. 第一章/第一节 outline with 专栏 in chapters
    E("outline.txt", "fx/part-1", Kind.PART, "发展基础", 1, "fx", id="outline-chapter-1"),
    E("outline.txt", "fx/part-1/section-1", Kind.SECTION, "发展成就", 1, "fx/part-1", id="outline-jie"),
    E(
        "outline.txt",
        "fx/achievement-2",
        Kind.ACHIEVEMENT,
        "产业数字化转型加快推进",
        2,
        "fx/part-1/section-1",
        id="outline-achievement",
    ),
    E(
        "outline.txt",
        "fx/part-2/section-2",
        Kind.SECTION,
        "发展目标",
        2,
        "fx/part-2",
        id="outline-goal-section",
    ),
    E("outline.txt", "fx/part-3", Kind.PART, "主要任务", 3, "fx", id="outline-task-chapter"),
    E("outline.txt", "fx/task-1", Kind.TASK, "做强数字产业", 1, "fx/part-3", id="outline-task-1"),
    E("outline.txt", "fx/task-2", Kind.TASK, "推进产业数字化", 2, "fx/part-3", id="outline-task-2"),
    E(
        "outline.txt",
        "fx/task-1/subtask-3",
        Kind.SUBTASK,
        "发展数字内容产业",
        3,
        "fx/task-1",
        id="outline-subtask-after-box",
    ),
    E(
        "outline.txt",
        "fx/task-2/subtask-2",
        Kind.SUBTASK,
        "加快农业数字化转型",
        2,
        "fx/task-2",
        id="outline-subtask-after-box-2",
    ),
    E("outline.txt", "fx/measure-2", Kind.MEASURE, "强化要素保障", 2, "fx/part-4", id="outline-measure"),
    # 3. skipped level (一、 → 1.) and numbering continued across parts
    E("skip_level.txt", "fx/task-1", Kind.TASK, "建设全民健身信息服务平台", 1, "fx/part-2", id="skip-task-1"),
    E("skip_level.txt", "fx/task-3", Kind.TASK, "发展智能体育装备和服务", 3, "fx/part-2", id="skip-task-3"),
    E(
        "skip_level.txt",
        "fx/action-1",
        Kind.ACTION,
        "开展智慧健身路径建设行动",
        4,
        "fx/part-3",
        id="skip-continued-4",
    ),
    E(
        "skip_level.txt",
        "fx/action-2",
        Kind.ACTION,
        "开展全民健身数据共享行动",
        5,
        "fx/part-3",
        id="skip-continued-5",
    ),
    E("skip_level.txt", "fx/measure-1", Kind.MEASURE, "加强组织领导", 6, "fx/part-4", id="skip-continued-6"),
    E("skip_level.txt", "fx/measure-2", Kind.MEASURE, "强化经费保障", 7, "fx/part-4", id="skip-continued-7"),
    # 5. lead sentences
    E(
        "lead_sentences.txt",
        "fx/part-1/section-1",
        Kind.SECTION,
        "指导思想",
        1,
        "fx/part-1",
        id="lead-guidance",
    ),
    E("lead_sentences.txt", "fx/task-1", Kind.TASK, "推进交通基础设施数字化", 1, "fx/part-2", id="lead-task"),
    # 6. 专栏
    E(
        "columns.txt",
        "fx/task-1/subtask-2",
        Kind.SUBTASK,
        "提升算力供给能力",
        2,
        "fx/task-1",
        id="col-subtask-resumes-after-box",
    ),
    E(
        "columns.txt",
        "fx/task-3/subtask-1",
        Kind.SUBTASK,
        "布局建设重大科技基础设施",
        1,
        "fx/task-3",
        id="col-numbered-subtask-before-box",
    ),
    E(
        "columns.txt",
        "fx/task-3/subtask-2",
        Kind.SUBTASK,
        "建设产业创新基础设施",
        2,
        "fx/task-3",
        id="col-numbered-subtask-after-box",
    ),
    # 10. HTML
    E("plan.html", "fx/part-1", Kind.PART, "发展现状和形势", 1, "fx", id="html-first-part-after-notice"),
    E("plan.html", "fx/part-2/section-1", Kind.SECTION, "发展目标", 1, "fx/part-2", id="html-h2-section"),
    E("plan.html", "fx/task-1", Kind.TASK, "优化升级数字基础设施", 1, "fx/part-3", id="html-task"),
    E(
        "plan.html",
        "fx/task-1/subtask-1",
        Kind.SUBTASK,
        "加快建设信息网络基础设施",
        1,
        "fx/task-1",
        id="html-bold-lead",
    ),
    E(
        "plan.html",
        "fx/task-1/subtask-2",
        Kind.SUBTASK,
        "推进云网协同和算网融合发展",
        2,
        "fx/task-1",
        id="html-subtask-after-box",
    ),
    # 11. encodings (臵 in the source heading, 置 in the title)
    E(
        "small_utf8.txt",
        "fx/task-1",
        Kind.TASK,
        "优化数据资源配置",
        1,
        "fx/part-2",
        id="enc-utf8-folded-glyph",
    ),
    E("small_gbk.txt", "fx/task-1", Kind.TASK, "优化数据资源配置", 1, "fx/part-2", id="enc-gbk-folded-glyph"),
    E(
        "small_utf8_bom.txt",
        "fx/task-1",
        Kind.TASK,
        "优化数据资源配置",
        1,
        "fx/part-2",
        id="enc-bom-folded-glyph",
    ),
    # 12. numbers at the start of wrapped lines
    E(
        "wrapped_numbers.txt",
        "fx/achievement-2",
        Kind.ACHIEVEMENT,
        "网络基础设施能力大幅提升",
        2,
        "fx/part-1",
        id="wrap-7.8-not-a-heading",
    ),
    E(
        "wrapped_numbers.txt",
        "fx/task-1/subtask-2",
        Kind.SUBTASK,
        "全面推进 IPv6 规模部署",
        2,
        "fx/task-1",
        id="wrap-box-item-starting-with-5G",
    ),
    # 13. page numbers
    E(
        "page_numbers.txt",
        "fx/task-1/subtask-2",
        Kind.SUBTASK,
        "推动数字资源开放共享",
        2,
        "fx/task-1",
        id="page-subtask-across-page-break",
    ),
]


@pytest.mark.parametrize(("name", "eid", "kind", "title", "ordinal", "parent"), ELEMENTS)
def test_element(name: str, eid: str, kind: Kind, title: str, ordinal: int | None, parent: str) -> None:
    doc = load(name)
    e = by_eid(doc, eid)
    assert (e.kind, e.title) == (kind, title)
    if ordinal is not None:
        assert e.ordinal == ordinal
    p = parent_of(doc, eid)
    assert p is not None and p.eid == parent


COUNTS = [
    E("numbering.txt", Kind.PART, 3, id="num-parts"),
    E("numbering.txt", Kind.TASK, 3, id="num-tasks"),
    E("numbering.txt", Kind.SUBTASK, 8, id="num-subtasks"),
    E("numbering.txt", Kind.MEASURE, 2, id="num-measures"),
    E("numbering.txt", Kind.ACHIEVEMENT, 2, id="num-single-line-achievements"),
    E("outline.txt", Kind.PART, 4, id="outline-parts"),
    E("outline.txt", Kind.SECTION, 4, id="outline-sections"),
    E("outline.txt", Kind.ACHIEVEMENT, 2, id="outline-achievements"),
    E("outline.txt", Kind.GOAL, 3, id="outline-goals"),
    E("outline.txt", Kind.TASK, 2, id="outline-tasks"),
    E("outline.txt", Kind.SUBTASK, 5, id="outline-subtasks"),
    E("outline.txt", Kind.COLUMN, 2, id="outline-columns"),
    E("outline.txt", Kind.COLUMN_ITEM, 5, id="outline-column-items"),
    E("outline.txt", Kind.MEASURE, 2, id="outline-measures"),
    E("skip_level.txt", Kind.TASK, 3, id="skip-tasks"),
    E("skip_level.txt", Kind.ACTION, 2, id="skip-actions"),
    E("skip_level.txt", Kind.MEASURE, 2, id="skip-measures"),
    E("skip_level.txt", Kind.SECTION, 0, id="skip-no-sections"),
    E("lead_sentences.txt", Kind.PRINCIPLE, 3, id="lead-principles"),
    E("lead_sentences.txt", Kind.GOAL, 4, id="lead-goals"),
    E("lead_sentences.txt", Kind.TASK, 2, id="lead-tasks"),
    E("lead_sentences.txt", Kind.SUBTASK, 4, id="lead-subtasks"),
    E("columns.txt", Kind.COLUMN, 4, id="col-columns"),
    E("columns.txt", Kind.COLUMN_ITEM, 9, id="col-items"),
    E("columns.txt", Kind.SUBTASK, 5, id="col-subtasks"),
    E("indicators_pdf.txt", Kind.INDICATOR, 5, id="ind-pdf"),
    E("indicators_captioned.txt", Kind.INDICATOR, 6, id="ind-captioned"),
    E("plan.html", Kind.PART, 4, id="html-parts-notice-is-not-a-part"),
    E("plan.html", Kind.INDICATOR, 3, id="html-indicators"),
    E("plan.html", Kind.COLUMN_ITEM, 2, id="html-column-items"),
    E("actions_measures.txt", Kind.ACTION, 2, id="act-actions"),
    E("actions_measures.txt", Kind.TARGET, 4, id="act-targets"),
    E("actions_measures.txt", Kind.ACTION_ITEM, 4, id="act-items"),
    E("actions_measures.txt", Kind.MEASURE, 2, id="act-measures"),
    E("wrapped_numbers.txt", Kind.ACHIEVEMENT, 2, id="wrap-achievements"),
    E("wrapped_numbers.txt", Kind.SUBTASK, 2, id="wrap-subtasks"),
    E("wrapped_numbers.txt", Kind.COLUMN_ITEM, 2, id="wrap-column-items"),
    E("page_numbers.txt", Kind.INDICATOR, 3, id="page-indicators"),
    E("page_numbers.txt", Kind.SUBTASK, 2, id="page-subtasks"),
]


@pytest.mark.parametrize(("name", "kind", "n"), COUNTS)
def test_count(name: str, kind: Kind, n: int) -> None:
    doc = load(name)
    assert len(doc.by_kind(kind)) == n, [e.title[:20] for e in doc.by_kind(kind)]


# -- lead sentences ---------------------------------------------------------------------------------

LEADS = [
    E("lead_sentences.txt", "fx/principle-1", "坚持创新驱动", id="principle-1"),
    E("lead_sentences.txt", "fx/principle-2", "坚持需求牵引", id="principle-2"),
    E("lead_sentences.txt", "fx/principle-3", "坚持安全可控", id="principle-3"),
    E("lead_sentences.txt", "fx/goal-overall", None, id="overall-goal-has-no-lead"),
    E("lead_sentences.txt", "fx/goal-1", "基础设施数字化水平显著提升", id="goal-1"),
    E("lead_sentences.txt", "fx/goal-2", "运输服务智能化水平持续提高", id="goal-2"),
    E("lead_sentences.txt", "fx/goal-3", "行业治理能力明显增强", id="goal-3"),
    E("lead_sentences.txt", "fx/task-1/subtask-1", "推动公路数字化升级", id="subtask-1"),
    E("lead_sentences.txt", "fx/task-1/subtask-2", "加快港口智能化改造", id="subtask-2"),
    E("lead_sentences.txt", "fx/task-2/subtask-2", "推进智慧物流发展", id="subtask-2-2"),
    E("outline.txt", "fx/goal-1", "数字产业竞争力全面提升", id="outline-goal-1"),
    E("outline.txt", "fx/task-1/subtask-1", "提升集成电路产业链水平", id="outline-subtask"),
    E("plan.html", "fx/achievement-2", "数字技术创新能力持续提升", id="html-achievement"),
    E("actions_measures.txt", "fx/action-1/item-2", "建设数字技能学习资源库", id="action-item"),
]


@pytest.mark.parametrize(("name", "eid", "lead"), LEADS)
def test_lead(name: str, eid: str, lead: str | None) -> None:
    e = by_eid(load(name), eid)
    assert e.lead == lead
    if lead is not None:
        assert e.title == lead


def test_overall_goal_and_vision() -> None:
    doc = load("lead_sentences.txt")
    overall = by_eid(doc, "fx/goal-overall")
    assert overall.year == 2025 and overall.title.startswith("到 2025 年，智慧交通发展取得显著成效")
    # the 2035 vision is no goal area of its own, and it is not lost
    assert not [g for g in doc.by_kind(Kind.GOAL) if g.title.startswith("展望")]
    assert "展望 2035 年" in by_eid(doc, "fx/part-1/section-3").text


# -- texts: what an element's own text holds (and does not) -----------------------------------------

TEXTS = [
    # nested levels （1） (2) ① 1） stay inside the subtask they belong to
    E(
        "numbering.txt",
        "fx/task-2/subtask-1",
        "（1）建设农业农村大数据平台",
        True,
        id="num-paren-arabic-in-subtask",
    ),
    E(
        "numbering.txt",
        "fx/task-2/subtask-1",
        "(2)推广智能农机装备",
        True,
        id="num-ascii-paren-arabic-in-subtask",
    ),
    E("numbering.txt", "fx/task-2/subtask-1", "①在粮食主产区", True, id="num-circled-in-subtask"),
    E("numbering.txt", "fx/task-2/subtask-1", "1）支持农业科研院所", True, id="num-arabic-paren-in-subtask"),
    E("numbering.txt", "fx/task-1/subtask-1", "推进城乡千兆光网协同建设", True, id="num-heading-body"),
    # a heading ending with 。 is not merged with the paragraph after it (title stays the heading)
    E(
        "numbering.txt",
        "fx/measure-1",
        "各地区、各部门要把数字乡村建设摆在重要位置",
        True,
        id="num-measure-body",
    ),
    # introduction paragraphs without a lead stay in their container's text
    E("lead_sentences.txt", "fx", "交通运输是国民经济中基础性", True, id="lead-plan-intro"),
    E("lead_sentences.txt", "fx/task-1", "交通基础设施是交通运输发展的物质基础", True, id="lead-task-intro"),
    E(
        "lead_sentences.txt",
        "fx/part-1/section-1",
        "以习近平新时代中国特色社会主义思想为指导",
        True,
        id="lead-guidance-text",
    ),
    # 专栏 text does not swallow the subtask that follows it
    E("columns.txt", "fx/column-1/item-2", "提升算力供给能力", False, id="col-box-ends-at-running-text"),
    E("outline.txt", "fx/column-1/item-3", "发展数字内容产业", False, id="outline-box-ends"),
    # HTML: entities resolved, the issuing notice is front matter (metadata), not plan text; scripts dropped
    E("plan.html", "fx/achievement-2", "（R&D）", True, id="html-amp-entity"),
    E("plan.html", "fx/achievement-2", "&amp;", False, id="html-no-raw-entity"),
    E(
        "plan.html",
        "fx",
        "国务院关于印发“十四五”数字经济发展规划的通知",
        False,
        id="html-notice-not-plan-text",
    ),
    E("plan.html", "fx", "pageId", False, id="html-script-dropped"),
    E("plan.html", "fx/column-1/item-2", "推进5G网络在城市和县城连续覆盖", True, id="html-nbsp-after-marker"),
    # 12. numbers at the start of a wrapped line are running text
    E("wrapped_numbers.txt", "fx/achievement-1", "比重达到7.8%，信息通信业务收入", True, id="wrap-7.8%"),
    E("wrapped_numbers.txt", "fx/achievement-2", "5G 基站71.8 万个", True, id="wrap-71.8"),
    E("wrapped_numbers.txt", "fx/goal-overall", "展望2035 年，信息通信行业", True, id="wrap-2035-year"),
    E(
        "wrapped_numbers.txt",
        "fx/task-1/subtask-1",
        "到2025 年实现城市和乡镇全面覆盖",
        True,
        id="wrap-2025-year",
    ),
    E("wrapped_numbers.txt", "fx/task-1/subtask-1", "行政村覆盖率达到80%。", True, id="wrap-80%"),
    E("wrapped_numbers.txt", "fx/column-1/item-1", "突破6000 万户", True, id="wrap-6000-in-box"),
    # 13. page numbers dropped, paragraphs joined across the page break
    E("page_numbers.txt", "fx/goal-overall", "群众文化获得感明显增强", True, id="page-joined-goal"),
    E(
        "page_numbers.txt",
        "fx/task-1/subtask-2",
        "共享机制，推动各级公共文化机构",
        True,
        id="page-joined-subtask",
    ),
    E("page_numbers.txt", "fx/task-1/subtask-1", "第 4 页", False, id="page-di-ye-dropped"),
    E("page_numbers.txt", "fx/indicator-1", "- 3 -", False, id="page-dash-dropped"),
]


@pytest.mark.parametrize(("name", "eid", "needle", "present"), TEXTS)
def test_text(name: str, eid: str, needle: str, present: bool) -> None:
    doc = load(name)
    e = doc.root if eid == "fx" else by_eid(doc, eid)
    assert (needle in e.text) is present, e.text


NOT_TITLES = [
    E("wrapped_numbers.txt", ("7.8", "71.8", "2025", "2035", "80%", "6000", "8 亿"), id="wrapped-numbers"),
    E("page_numbers.txt", ("2", "3", "4", "5", "- 3 -", "第 4 页"), id="page-numbers"),
]


@pytest.mark.parametrize(("name", "starts"), NOT_TITLES)
def test_no_element_starts_with_a_wrapped_number(name: str, starts: tuple[str, ...]) -> None:
    doc = load(name)
    bad = [
        e.eid
        for e in doc.elements()
        if e.kind not in (Kind.INDICATOR, Kind.GOAL, Kind.TARGET) and e.title.startswith(starts)
    ]
    assert not bad


# -- 专栏 -------------------------------------------------------------------------------------------

COLUMNS = [
    E(
        "columns.txt",
        "fx/column-1",
        "算力枢纽建设工程",
        "fx/task-1/subtask-1",
        ("国家枢纽节点建设", "边缘计算节点部署"),
        id="col-ascii-dot-items",
    ),
    E(
        "columns.txt",
        "fx/column-2",
        "算力应用示范工程",
        "fx/task-1/subtask-2",
        ("智能算力赋能示范", "算力网络调度试点", "绿色数据中心示范"),
        id="col-colon-fullwidth-dot-items",
    ),
    E(
        "columns.txt",
        "fx/column-3",
        "融合基础设施重点工程",
        "fx/task-2/subtask-1",
        ("智慧能源设施", "智慧水利设施"),
        id="col-box-closed-by-heading",
    ),
    E(
        "columns.txt",
        "fx/column-4",
        "创新基础设施重点工程",
        "fx/task-3/subtask-1",
        ("大科学装置集群", "开放共享平台"),
        id="col-box-after-numbered-subtask",
    ),
    E(
        "outline.txt",
        "fx/column-1",
        "数字产业重点工程",
        "fx/task-1/subtask-2",
        ("集成电路强链工程", "软件名城建设工程", "数字安防产业提升工程"),
        id="outline-box-in-chapter",
    ),
    E(
        "outline.txt",
        "fx/column-2",
        "产业数字化重点工程",
        "fx/task-2/subtask-1",
        ("“未来工厂”培育工程", "服务业数字化提升工程"),
        id="outline-box-2",
    ),
    E(
        "plan.html",
        "fx/column-1",
        "信息网络基础设施优化升级工程",
        "fx/task-1/subtask-1",
        ("千兆城市建设", "移动网络深度覆盖"),
        id="html-bold-p-box",
    ),
    E(
        "wrapped_numbers.txt",
        "fx/column-1",
        "新一代网络基础设施重点工程",
        "fx/task-1/subtask-1",
        ("千兆城市建设", "5G 行业虚拟专网建设"),
        id="wrap-box-item-starting-with-digit",
    ),
]


@pytest.mark.parametrize(("name", "eid", "title", "follows", "items"), COLUMNS)
def test_column(name: str, eid: str, title: str, follows: str, items: tuple[str, ...]) -> None:
    doc = load(name)
    col = by_eid(doc, eid)
    assert (col.kind, col.title, col.follows) == (Kind.COLUMN, title, follows)
    assert tuple(c.title for c in col.children) == items
    assert all(c.kind == Kind.COLUMN_ITEM for c in col.children)
    assert [c.ordinal for c in col.children] == list(range(1, len(items) + 1))
    assert by_eid(doc, follows).kind == Kind.SUBTASK


# -- indicator tables -------------------------------------------------------------------------------

INDICATORS = [
    # (a) flattened PDF table
    E(
        "indicators_pdf.txt",
        "省级政务服务事项网上可办率",
        dict(
            category="政务服务",
            unit="%",
            baseline_value="85",
            baseline_year=2020,
            target_value="95",
            target_year=2025,
            attribute="预期性",
        ),
        1,
        id="pdf-wrapped-unit-line",
    ),
    E(
        "indicators_pdf.txt",
        "一网通办实名用户规模",
        dict(category="政务服务", unit="亿", baseline_value="4.5", target_value="8", attribute="预期性"),
        2,
        id="pdf-one-line-row",
    ),
    E(
        "indicators_pdf.txt",
        "跨省通办政务服务事项数量",
        dict(category="政务服务", unit="项", baseline_value="140", target_value="300"),
        3,
        id="pdf-category-kept",
    ),
    E(
        "indicators_pdf.txt",
        "国家数据共享交换平台年均调用量",
        dict(
            category="数据共享",
            unit="亿次",
            baseline_value="37",
            baseline_year=2019,
            target_value="100",
            target_year=2025,
            note="带*的为 2019 年数据",
        ),
        4,
        id="pdf-starred-wrapped-name",
    ),
    E(
        "indicators_pdf.txt",
        "政务数据开放数据集数量",
        dict(category="数据共享", unit="万个", baseline_value="2.5", baseline_year=2020, note=None),
        5,
        id="pdf-new-category",
    ),
    # (b) captioned table 表1, other years, 约束性, textual and cumulative targets
    E(
        "indicators_captioned.txt",
        "单位国内生产总值能源消耗降低",
        dict(
            category="能源利用",
            unit="%",
            baseline_value="—",
            baseline_year=2015,
            target_value="下降15%",
            target_year=2020,
            attribute="约束性",
            cumulative=True,
        ),
        None,
        id="cap-cumulative-decline",
    ),
    E(
        "indicators_captioned.txt",
        "非化石能源占一次能源消费比重",
        dict(
            category="能源利用", baseline_value="12", target_value="15", attribute="预期性", cumulative=False
        ),
        None,
        id="cap-plain",
    ),
    E(
        "indicators_captioned.txt",
        "化学需氧量排放总量减少",
        dict(category="污染减排", target_value="10", attribute="约束性", cumulative=True),
        None,
        id="cap-bracketed-number",
    ),
    E(
        "indicators_captioned.txt",
        "细颗粒物未达标地级及以上城市浓度",
        dict(
            category="污染减排",
            target_value="下降18%以上",
            attribute="约束性",
            cumulative=False,
            target_year=2020,
        ),
        None,
        id="cap-text-target",
    ),
    # HTML <table>: cells, rowspan category carried to the next row
    E(
        "plan.html",
        "数字经济核心产业增加值占GDP比重",
        dict(
            category="产业发展",
            unit="%",
            baseline_value="7.8",
            target_value="10",
            baseline_year=2020,
            target_year=2025,
            attribute="预期性",
        ),
        1,
        id="html-row-1",
    ),
    E(
        "plan.html",
        "软件和信息技术服务业规模",
        dict(category="产业发展", unit="万亿元", baseline_value="8.16", target_value="14"),
        2,
        id="html-rowspan-category",
    ),
    E(
        "plan.html",
        "千兆宽带用户数",
        dict(category="数字基础设施", unit="万户", baseline_value="640", target_value="6000"),
        3,
        id="html-row-3",
    ),
    # page numbers: row numbers inside the table are kept (also one after a page break)
    E(
        "page_numbers.txt",
        "公共图书馆数字资源总量",
        dict(category="资源建设", unit="TB", baseline_value="2800", target_value="4500"),
        1,
        id="page-row-1",
    ),
    E(
        "page_numbers.txt",
        "数字文化馆平台覆盖率",
        dict(category="资源建设", unit="%", baseline_value="60", target_value="90"),
        2,
        id="page-row-after-page-break",
    ),
    E(
        "page_numbers.txt",
        "公共数字文化服务人次",
        dict(category="服务效能", unit="亿", baseline_value="11", target_value="20"),
        3,
        id="page-row-3",
    ),
]


@pytest.mark.parametrize(("name", "title", "expected", "ordinal"), INDICATORS)
def test_indicator(name: str, title: str, expected: dict[str, object], ordinal: int | None) -> None:
    doc = load(name)
    found = [e for e in doc.by_kind(Kind.INDICATOR) if e.title == title]
    assert len(found) == 1, [e.title for e in doc.by_kind(Kind.INDICATOR)]
    ind = found[0]
    assert ind.indicator is not None
    values = ind.indicator.model_dump()
    assert {k: values[k] for k in expected} == expected
    if ordinal is not None:
        assert ind.ordinal == ordinal


@pytest.mark.parametrize(
    "name", ["indicators_pdf.txt", "indicators_captioned.txt", "plan.html", "page_numbers.txt"]
)
def test_indicator_tables_leave_nothing_behind(name: str) -> None:
    doc = load(name)
    assert not [w for w in doc.warnings if w.code.startswith("W40")], doc.warnings
    # table lines are not left in any element's own text
    for e in doc.elements():
        if e.kind != Kind.INDICATOR:
            assert "预期性" not in e.text and "约束性" not in e.text, e.eid


# -- 优先行动: dated targets ------------------------------------------------------------------------

TARGETS = [
    E(
        "actions_measures.txt",
        "fx/action-1/target-2023",
        2023,
        "到 2023 年，全民数字技能教育培训资源体系初步形成",
        id="target-2023",
    ),
    E(
        "actions_measures.txt",
        "fx/action-1/target-2025",
        2025,
        "到 2025 年，全民数字技能教育培训广泛普及",
        id="target-2025-wrapped-year",
    ),
    E(
        "actions_measures.txt",
        "fx/action-2/target-2023",
        2023,
        "到2023年底，建成一批智慧社区示范项目",
        id="target-year-end-no-spaces",
    ),
    E(
        "actions_measures.txt",
        "fx/action-2/target-2025",
        2025,
        "到2025年，智慧社区服务能力全面提升",
        id="target-2025-no-spaces",
    ),
]


@pytest.mark.parametrize(("name", "eid", "year", "start"), TARGETS)
def test_target(name: str, eid: str, year: int, start: str) -> None:
    doc = load(name)
    t = by_eid(doc, eid)
    assert (t.kind, t.year) == (Kind.TARGET, year)
    assert key(t.title).startswith(key(start))
    assert "；" not in t.title and "行动目标" not in t.title
    action = parent_of(doc, eid)
    assert action is not None and action.kind == Kind.ACTION


def test_action_items_follow_targets() -> None:
    doc = load("actions_measures.txt")
    action = by_eid(doc, "fx/action-2")
    assert action.title == "智慧社区建设行动"
    assert [(c.kind, c.title) for c in action.children] == [
        (Kind.TARGET, action.children[0].title),
        (Kind.TARGET, action.children[1].title),
        (Kind.ACTION_ITEM, "推进社区服务数字化"),
        (Kind.ACTION_ITEM, "提升社区治理智能化水平"),
    ]


# -- responsibilities and mentions ------------------------------------------------------------------

RESPONSIBILITIES = [
    E(
        "actions_measures.txt",
        "fx/measure-1",
        "中央网络安全和信息化委员会",
        Role.LEAD,
        "统一领导",
        id="led-by",
    ),
    E("actions_measures.txt", "fx/measure-1", "国家发展改革委", Role.LEAD, "牵头", id="you-x-qiantou"),
    E(
        "actions_measures.txt",
        "fx/measure-1",
        "中央网络安全和信息化委员会办公室",
        Role.COORDINATE,
        "统筹协调",
        id="fuze-tongchou-xietiao",
    ),
    E(
        "actions_measures.txt",
        "fx/measure-1",
        "各地区、各部门",
        Role.IMPLEMENT,
        "各部门要",
        id="collective-yao",
    ),
    E(
        "actions_measures.txt",
        "fx/measure-2",
        "工业和信息化部",
        Role.IMPLEMENT,
        "工业和信息化部要加强",
        id="ministry-yao",
    ),
    E(
        "actions_measures.txt",
        "fx/measure-2",
        "国家发展改革委",
        Role.SUPERVISE,
        "监督检查",
        id="alias-supervise",
    ),
    E("plan.html", "fx/measure-1", "国家发展改革委", Role.COORDINATE, "负责统筹协调", id="html-fuze"),
    E("plan.html", "fx/measure-1", "各地区、各部门", Role.IMPLEMENT, "各部门要", id="html-collective"),
    E("outline.txt", "fx/measure-1", "各地区、各部门", Role.IMPLEMENT, "各部门要", id="outline-collective"),
    E("lead_sentences.txt", "fx/measure-1", "交通运输部", Role.COORDINATE, "统筹协调", id="yao-tongchou"),
]


@pytest.mark.parametrize(("name", "eid", "body", "role", "evidence"), RESPONSIBILITIES)
def test_responsibility(name: str, eid: str, body: str, role: Role, evidence: str) -> None:
    assert body in lexicon_bodies()
    e = by_eid(load(name), eid)
    got = [(r.body, r.role) for r in e.responsibilities]
    assert (body, role) in got, got
    assert any(evidence in r.evidence for r in e.responsibilities if (r.body, r.role) == (body, role))


MENTIONS = [
    E(
        "actions_measures.txt",
        "fx/measure-1",
        "中央网信办",
        "中央网络安全和信息化委员会办公室",
        id="wangxinban",
    ),
    E("actions_measures.txt", "fx/measure-2", "发改委", "国家发展改革委", id="fagaiwei"),
    E("actions_measures.txt", "fx/measure-1", "国家发展改革委", "国家发展改革委", id="canonical"),
    E("actions_measures.txt", "fx/measure-1", "各地区、各部门", "各地区、各部门", id="collective"),
]


@pytest.mark.parametrize(("name", "eid", "surface", "canonical"), MENTIONS)
def test_mention_alias_folding(name: str, eid: str, surface: str, canonical: str) -> None:
    e = by_eid(load(name), eid)
    assert (surface, canonical) in [(m.surface, m.name) for m in e.mentions]


# -- encodings --------------------------------------------------------------------------------------

ENCODINGS = [
    E("small_utf8.txt", "utf-8", id="utf-8"),
    E("small_gbk.txt", "gb18030", id="gbk"),
    E("small_utf8_bom.txt", "utf-8-sig", id="utf-8-bom"),
    E("small_gbk_crlf.txt", "gb18030", id="gbk-crlf"),
]


def _shape(doc: PlanDocument) -> list[tuple[str, str, str, str | None]]:
    return [(e.kind.value, e.eid, e.title, e.lead) for e in doc.elements()]


@pytest.mark.parametrize(("name", "encoding"), ENCODINGS)
def test_encoding(name: str, encoding: str) -> None:
    doc = load(name)
    assert doc.source.encoding == encoding
    assert _shape(doc) == _shape(load("small_utf8.txt"))
    original = decode_original((FIXTURES / name).read_bytes())
    task = by_eid(doc, "fx/task-1")
    raw = original[task.span.char_start : task.span.char_end]
    assert "配臵" in raw and key(task.title) in key(raw)
    for e in doc.elements():
        assert key(e.title) in key(original[e.span.char_start : e.span.char_end]), e.eid


def test_encoding_spans_identical_without_bom() -> None:
    """The BOM is not part of the decoded text, so offsets agree with the UTF-8 and GBK files."""
    spans = [
        [e.span for e in load(n).elements()]
        for n in ("small_utf8.txt", "small_gbk.txt", "small_utf8_bom.txt")
    ]
    assert spans[0] == spans[1] == spans[2]


# -- page numbers -----------------------------------------------------------------------------------


def test_page_numbers_dropped_and_reported() -> None:
    doc = load("page_numbers.txt")
    dropped = sorted((w.line, w.message) for w in doc.warnings if w.code == "I001")
    assert [line for line, _ in dropped] == [10, 24, 38, 42]
    original = decode_original((FIXTURES / "page_numbers.txt").read_bytes()).split("\n")
    assert [original[line - 1].strip() for line, _ in dropped] == ["2", "- 3 -", "第 4 页", "5"]
    # the row numbers of the table (the bare "2" right after a page break among them) are kept
    assert [e.ordinal for e in doc.by_kind(Kind.INDICATOR)] == [1, 2, 3]


# -- warnings ---------------------------------------------------------------------------------------

NO_WARNINGS = [
    E("numbering.txt", "W101", id="numbering-restarts-cleanly"),
    E("outline.txt", "W101", id="outline"),
    E("plan.html", "W101", id="html"),
    E("skip_level.txt", "W101", id="continued-numbering-is-not-a-gap"),
    E("columns.txt", "W301", id="no-empty-boxes"),
    E("outline.txt", "W201", id="outline-no-stray-paragraphs"),
]


@pytest.mark.parametrize(("name", "code"), NO_WARNINGS)
def test_no_warning(name: str, code: str) -> None:
    doc = load(name)
    assert not [w for w in doc.warnings if w.code == code], [str(w) for w in doc.warnings]
