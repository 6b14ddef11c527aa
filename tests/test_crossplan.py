"""Across plans, on both stores: CITES from a 《…》 mention to a plan in the store (title variants), kept
up to date when either plan is replaced or dropped; indicators of one measure share a Metric node; the
cross-plan canned queries; /plans/compare."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plangraph.api.main import create_app
from plangraph.api.state import AppState
from plangraph.graph import corpus
from plangraph.graph.crossplan import curated_metrics, metric_key, title_key
from plangraph.graph.stores import Store
from plangraph.graph.stores.rows import relabel_plan
from plangraph.queries.library import get_query
from plangraph.settings import Settings
from tests.conftest import BUNDLED_SOURCE
from tests.stores_env import ENGINES, open_engine

CITED, CITING, COPY = "pgtest-x-cited", "pgtest-x-citing", "pgtest-x-copy"
CITING_TEXT = """某市数字政府建设三年行动计划（2024-2026年）

为贯彻落实《“十四五”国家信息化规划》（2021—2025年）部署，加快数字政府建设，制定本行动计划。

一、总体要求

（一）指导思想。坚持以人民为中心，落实《十四五国家信息化规划》提出的数字政府建设任务。

（二）发展目标。到2026年，数字政府建设水平全面提升，区块链、云计算在政务服务中广泛应用。

二、重点任务

（一）推进政务服务一网通办。依托区块链技术建设政务数据共享平台，由市政务服务数据管理局牵头。

（二）建设城市大脑。推进云计算、人工智能在城市治理中的应用。

三、保障措施

（一）加强组织领导。各区政府要落实主体责任。
"""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("《“十四五”国家信息化规划》", "十四五国家信息化规划"),
        ("智慧健康养老产业发展行动计划（2021-2025年）", "《智慧健康养老产业发展行动计划》"),
        ("数字商务三年行动计划（2024—2026 年）", "数字商务三年行动计划(2024-2026年)"),
        (
            "国民经济和社会发展第十四个五年规划和 2035 年远景目标纲要",
            "国民经济和社会发展第十四个五年规划和2035年远景目标纲要",
        ),
    ],
)
def test_title_variants_share_a_key(a: str, b: str) -> None:
    assert title_key(a) == title_key(b)


def test_different_titles_differ() -> None:
    assert title_key("“十四五”国家信息化规划") != title_key("“十三五”国家信息化规划")


def test_metric_key_curated_and_normalised(tmp_path: Path) -> None:
    assert metric_key("5G网络用户普及率", "%") == ("5G用户普及率", "%", "curated")
    assert metric_key("网民规模", "亿") == ("网民规模", "亿", "name+unit")
    assert metric_key("网民规模", "亿") != metric_key("网民规模", "万")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "metrics:\n  - name: 网民规模\n    unit: 亿\n    variants: [互联网用户规模]\n", encoding="utf-8"
    )
    assert curated_metrics(mapping)["互联网用户规模"] == ("网民规模", "亿")
    broken = tmp_path / "broken.yaml"
    broken.write_text("metrics:\n  - unit: 亿\n", encoding="utf-8")
    with pytest.raises(ValueError, match="metric 1 needs a name"):
        curated_metrics(broken)


def cites(store: Store) -> list[list[object]]:
    query = "MATCH (e)-[c:CITES]->(p:Plan) WHERE p.eid STARTS WITH 'pgtest-x-' RETURN e.eid, p.eid, c.evidence ORDER BY e.eid"
    return store.read(query).rows


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    s = open_engine(request.param)
    for plan in (CITED, CITING, COPY):
        s.drop_plan(plan)
    citing = tmp_path / CITING / "source.txt"
    citing.parent.mkdir()
    citing.write_text(CITING_TEXT, encoding="utf-8")
    yield s, citing
    for plan in (CITED, CITING, COPY):
        s.drop_plan(plan)
    s.close()


def test_citations_follow_the_store(store: tuple[Store, Path]) -> None:
    s, citing = store
    corpus.install_document(s, corpus.parse(citing)[1], citing)
    assert cites(s) == []  # the cited plan is not in the store yet
    bundled = corpus.parse(BUNDLED_SOURCE, corpus.Options(plan_id=CITED))[1]
    corpus.install_document(s, bundled, BUNDLED_SOURCE)
    expected = [
        [
            CITING,
            CITED,
            "为贯彻落实《“十四五”国家信息化规划》（2021—2025年）部署，加快数字政府建设，制定本行动计划。",
        ],
        [
            f"{CITING}/part-1/section-1",
            CITED,
            "（一）指导思想。坚持以人民为中心，落实《十四五国家信息化规划》提出的数字政府建设任务。",
        ],
    ]
    got = cites(s)
    assert [r[:2] for r in got] == [r[:2] for r in expected]
    assert all(
        str(r[2]) in str(e[2]) or str(e[2]).endswith(str(r[2])) for r, e in zip(got, expected, strict=True)
    )
    rows = s.read(get_query("plans_citing").cypher, {"plan": CITED}).records()
    assert [r["citing_plan"] for r in rows] == [CITING, CITING]
    corpus.install_document(s, bundled, BUNDLED_SOURCE)  # the cited plan replaced: the links come back
    assert [r[:2] for r in cites(s)] == [r[:2] for r in expected]
    corpus.remove(s, CITED)
    assert cites(s) == []


def test_one_indicator_through_plans(store: tuple[Store, Path]) -> None:
    s, _ = store
    graph = corpus.graph_for_source(BUNDLED_SOURCE, corpus.Options(plan_id=CITED))
    corpus.install(s, graph, CITED)
    corpus.install(s, relabel_plan(graph, COPY), COPY)
    rows = s.read(get_query("indicator_through_plans").cypher, {"indicator": "5G用户普及率"}).records()
    ours = [r for r in rows if r["plan_id"] in (CITED, COPY)]
    assert {r["metric"] for r in ours} == {"metric/5G用户普及率[%]"}
    assert [r["plan_id"] for r in ours] == [CITED, COPY] and ours[0]["target_value"] == ours[1][
        "target_value"
    ]
    assert ours[0]["method"] == "curated"  # "5G 用户普及率" is a listed variant
    shared = s.read(get_query("shared_metrics").cypher, {"plan_a": CITED, "plan_b": COPY}).rows
    assert len(shared) == 18  # every indicator of the plan, one measure each
    corpus.remove(s, COPY)
    one = s.read("MATCH (m:Metric {eid: 'metric/5G用户普及率[%]'})<-[:OF_METRIC]-(i) RETURN i.plan_id").rows
    assert one == [[CITED]]  # the metric stays while a plan states it


def test_compare_two_plans_over_http(store: tuple[Store, Path]) -> None:
    s, citing = store
    corpus.install_document(s, corpus.parse(citing)[1], citing)
    corpus.install_document(s, corpus.parse(BUNDLED_SOURCE, corpus.Options(plan_id=CITED))[1], BUNDLED_SOURCE)
    settings = Settings()
    with TestClient(create_app(settings, AppState(settings, s))) as client:
        r = client.get("/plans/compare", params={"a": CITING, "b": CITED})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["a"]["plan_id"] == CITING and body["b"]["title"] == "“十四五”国家信息化规划"
        names = {row[1] for row in body["shared_entities"]["rows"]}
        assert {"区块链", "云计算"} <= names
        assert body["task_pairs"]["row_count"] > 0 and body["task_pairs"]["rows"][0][0].startswith(CITING)
        assert body["citations"]["row_count"] == 2
        unknown = client.get("/plans/compare", params={"a": CITING, "b": "pgtest-nope"})
        assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_plan"
