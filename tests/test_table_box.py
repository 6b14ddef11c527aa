"""A 专栏 whose body is a table (类别 / 细分 / 重点任务), as HTML versions of plans print them."""

from __future__ import annotations

from plangraph.ingest.models import Kind
from plangraph.ingest.pipeline import parse_file
from tests.conftest import ROOT
from tests.spans import span_problems

FIXTURE = ROOT / "tests" / "fixtures" / "genre" / "table_box.html"


def test_table_rows_become_items_and_the_box_ends_at_running_text() -> None:
    doc = parse_file(FIXTURE, plan_id="t")
    column = doc.by_kind(Kind.COLUMN)[0]
    assert column.title == "新型基础设施重点工程" and column.follows == "t/task-1/subtask-1"
    assert [(i.ordinal, i.title) for i in column.children] == [
        (1, "千兆光网"),
        (2, "5G网络"),
        (3, "数据中心"),
    ]
    assert "推进光纤到户" in column.children[0].text
    assert [s.title for s in doc.by_kind(Kind.SUBTASK)] == ["建设高速网络", "完善网络安全体系"]
    assert not [w for w in doc.warnings if w.code == "W301"]
    assert span_problems(doc, FIXTURE.read_text(encoding="utf-8")) == []
