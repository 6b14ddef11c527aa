"""The bundled plan: facts of the document (checked by reading it), provenance, golden output."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.ingest.models import Kind, PlanDocument, Role
from plangraph.ingest.pipeline import parse_file
from plangraph.ingest.serialize import document_json
from tests.conftest import BUNDLED_SOURCE, GOLDEN_DIR
from tests.spans import span_problems


def titles(doc: PlanDocument, kind: Kind) -> list[str]:
    return [e.title for e in doc.by_kind(kind)]


def test_parts(bundled_doc: PlanDocument) -> None:
    assert titles(bundled_doc, Kind.PART) == [
        "现状与形势",
        "总体部署",
        "主攻方向",
        "重大任务和重点工程",
        "优先行动",
        "组织实施",
    ]


@pytest.mark.parametrize(
    ("kind", "count"),
    [
        (Kind.ACHIEVEMENT, 6),
        (Kind.PRINCIPLE, 6),
        (Kind.DIRECTION, 5),
        (Kind.TASK, 10),
        (Kind.COLUMN, 17),
        (Kind.ACTION, 10),
        (Kind.MEASURE, 6),
        (Kind.INDICATOR, 18),
        (Kind.TARGET, 20),
    ],
)
def test_counts(bundled_doc: PlanDocument, kind: Kind, count: int) -> None:
    assert len(bundled_doc.by_kind(kind)) == count


def test_goals(bundled_doc: PlanDocument) -> None:
    goals = bundled_doc.by_kind(Kind.GOAL)
    overall = [g for g in goals if g.eid.endswith("/goal-overall")]
    assert len(overall) == 1 and overall[0].year == 2025
    named = [g for g in goals if g not in overall]
    assert len(named) == 7
    assert named[0].title == "数字基础设施体系更加完备"
    assert named[-1].title == "数字化发展环境日臻完善"
    assert [g.ordinal for g in named] == list(range(1, 8))


def test_subtasks_per_task(bundled_doc: PlanDocument) -> None:
    counts = [sum(c.kind == Kind.SUBTASK for c in t.children) for t in bundled_doc.by_kind(Kind.TASK)]
    assert counts == [4, 3, 4, 3, 5, 5, 5, 4, 5, 5]


def test_columns_items_and_placement(bundled_doc: PlanDocument) -> None:
    columns = bundled_doc.by_kind(Kind.COLUMN)
    assert [len(c.children) for c in columns] == [3, 3, 4, 4, 3, 3, 2, 4, 4, 4, 2, 5, 7, 2, 4, 4, 2]
    assert [c.ordinal for c in columns] == list(range(1, 18))
    by_eid = {e.eid: e for e in bundled_doc.elements()}
    for task in bundled_doc.by_kind(Kind.TASK):
        for col in (c for c in task.children if c.kind == Kind.COLUMN):
            assert col.follows is not None and col.follows.startswith(task.eid + "/subtask-"), col.eid
            assert by_eid[col.follows].span.char_end <= col.span.char_start
    col1 = columns[0]
    assert col1.title == "5G 创新应用工程"
    assert col1.follows == "informatization-14fyp/task-1/subtask-1"
    assert col1.children[0].eid == "informatization-14fyp/column-1/item-1"
    assert col1.children[0].title == "加快 5G 网络建设"


def test_actions_targets_items(bundled_doc: PlanDocument) -> None:
    actions = bundled_doc.by_kind(Kind.ACTION)
    items = [sum(c.kind == Kind.ACTION_ITEM for c in a.children) for a in actions]
    assert items == [3, 3, 3, 3, 4, 4, 5, 4, 2, 2]
    for a in actions:
        years = [c.year for c in a.children if c.kind == Kind.TARGET]
        assert years == [2023, 2025], a.eid
    first = actions[0]
    assert first.title == "全民数字素养与技能提升行动"
    target = next(c for c in first.children if c.kind == Kind.TARGET)
    assert target.eid == "informatization-14fyp/action-1/target-2023"
    assert target.title.startswith("到 2023 年，全民数字技能教育教学资源体系初步形成")


def test_indicators(bundled_doc: PlanDocument) -> None:
    ind = bundled_doc.by_kind(Kind.INDICATOR)
    first = ind[0]
    assert (first.title, first.ordinal, first.indicator.category) == (
        "数字中国发展指数",
        None,
        "总体发展水平",
    )  # type: ignore[union-attr]
    assert [i.ordinal for i in ind[1:]] == list(range(1, 18))
    assert {i.indicator.category for i in ind} == {
        "总体发展水平",
        "数字设施",
        "创新能力",
        "产业转型",
        "政务服务",
    }  # type: ignore[union-attr]
    assert all(i.indicator.attribute == "预期性" for i in ind)  # type: ignore[union-attr]
    rows = {i.title: i.indicator for i in ind}
    fibre = rows["1000M 及以上速率的光纤接入用户"]
    assert fibre is not None and (fibre.unit, fibre.baseline_value, fibre.target_value) == (
        "万户",
        "640",
        "6000",
    )
    it = rows["IT 项目投资占全社会固定资产投资总额的比例"]
    assert it is not None and (it.baseline_value, it.baseline_year, it.unit) == ("3.5", 2019, "%")
    retail = rows["网上零售额"]
    assert retail is not None and (retail.unit, retail.baseline_year, retail.target_year) == (
        "万亿元",
        2020,
        2025,
    )
    assert {i.indicator.unit for i in ind} >= {"亿", "%", "万户", "件", "万家", "万亿元"}  # type: ignore[union-attr]


def test_measures_and_responsibilities(bundled_doc: PlanDocument) -> None:
    measures = bundled_doc.by_kind(Kind.MEASURE)
    assert [m.title for m in measures][:2] == ["加强组织领导", "健全政策体系"]
    resp = {(r.body, r.role) for r in measures[0].responsibilities}
    assert ("中央网络安全和信息化委员会", Role.LEAD) in resp
    assert ("中央网络安全和信息化委员会办公室", Role.COORDINATE) in resp  # written 中央网信办
    assert ("国家发展改革委", Role.COORDINATE) in resp
    assert ("各地区网络安全和信息化委员会", Role.COORDINATE) in resp
    assert ("各地区、各部门", Role.IMPLEMENT) in resp
    for r in measures[0].responsibilities:
        assert r.body in r.evidence or r.body == "中央网络安全和信息化委员会办公室"


def test_mentions_fold_aliases(bundled_doc: PlanDocument) -> None:
    measures = bundled_doc.by_kind(Kind.MEASURE)
    m = next(m for m in measures[0].mentions if m.surface == "中央网信办")
    assert m.name == "中央网络安全和信息化委员会办公室"
    docs = {m.name for e in bundled_doc.elements() for m in e.mentions if m.kind.value == "Document"}
    assert "全球数据安全倡议" in docs
    inits = {m.name for e in bundled_doc.elements() for m in e.mentions if m.kind.value == "Initiative"}
    assert "一网通办" in inits
    assert "十四五" not in inits


def test_every_span_holds_its_title(bundled_doc: PlanDocument) -> None:
    original = BUNDLED_SOURCE.read_text(encoding="utf-8")
    assert span_problems(bundled_doc, original) == []


def test_ids_unique_and_provenance(bundled_doc: PlanDocument) -> None:
    eids = [e.eid for e in bundled_doc.elements()]
    assert len(eids) == len(set(eids))
    assert all(e.startswith("informatization-14fyp/") for e in eids)
    assert bundled_doc.source.sha256 == "0d1371f7662e" + bundled_doc.source.sha256[12:]


def test_page_numbers_reported_with_lines(bundled_doc: PlanDocument) -> None:
    dropped = [w for w in bundled_doc.warnings if w.code == "I001"]
    assert [w.line for w in dropped] == [54, 569, 669, 922]
    assert bundled_doc.abridged


def test_golden(bundled_doc: PlanDocument, update_golden: bool) -> None:
    golden = GOLDEN_DIR / "informatization-14fyp.json"
    out = document_json(bundled_doc)
    if update_golden:
        golden.write_text(out, encoding="utf-8")
    assert golden.exists(), "no golden file: run pytest --update-golden and review it"
    assert out == golden.read_text(encoding="utf-8"), "parse output changed: review, then --update-golden"


def test_byte_identical_twice(tmp_path: Path) -> None:
    a = document_json(parse_file(BUNDLED_SOURCE))
    b = document_json(parse_file(BUNDLED_SOURCE))
    assert a == b
