"""The store keeps each plan's original text and the parser's warnings (on the Plan node, written with the
plan's graph in one transaction): a plan added by ``plangraph add`` shows its spans in context and its
warnings beside their elements from the store alone, with the source file gone, on both stores; a failed
load leaves the previous text and warnings; a plan stored without them is read again by ``add``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph.api.main import create_app
from plangraph.api.state import AppState
from plangraph.cli.main import app
from plangraph.graph.build import build_graph, links_beside
from plangraph.graph.corpus import parse
from plangraph.graph.stores import Store, open_store
from plangraph.graph.stores.rows import relabel_plan
from plangraph.graph.warnings import from_property, placed
from plangraph.ingest.load import load_source
from plangraph.ingest.models import PlanDocument
from plangraph.queries.library import get_query
from plangraph.settings import Settings
from tests.conftest import BUNDLED_DIR, BUNDLED_SOURCE, ROOT
from tests.stores_env import ENGINES, open_engine

PDF = ROOT.parent / "shared" / "corpus" / "weifei_12th_2012.pdf"
PLAN = "pgtest-sourcetext"


def _add(kind: str, store_file: Path, *paths: Path) -> str:
    where = ["--neo4j"] if kind == "neo4j" else ["--db", str(store_file)]
    res = CliRunner().invoke(app, ["add", *map(str, paths), *where])
    assert res.exit_code == 0, res.output
    return res.output


def _open(kind: str, store_file: Path) -> Store:
    return open_engine("neo4j") if kind == "neo4j" else open_store("ladybug", path=store_file)


def _plan_text(store: Store, plan: str) -> tuple[str | None, str | None]:
    row = store.read(get_query("plan_text").cypher, {"plan": plan}).rows[0]
    warnings = store.read(get_query("plan_warnings").cypher, {"plan": plan}).rows[0][1]
    return row[1], warnings


@pytest.fixture(params=ENGINES)
def kind(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "neo4j":
        open_engine("neo4j").close()  # fails in CI, skips elsewhere, when no server answers
    yield request.param


@pytest.mark.skipif(not PDF.exists(), reason="the shared corpus is not here")
def test_an_added_plan_shows_its_text_and_warnings_with_the_file_gone(kind: str, tmp_path: Path) -> None:
    """A text plan and a PDF (spans index the extracted text) added by ``plangraph add`` from a folder that
    is then deleted: /source and /plans/{id}/tree answer from the store."""
    folder = tmp_path / "plans"
    folder.mkdir()
    copies = [folder / PDF.name, folder / BUNDLED_DIR.name]
    shutil.copy(PDF, copies[0])
    shutil.copytree(BUNDLED_DIR, copies[1])
    docs = {doc.plan.id: (doc, load_source(src).original) for src, doc in map(parse, copies)}
    store_file = tmp_path / "store.lbug"
    if kind == "neo4j":
        store = open_engine("neo4j")
        for plan_id in docs:
            if plan_id in store.stats()["plans"]:
                store.drop_plan(plan_id)
        store.close()
    _add(kind, store_file, folder)
    shutil.rmtree(folder)
    store = _open(kind, store_file)
    settings = Settings()
    try:
        with TestClient(create_app(settings, AppState(settings, store))) as c:
            for plan_id, (doc, original) in docs.items():
                tree = c.get(f"/plans/{plan_id}/tree").json()
                assert tree["warnings_available"] is True
                assert [
                    {k: w[k] for k in ("code", "message", "line", "page", "column", "eid")}
                    for w in tree["warnings"]
                ] == placed(doc)
                assert len(tree["warnings"]) == len(doc.warnings) > 0
                eids = {n["eid"] for n in tree["nodes"]}
                assert {w["eid"] for w in tree["warnings"]} - {None} <= eids
                task = next(e for e in doc.elements() if e.kind.value == "Task")
                body = c.get("/source", params={"eid": task.eid, "context": 30}).json()
                assert body["text"] == original[task.span.char_start : task.span.char_end]
                assert body["source_chars"] == len(original) == doc.source.chars
                assert body["before"] == original[max(0, task.span.char_start - 30) : task.span.char_start]
    finally:
        if kind == "neo4j":
            for plan_id in docs:
                store.drop_plan(plan_id)
        store.close()


def _with_text(g: nx.MultiDiGraph, plan: str, text: str) -> nx.MultiDiGraph:
    out = g.copy()
    out.nodes[plan]["source_text"] = text
    out.nodes[plan]["warnings"] = json.dumps([{"code": "W999", "message": text[:10], "eid": None}])
    return out


def test_a_failed_load_leaves_the_previous_text_and_warnings(kind: str, bundled_doc: PlanDocument) -> None:
    store = open_engine(kind)
    try:
        v1 = relabel_plan(build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE)), PLAN)
        store.load(v1, PLAN)
        before = _plan_text(store, PLAN)
        assert before[0] == load_source(BUNDLED_SOURCE).original
        assert from_property(before[1]) == from_property(v1.nodes[PLAN]["warnings"])
        v2 = _with_text(v1, PLAN, "第二版" * 1000)

        class Stopped(Exception):
            pass

        def boom(done: int, total: int) -> None:
            if done > total // 2:
                raise Stopped

        with pytest.raises(Stopped):
            store.load(v2, PLAN, progress=boom)
        assert _plan_text(store, PLAN) == before
        store.load(v2, PLAN)  # and a load that completes replaces both
        text, warnings = _plan_text(store, PLAN)
        assert text == "第二版" * 1000 and from_property(warnings)[0]["code"] == "W999"
    finally:
        store.drop_plan(PLAN)
        store.close()


def test_add_reads_again_a_plan_stored_without_its_text(tmp_path: Path, bundled_doc: PlanDocument) -> None:
    """A store written before the text was kept (its Plan node lacks ``source_text``): ``add`` on the same
    unchanged file replaces the plan instead of skipping it, and a second ``add`` skips it."""
    store_file = tmp_path / "old.lbug"
    old = build_graph(bundled_doc, links=links_beside(BUNDLED_SOURCE))
    plan = bundled_doc.plan.id
    for key in ("source_text", "warnings"):
        del old.nodes[plan][key]
    with open_store("ladybug", path=store_file) as store:
        store.load(old, plan)
        assert _plan_text(store, plan) == (None, None)
    assert "replaced" in _add("ladybug", store_file, BUNDLED_DIR)
    with open_store("ladybug", path=store_file) as store:
        assert _plan_text(store, plan)[0] == load_source(BUNDLED_SOURCE).original
    assert "skipped" in _add("ladybug", store_file, BUNDLED_DIR)
