"""The web explorer in a real browser: Debian's headless Chromium driven by Playwright clicks through every
view on the bundled plan, on a three-plan corpus (text and PDF) and on a hostile plan, and checks what a
person sees against what the JSON API answers. Screenshots go to tests/screenshots/ (git-ignored)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from plangraph.api.routes.export import SUFFIX
from plangraph.ingest.load import load_source
from tests.browser import api, chromium_path, served, shot, squash
from tests.conftest import BUNDLED_DIR, ROOT

PLAN = "informatization-14fyp"
CORPUS = ROOT.parent / "shared" / "corpus"
THREE = [BUNDLED_DIR, CORPUS / "suanli_xingdong_2023.txt", CORPUS / "weifei_12th_2012.pdf"]
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def eid_hash(eid: str) -> str:
    return "#/element/" + quote(eid, safe="")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def bundled() -> Iterator[str]:
    with served([BUNDLED_DIR]) as base:
        yield base


class Seen:
    """A page and what went wrong in it: console errors, uncaught exceptions, requests to other origins."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.foreign: list[str] = []  # asked for (a CSP refusal included)
        self.fetched: list[str] = []  # and answered
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        local = (base, "data:", "blob:")
        page.on("request", lambda r: None if r.url.startswith(local) else self.foreign.append(r.url))
        page.on("requestfinished", lambda r: None if r.url.startswith(local) else self.fetched.append(r.url))

    def open(self, hash_: str, view: str) -> Page:
        self.page.goto(self.base + "/" + hash_)
        return self.wait(view)

    def wait(self, view: str) -> Page:
        self.page.wait_for_selector(f"body[data-view='{view}']")
        return self.page

    def clean(self, *answered: str) -> None:
        """No console error, but those that contain one of ``answered`` (an error the view shows, such as a
        refused query's ``400 (Bad Request)``), and no request to another origin."""
        errors = [e for e in self.errors if not any(a in e for a in answered)]
        assert not errors, errors
        assert not self.foreign, f"requests to other origins: {self.foreign}"


@pytest.fixture
def seen(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Any]:
    pages: list[Page] = []

    def make(base: str) -> Seen:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.set_default_timeout(30_000)
        pages.append(page)
        return Seen(page, base)

    yield make
    for i, page in enumerate(pages):
        shot(page, f"{request.node.name}-{i}")
        page.close()


# -- the bundled plan ----------------------------------------------------------------------------------------
def test_plans_view_lists_the_store(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open("#/", "plans")
    plans = api(bundled, "/plans")["items"]
    rows = page.locator("table.plans tbody tr")
    assert rows.count() == len(plans) == 1
    assert rows.first.locator("td").first.inner_text() == plans[0]["title"] == "“十四五”国家信息化规划"
    counts = api(bundled, "/plans/counts")
    tasks = next(r[2] for r in counts["rows"] if r[1] == "Task")
    assert f"任务 {tasks}" in rows.first.inner_text()  # the kind in the interface's language
    s.clean()


def test_plan_tree_with_warnings_beside_their_elements(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open(f"#/plan/{PLAN}", "plan")
    tree = api(bundled, f"/plans/{PLAN}/tree")
    assert page.locator(".tree li[data-eid]").count() == len(tree["nodes"])
    subtask = page.locator(f"li[data-eid='{PLAN}/task-7/subtask-1']")
    parent = subtask.locator("xpath=ancestor::li[1]")
    assert parent.get_attribute("data-eid") == f"{PLAN}/task-7"
    placed = [w for w in tree["warnings"] if w["eid"]]
    assert placed, "the bundled plan has warnings"
    for w in placed:
        own = page.locator(
            f"li[data-eid='{w['eid']}'] > details > summary .warnings, li[data-eid='{w['eid']}'] > .node .warnings"
        )
        assert f"[{w['code']}]" in (own.first.text_content() or ""), w
    page.get_by_role("button", name="全部折叠").click()
    assert not subtask.is_visible()
    page.get_by_role("button", name="全部展开").click()
    assert subtask.is_visible()
    # each warning says what its code means, from the catalogue (GET /codes), in the interface's language
    codes = {c["code"]: c for c in api(bundled, "/codes")}
    for language, field in (("zh", "what_zh"), ("en", "what")):
        if language == "en":
            page.get_by_role("button", name="English").click()
            page.wait_for_selector("html[lang='en'] body[data-view='plan']")
        shown = page.locator(".warnings li.warning")
        assert shown.count() == len(tree["warnings"])
        for k in range(shown.count()):
            item = shown.nth(k)
            code = re.match(r"\[(\w+)\]", (item.text_content() or "").strip())  # some are in closed <details>
            assert code, item.text_content()
            assert item.locator(".meaning").text_content() == codes[code.group(1)][field], (language, code)
    s.clean()


def test_element_page_highlights_the_span_and_cites_it(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    eid = f"{PLAN}/goal-5"
    page = s.open(eid_hash(eid), "element")
    node = api(bundled, f"/nodes/{eid}")["node"]
    source = api(bundled, "/source", eid=eid)
    mark = page.locator("pre.source mark#span")
    assert mark.inner_text() == source["text"]
    assert squash(mark.inner_text()) == squash(node["text"])  # the span holds the element's text
    assert page.locator("h1").inner_text() == node["title"]
    neighbours = api(bundled, f"/nodes/{eid}")["neighbours"]
    assert sorted(page.locator("dl.neighbours dd a").all_inner_texts()) == sorted(
        m["title"] or m["eid"] for m in neighbours
    )
    # scrolled to: the highlighted span is inside the visible part of the source box
    inside = page.evaluate(
        "() => { const m = document.querySelector('mark#span').getBoundingClientRect();"
        " const b = document.querySelector('pre.source').getBoundingClientRect();"
        " return m.top < b.bottom && m.bottom > b.top; }"
    )
    assert inside
    citation = page.locator("textarea.citation").input_value()
    span = node["span"]
    for part in (
        "“十四五”国家信息化规划",
        "中央网络安全和信息化委员会",
        "2021-12",
        eid,
        source["source_sha256"],
        f"lines {span['line_start']}–{span['line_end']}",
        f"chars {span['char_start']}–{span['char_end']}",
    ):
        assert part in citation
    permalink = page.locator("a.permalink").inner_text()
    assert permalink == page.url  # the address of this very view
    other = seen(bundled)
    other.page.goto(permalink)
    other.wait("element")
    assert other.page.locator("mark#span").inner_text() == source["text"]
    assert other.page.locator("main").inner_text() == page.locator("main").inner_text()  # exactly this view
    s.clean()
    other.clean()


def test_inferred_links_show_score_method_and_terms_in_both_texts(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    eid = f"{PLAN}/task-7"
    page = s.open(eid_hash(eid), "element")
    links = api(bundled, "/links", eid=eid)
    first = dict(zip(links["columns"], links["rows"][0], strict=True))
    box = page.locator("details.link").first
    summary = box.locator("summary").inner_text()
    assert first["title"] in summary and str(first["score"]) in summary and first["method"] in summary
    box.locator("summary").click()
    for side in (1, 2):
        marks = box.locator(f".two > div:nth-child({side}) mark.term").all_inner_texts()
        assert marks and set(marks) <= set(first["terms"]), (side, marks)
    s.clean()


def test_goal_view_ranks_as_the_api(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open(f"#/goals/{PLAN}", "goals")
    page.get_by_role("link", name="数字政府建设水平全面提升").click()
    s.wait("goal")
    body = api(bundled, f"/goals/{quote(PLAN + '/goal-5', safe='')}/tasks", plan=PLAN)
    first = page.locator("ol.ranked.tasks > li").first
    assert first.get_attribute("data-eid") == body["items"][0]["eid"]
    assert first.locator("summary a").inner_text() == body["items"][0]["title"]
    first.locator("summary").click()
    sentence = body["items"][0]["evidence"].split(" | ")[1]
    assert sentence in first.locator(".evidence").inner_text()
    indicators = api(bundled, f"/goals/{quote(PLAN + '/goal-5', safe='')}/indicators", plan=PLAN)["items"]
    assert page.locator("table.indicators tbody tr").count() == len(indicators)
    s.clean()


def rows_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """A Rows answer's rows as dicts."""
    return [dict(zip(body["columns"], r, strict=True)) for r in body["rows"]]


def test_low_confidence_links_are_marked(bundled: str, seen: Any) -> None:
    """An inferred link whose best two goals score close (the API's ``confidence: low``) carries a visible
    low-confidence badge, in the goal view's rows and in the element page's inferred links; a high one
    does not; the badge is in the interface's language."""
    s = seen(bundled)

    def levels(goal: str) -> set[str]:
        items = api(bundled, f"/goals/{quote(goal, safe='')}/tasks", plan=PLAN)["items"]
        return {t["confidence"] for t in items}

    goals = [g["eid"] for g in api(bundled, "/goals", plan=PLAN)["items"]]
    # the first goal served by tasks of both levels (which one it is depends on the fitted margin)
    goal = next(g for g in goals if levels(g) >= {"low", "high"})
    page = s.open(f"#/goal/{PLAN}/{quote(goal, safe='')}", "goal")
    seen_levels = set()
    for what in ("tasks", "columns", "actions"):
        items = api(bundled, f"/goals/{quote(goal, safe='')}/{what}", plan=PLAN)["items"]
        assert page.locator(f"ol.ranked.{what} > li").count() == len(items)
        for it in items:
            summary = page.locator(f"ol.ranked.{what} > li[data-eid='{it['eid']}'] summary")
            low = summary.locator(".confidence-low")
            assert low.count() == (it["confidence"] == "low"), (what, it["eid"], it["confidence"])
            if it["confidence"] == "low":
                assert low.is_visible() and low.inner_text() == "置信度低"
            seen_levels.add(it["confidence"])
    assert seen_levels >= {"low", "high"}, seen_levels
    tasks = api(bundled, f"/goals/{quote(goal, safe='')}/tasks", plan=PLAN)["items"]
    low_task = next(t["eid"] for t in tasks if t["confidence"] == "low")
    high_task = next(t["eid"] for t in tasks if t["confidence"] == "high")
    for eid, level in ((low_task, "low"), (high_task, "high")):
        links = rows_of(api(bundled, "/links", eid=eid))
        assert {r["confidence"] for r in links if r["type"] == "SERVES"} == {level}
        page = s.open(eid_hash(eid), "element")
        boxes = page.locator("details.link > summary")
        assert boxes.count() == len(links)
        for i, r in enumerate(links):
            assert boxes.nth(i).locator(".confidence-low").count() == (r["confidence"] == "low"), (eid, r)
        if level == "low":
            assert boxes.first.locator(".confidence-low").is_visible()
    page.get_by_role("button", name="English").click()
    s.wait("element")
    page = s.open(eid_hash(low_task), "element")
    assert page.locator("details.link > summary .confidence-low").first.inner_text() == "low confidence"
    s.clean()


def test_an_ambiguous_goal_lists_the_candidates(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open(f"#/goal/{PLAN}/" + quote("数字"), "goal")
    r = httpx.get(bundled + f"/goals/{quote('数字')}/tasks", params={"plan": PLAN})
    assert r.status_code == 409
    assert r.json()["detail"] in page.locator(".error .detail").inner_text()
    links = page.locator(".error ul.candidates a")
    assert links.all_inner_texts() == [c["title"] for c in r.json()["candidates"]]
    links.first.click()
    s.wait("element")
    assert page.locator("h1").inner_text() == r.json()["candidates"][0]["title"]


def test_indicator_table_sorts_and_downloads_csv(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open(f"#/indicators/{PLAN}", "indicators")
    items = api(bundled, "/indicators", plan=PLAN, limit=500)["items"]
    rows = page.locator("table.indicators tbody tr")
    assert rows.count() == len(items)
    page.locator("th a", has_text="目标值").click()
    s.wait("indicators")
    assert "sort=target_value" in page.url
    numbers = [
        float(v)
        for v in page.locator("table.indicators tbody tr td:nth-child(7)").all_inner_texts()
        if re.fullmatch(r"[\d.]+", v)
    ]
    assert numbers == sorted(numbers) and len(numbers) > 5
    page.locator("th a", has_text="目标值").click()  # again: descending
    s.wait("indicators")
    assert "desc=1" in page.url
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载 CSV").click()
    lines = Path(dl.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(items) + 1 and lines[0].startswith("eid,")
    s.clean()


def test_bodies_and_their_responsibilities(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open("#/bodies", "bodies")
    page.get_by_role("link", name="国家发展改革委", exact=True).click()
    s.wait("body")
    items = api(bundled, f"/bodies/{quote('国家发展改革委')}/responsibilities")["items"]
    assert page.locator("table tbody tr").count() == len(items) > 0
    for role in {i["role"] for i in items}:
        assert page.locator(f"table.role-{role} tbody tr").count() == sum(i["role"] == role for i in items)
    s.clean()


def test_search_highlights_matches(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open("#/", "plans")
    page.locator("header input[type=search]").fill("区块链")
    page.locator("header input[type=search]").press("Enter")
    s.wait("search")
    body = api(bundled, "/search", q="区块链", limit=100)
    assert page.locator("ol.results > li").count() == len(body["items"])
    marks = page.locator("ol.results mark.hit").all_inner_texts()
    assert marks and set(marks) == {"区块链"}
    s.clean()


def test_canned_query_form_and_reproducible_url(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open("#/queries", "queries")
    page.get_by_role("link", name="goal_tasks", exact=True).click()
    s.wait("query")
    page.locator("input[name=goal]").fill(f"{PLAN}/goal-5")
    page.get_by_role("button", name="运行").click()
    page.wait_for_selector(".result table")
    assert "goal=" in page.url and "run=1" in page.url
    body = api(bundled, "/queries/goal_tasks", goal=f"{PLAN}/goal-5")
    assert page.locator(".result tbody tr").count() == body["row_count"]
    first_cells = page.locator(".result tbody tr").first.locator("td").all_inner_texts()
    again = seen(bundled)
    again.page.goto(page.url)
    again.wait("query")
    assert again.page.locator(".result tbody tr").first.locator("td").all_inner_texts() == first_cells
    csv = httpx.get(bundled + page.get_by_role("link", name="下载 CSV").get_attribute("href"), timeout=30)
    assert csv.status_code == 200 and len(csv.text.splitlines()) == body["row_count"] + 1
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载 JSON").click()
    downloaded = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert (downloaded["columns"], downloaded["rows"]) == (body["columns"], body["rows"])
    s.clean()
    again.clean()


def test_the_query_library_speaks_the_interfaces_language(bundled: str, seen: Any) -> None:
    """The library's titles, descriptions and parameter descriptions are the API's Chinese ones in Chinese and
    its English ones in English; the names inside them (eid, 专栏) are kept, marked translate="no"."""
    s = seen(bundled)
    library = {q["name"]: q for q in api(bundled, "/queries")}
    q = library["goal_tasks"]
    page = s.open("#/query/goal_tasks", "query")
    for field in ("title", "description"):
        assert q[f"{field}_zh"] and q[f"{field}_zh"] != q[field]
    assert page.locator("main h1").inner_text() == q["title_zh"]
    assert page.locator("main section > p").first.inner_text() == q["description_zh"]
    assert page.locator("form.query-form small").inner_text().strip() == q["params"][0]["description_zh"]
    assert page.locator("form.query-form small [translate=no]").inner_text() == "eid"
    page.get_by_role("button", name="English").click()
    s.wait("query")
    assert page.locator("main h1").inner_text() == q["title"]
    assert page.locator("main section > p").first.inner_text() == q["description"]
    assert "重大任务" in page.locator("main section > p [translate=no]").all_inner_texts()
    page.goto(bundled + "/#/queries")
    s.wait("queries")
    shown = page.locator("table.queries tbody tr").all()
    assert len(shown) == len(library)
    page.get_by_role("button", name="中文").click()
    s.wait("queries")
    titles = page.locator("table.queries tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(titles) == sorted(x["title_zh"] for x in library.values())
    s.clean()


def test_console_refuses_a_write_and_shows_why(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open("#/console", "console")
    page.locator("textarea.code").fill("MATCH (n) DETACH DELETE n")
    page.get_by_role("button", name="运行").click()
    page.wait_for_selector(".refused")
    reason = httpx.post(bundled + "/cypher", json={"query": "MATCH (n) DETACH DELETE n"}).json()["detail"]
    assert reason in page.locator(".refused").inner_text() and "DETACH" in reason
    entry = api(bundled, "/codes/E302")  # the problem's error_code: what it means, what to do
    assert "(query_refused, E302)" in page.locator(".refused strong").inner_text()
    assert page.locator(".refused .meaning").inner_text() == entry["what_zh"]
    assert page.locator(".refused .remedy").inner_text() == "怎么办：" + entry["do_zh"]
    assert api(bundled, "/plans/counts")["rows"], "nothing was deleted"
    assert page.locator(".editor pre .cy-k").first.inner_text() == "MATCH"  # highlighted
    s.clean("400 (Bad Request)")  # the refused POST itself


def test_console_table_graph_and_exports(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    query = "MATCH (t:Task)-[r:SERVES]->(g:Goal) RETURN t, r, g"
    page = s.open("#/console?" + "q=" + quote(query) + "&run=1", "console")
    rows = httpx.post(bundled + "/cypher", json={"query": query}).json()
    assert page.locator(".result tbody tr").count() == rows["row_count"]
    page.get_by_role("link", name="图").click()
    s.wait("console")
    graph = page.locator("div.graph")
    page.wait_for_selector("div.graph canvas")
    eids = {c["eid"] for r in rows["rows"] for c in (r[0], r[2])}
    assert int(graph.get_attribute("data-nodes")) == len(eids)
    assert int(graph.get_attribute("data-edges")) == len({(r[0]["eid"], r[2]["eid"]) for r in rows["rows"]})
    with page.expect_download() as png:
        page.get_by_role("button", name="导出 PNG").click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.get_by_role("button", name="导出 SVG").click()
    text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert text.startswith("<svg") and text.count("<circle") == len(eids)
    # the drawn nodes' subgraph in every export format, as the API exports those eids
    for fmt in ("json", "graphml", "gexf", "csv", "cypher", "dot", "mermaid"):
        with page.expect_download() as dl:
            page.locator(f"p.exports button[data-format={fmt}]").click()
        want = httpx.post(bundled + "/export", json={"eids": sorted(eids), "format": fmt}, timeout=60)
        assert Path(dl.value.path()).read_bytes() == want.content, fmt
        assert dl.value.suggested_filename == f"subgraph-{len(eids)}.{SUFFIX[fmt]}"
    exported = json.loads(Path(download_of(page, "json")).read_text(encoding="utf-8"))
    assert {n["id"] for n in exported["nodes"]} == eids
    assert {(r["start"], r["end"]) for r in exported["relationships"] if r["type"] == "SERVES"} >= {
        (r[0]["eid"], r[2]["eid"]) for r in rows["rows"]
    }
    with zipfile.ZipFile(download_of(page, "csv")) as z:  # neo4j-admin import layout, one row per node
        ids = [
            row[0]
            for n in z.namelist()
            if n.startswith("nodes/")
            for row in list(csv.reader(io.StringIO(z.read(n).decode("utf-8"))))[1:]
        ]
    assert sorted(ids) == sorted(eids)
    page.locator("p.exports input[name=neighbours]").check()
    around = json.loads(Path(download_of(page, "json")).read_text(encoding="utf-8"))
    assert {n["id"] for n in around["nodes"]} > eids  # the tasks' subtasks, bodies, entities …
    s.clean()


def test_console_has_the_apis_limits(seen: Any) -> None:
    """The console runs what it is given through POST /cypher, so it has the API's row cap and time limit
    (here set low for the server) and shows the API's own words for them."""
    limits = {"PLANGRAPH_MAX_ROWS": "50", "PLANGRAPH_QUERY_TIMEOUT_S": "1"}
    with served([BUNDLED_DIR], env=limits) as base:
        warm(base)
        s = seen(base)
        sent: list[tuple[str, str, Any]] = []
        s.page.on(
            "request",
            lambda r: (
                sent.append((r.method, r.url, r.post_data_json)) if r.resource_type == "fetch" else None
            ),
        )
        many = "UNWIND range(1, 500) AS x RETURN x"
        page = s.open("#/console?run=1&q=" + quote(many), "console")
        assert [(m, u) for m, u, _ in sent] == [("POST", base + "/cypher")] and sent[0][2] == {"query": many}
        capped = httpx.post(base + "/cypher", json={"query": many}).json()
        assert capped["row_count"] == 50 and capped["truncated"]
        assert page.locator(".result tbody tr").count() == 50
        assert page.locator(".rowcount").inner_text() == "50 行 · 结果已截断（行数上限）"
        # 10^10 rows streamed through a filter: minutes of work in little memory, stopped at 1 s
        slow = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b WITH a + b AS s WHERE s < 0 RETURN count(s)"
        page.goto("about:blank")
        page = s.open("#/console?run=1&q=" + quote(slow), "console")
        stopped = httpx.post(base + "/cypher", json={"query": slow}, timeout=60)
        assert stopped.status_code == 504 and stopped.json()["code"] == "query_timeout"
        assert stopped.json()["detail"] in page.locator(".refused .detail").inner_text()
        s.clean("504 (Gateway Timeout)")  # the stopped POST itself


def warm(base: str) -> None:
    """Wait until the server's query workers answer (they start with it; within a 1 s time limit the first
    query may otherwise find none ready: 503 workers_busy)."""
    for _ in range(60):
        r = httpx.post(base + "/cypher", json={"query": "RETURN 1 AS x"}, timeout=30)
        if r.status_code == 200:
            return
        assert r.status_code == 503 and r.json()["code"] == "workers_busy", r.text
        time.sleep(0.5)
    raise AssertionError("the query workers never became ready")


def test_the_csp_refuses_inline_script(bundled: str, seen: Any) -> None:
    """A script element or an event-handler attribute written into the page does not run: the page's CSP
    allows scripts from this origin only."""
    s = seen(bundled)
    page = s.open("#/", "plans")
    page.evaluate(
        """() => {
        window.__refused = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__refused.push(e.violatedDirective));
        const script = document.createElement('script');
        script.textContent = 'window.__inline = 1';
        document.body.append(script);
        const b = document.createElement('button');
        b.id = 'inline-handler';
        b.setAttribute('onclick', 'window.__inline = 2');
        document.body.append(b);
    }"""
    )
    page.locator("#inline-handler").click()
    page.wait_for_function("window.__refused.length >= 2")
    assert page.evaluate("window.__inline") is None
    assert set(page.evaluate("window.__refused")) <= {"script-src-elem", "script-src-attr", "script-src"}
    s.clean("Content Security Policy")  # the refusals themselves


def download_of(page: Page, fmt: str) -> str:
    """Click the console's export button for ``fmt``; the downloaded file's path."""
    with page.expect_download() as dl:
        page.locator(f"p.exports button[data-format={fmt}]").click()
    return str(dl.value.path())


def test_back_button_and_language_toggle(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    page = s.open("#/", "plans")
    page.get_by_role("link", name="“十四五”国家信息化规划").click()
    s.wait("plan")
    page.locator(f"li[data-eid='{PLAN}/task-7'] > details > summary a").click()
    s.wait("element")
    page.go_back()
    s.wait("plan")
    assert page.url.endswith(f"#/plan/{PLAN}")
    page.go_back()
    s.wait("plans")
    page.get_by_role("button", name="English").click()
    s.wait("plans")
    assert page.locator("header nav").inner_text().startswith("Plans")
    assert (
        page.locator("table.plans tbody td").first.inner_text() == "“十四五”国家信息化规划"
    )  # not translated
    assert page.locator("table.plans tbody td .plantext").first.get_attribute("translate") == "no"
    page.get_by_role("button", name="中文").click()
    s.clean()


#: every view of the explorer on the bundled plan, no two neighbours of the same kind (so that waiting for a
#: view waits for the new one)
WALK = (
    ("plans", "#/"),
    ("plan", f"#/plan/{PLAN}"),
    ("element", eid_hash(f"{PLAN}/task-2")),
    ("goals", f"#/goals/{PLAN}"),
    ("goal", f"#/goal/{PLAN}/{quote(PLAN + '/goal-5', safe='')}"),
    ("element", eid_hash(f"{PLAN}/goal-5")),
    ("indicators", f"#/indicators/{PLAN}?sort=target_value&desc=1"),
    ("bodies", "#/bodies"),
    ("body", "#/body/" + quote("国家发展改革委")),
    ("search", "#/search?q=" + quote("区块链")),
    ("queries", "#/queries"),
    ("query", "#/query/goal_tasks?" + "goal=" + quote(f"{PLAN}/goal-5", safe="") + "&run=1"),
    ("console", "#/console?run=1&q=" + quote("MATCH (t:Task)-[r:SERVES]->(g:Goal) RETURN t, r, g")),
    ("goal", f"#/goal/{PLAN}/" + quote("数字")),  # ambiguous: the API's error and its candidates
    (
        "console",
        "#/console?run=1&view=graph&q=" + quote("MATCH (t:Task)-[r:SERVES]->(g:Goal) RETURN t, r, g"),
    ),
    ("query", "#/query/goal_tasks"),
    ("console", "#/console?run=1&q=" + quote("CREATE (n:Plan) RETURN n")),  # refused
    ("not-found", "#/no-such-view"),
)
#: the console errors of WALK's refused query and ambiguous goal (the views show them)
SHOWN_ERRORS = ("400 (Bad Request)", "409 (Conflict)")
#: words the interface keeps in either language (names of things, formats)
KEPT = {"PlanGraph", "Cypher", "cypher", "GraphML", "POST", "API", "JSON", "CSV", "PNG", "SVG", "eid"}
CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+"
LATIN = r"[A-Za-z][A-Za-z_]+"
#: text the interface wrote: every text node and label attribute outside what is marked translate="no"
#: (plan text, identifiers, the store's values, the names inside the query library's prose), the editor and
#: the citation
INTERFACE_TEXT = """(re) => {
  const out = [];
  const pat = new RegExp(re, 'g');
  const skip = (el) => el.closest('[translate=no], textarea, .editor');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    if (skip(n.parentElement)) continue;
    for (const m of n.textContent.matchAll(pat)) out.push([m[0], n.parentElement.tagName, n.textContent.trim().slice(0, 80)]);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    if (skip(el)) continue;
    for (const a of ['placeholder', 'aria-label', 'title'])
      for (const m of (el.getAttribute(a) || '').matchAll(pat)) out.push([m[0], `@${a}`, el.getAttribute(a)]);
  }
  return out;
}"""


def test_every_view_in_either_language_has_no_untranslated_interface_text(bundled: str, seen: Any) -> None:
    """Walking every view: in Chinese the interface writes no English word (beyond the names it keeps), in
    English no Chinese character; the plan's own text (marked translate="no") is shown as it is in both."""
    s = seen(bundled)
    page = s.open("#/", "plans")
    for language, pattern in (("zh-Hans", LATIN), ("en", CJK)):
        for view, hash_ in WALK:
            page.goto(bundled + "/" + hash_)
            s.wait(view)
            assert page.evaluate("document.documentElement.lang") == language
            found = [f for f in page.evaluate(INTERFACE_TEXT, pattern) if f[0] not in KEPT]
            assert not found, (language, hash_, found)
            if view == "element":  # the plan's text is there, untranslated
                assert re.search(CJK, page.locator("main h1[translate=no]").inner_text())
        if language == "zh-Hans":
            page.get_by_role("button", name="English").click()
            s.wait("not-found")
    s.clean(*SHOWN_ERRORS)


def test_every_view_has_a_url_and_the_back_button_returns_to_it(bundled: str, seen: Any) -> None:
    """Each view reached by following links is at its own URL: going back shows each one again, and its URL
    opened in a fresh page shows the same view."""
    s = seen(bundled)
    asked: list[tuple[str, str]] = []
    s.page.on("request", lambda r: asked.append((r.method, r.url)) if r.resource_type == "fetch" else None)
    page = s.open("#/", "plans")
    visited = []
    for view, hash_ in WALK[1:]:
        page.evaluate("(h) => { location.hash = h; }", hash_)
        s.wait(view)
        visited.append((view, page.url, page.locator("main").inner_text()))
    for view, url, text in reversed(visited[:-1]):
        page.go_back()
        s.wait(view)
        assert (page.url, page.locator("main").inner_text()) == (url, text)
    page.go_back()
    s.wait("plans")
    fresh = seen(bundled)
    for view, url, text in visited:
        fresh.page.goto("about:blank")
        fresh.page.goto(url)
        fresh.wait(view)
        assert fresh.page.locator("main").inner_text() == text, url
    s.clean(*SHOWN_ERRORS)
    fresh.clean(*SHOWN_ERRORS)
    # every call the pages made is an operation of the API's OpenAPI document; the only POSTs are reads
    documented = [
        (method.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^?]+", path) + r"(\?.*)?$"))
        for path, methods in api(bundled, "/openapi.json")["paths"].items()
        for method in methods
    ]
    paths = [(m, u.removeprefix(bundled)) for m, u in asked]
    assert paths
    for method, path in paths:
        assert any(m == method and rx.match(path) for m, rx in documented), (method, path)
    assert {path for m, path in paths if m != "GET"} == {"/cypher"}


def test_api_docs_work_offline(bundled: str, seen: Any) -> None:
    s = seen(bundled)
    s.page.goto(bundled + "/docs")
    s.page.wait_for_selector(".swagger-ui .info .title")
    assert "PlanGraph" in s.page.locator(".swagger-ui .info .title").inner_text()
    s.page.goto(bundled + "/redoc")
    s.page.wait_for_selector("h1:has-text('PlanGraph')")
    # ReDoc's "API docs by Redocly" logo points at its CDN: the CSP (img-src 'self') refuses it
    assert not s.fetched, s.fetched


# -- a three-plan corpus: text and PDF -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus() -> Iterator[str]:
    assert all(p.exists() for p in THREE), f"the corpus is missing: expected {CORPUS}"
    with served(THREE) as base:
        yield base


def test_corpus_plans_views_and_pdf_pages(corpus: str, seen: Any) -> None:
    s = seen(corpus)
    page = s.open("#/", "plans")
    plans = api(corpus, "/plans")["items"]
    assert len(plans) == 3
    assert page.locator("table.plans tbody tr td:first-child").all_inner_texts() == [
        p["title"] for p in plans
    ]
    pdf = next(p for p in plans if p["eid"].startswith("sewwxfwwrfzgh"))
    page.get_by_role("link", name=pdf["title"]).click()
    s.wait("plan")
    tree = api(corpus, f"/plans/{pdf['eid']}/tree")
    assert page.locator(".tree li[data-eid]").count() == len(tree["nodes"])
    paged = next(n for n in tree["nodes"] if n["kind"] == "Task" and n["page"])
    page.locator(
        f"li[data-eid='{paged['eid']}'] > details > summary a, li[data-eid='{paged['eid']}'] > .node a"
    ).first.click()
    s.wait("element")
    facts = page.locator("dl.facts").inner_text()
    assert f"\n{paged['page']}\n" in facts + "\n"
    assert f", p. {paged['page']}," in page.locator("textarea.citation").input_value()
    source = api(corpus, "/source", eid=paged["eid"])
    node = api(corpus, f"/nodes/{paged['eid']}")["node"]
    mark = page.locator("mark#span").inner_text()
    assert mark == source["text"] and squash(node["title"]) in squash(mark)
    for p in plans:  # every plan's goal list and indicator table open
        s.open(f"#/indicators/{p['eid']}", "indicators")
        n = len(api(corpus, "/indicators", plan=p["eid"], limit=500)["items"])
        assert s.page.locator("table.indicators tbody tr").count() == n
    s.clean()


def test_text_and_warnings_come_from_the_store_with_the_files_gone(
    seen: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Plans added from a folder that is deleted before the pages open: the element page highlights the span
    in the stored text, the plan tree shows the stored warnings beside their elements."""
    folder = tmp_path_factory.mktemp("gone")
    pdf = shutil.copy(THREE[2], folder / THREE[2].name)
    original = load_source(pdf).original
    with served([Path(pdf)]) as base:
        shutil.rmtree(folder)
        s = seen(base)
        plan = api(base, "/plans")["items"][0]["eid"]
        tree = api(base, f"/plans/{plan}/tree")
        page = s.open(f"#/plan/{plan}", "plan")
        placed = [w for w in tree["warnings"] if w["eid"]]
        assert placed, "the PDF plan has warnings on its elements"
        for w in placed:
            own = page.locator(
                f"li[data-eid='{w['eid']}'] > details > summary .warnings, "
                f"li[data-eid='{w['eid']}'] > .node .warnings"
            )
            assert f"[{w['code']}]" in (own.first.text_content() or ""), w
        task = next(n for n in tree["nodes"] if n["kind"] == "Task")
        s.open(eid_hash(task["eid"]), "element")
        span = task["span"]
        assert page.locator("mark#span").inner_text() == original[span["char_start"] : span["char_end"]]
        assert squash(task["title"]) in squash(page.locator("mark#span").inner_text())
        s.clean()


def test_corpus_goals_bodies_and_search_span_the_plans(corpus: str, seen: Any) -> None:
    """On the three-plan corpus: each plan's goal list and its first goal's ranking as the API gives them,
    the bodies view across plans, and a search whose hits come from several plans."""
    s = seen(corpus)
    for p in api(corpus, "/plans")["items"]:
        goals = api(corpus, "/goals", plan=p["eid"], limit=500)["items"]
        page = s.open(f"#/goals/{p['eid']}", "goals")
        assert page.locator("ol.goals > li a").all_inner_texts() == [g["title"] or g["eid"] for g in goals]
        if not goals:
            continue
        page.locator("ol.goals > li a").first.click()
        s.wait("goal")
        ranked = api(corpus, f"/goals/{quote(goals[0]['eid'], safe='')}/tasks", plan=p["eid"])["items"]
        shown = page.locator("ol.ranked.tasks > li")
        assert shown.count() == len(ranked)
        if ranked:
            assert shown.first.get_attribute("data-eid") == ranked[0]["eid"]
    page = s.open("#/bodies", "bodies")
    bodies = api(corpus, "/bodies", limit=500)["items"]
    assert page.locator("table.bodies tbody tr").count() == len(bodies) > 0
    hits = api(corpus, "/search", q="发展", limit=100)["items"]
    assert len({h["plan_id"] for h in hits if h.get("plan_id")}) > 1
    page = s.open("#/search?q=" + quote("发展"), "search")
    assert page.locator("ol.results > li").count() == len(hits)
    s.clean()


# -- a hostile plan: markup, script and javascript: links in the text are shown as text ------------------------
@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    with served([HOSTILE]) as base:
        yield base


def assert_inert(page: Page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img, main script, main iframe, main [onerror], main [onmouseover]").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().lstrip().startswith(("javascript:", "data:", "//", "http"))], (
        hrefs
    )


def test_hostile_plan_is_shown_as_text(hostile: str, seen: Any) -> None:
    s = seen(hostile)
    page = s.open("#/", "plans")
    plan = api(hostile, "/plans")["items"][0]
    assert "<script>" in plan["title"]
    assert page.locator("table.plans tbody td").first.inner_text() == plan["title"]
    assert_inert(page)
    page.get_by_role("link", name=plan["title"]).click()
    s.wait("plan")
    assert page.locator("h1").inner_text() == plan["title"]
    assert_inert(page)
    tree = api(hostile, "/plans/hostile-plan/tree")["nodes"]
    for n in tree:
        s.open(eid_hash(n["eid"]), "element")
        assert page.locator("h1").inner_text() == n["title"]
        assert_inert(page)
    source = api(hostile, "/source", eid="hostile-plan/task-1")
    s.open(eid_hash("hostile-plan/task-1"), "element")
    assert page.locator("mark#span").inner_text() == source["text"] and "onerror" in source["text"]
    assert "javascript:alert(1)" in page.locator("mark#span").inner_text()  # a javascript: URL as text
    s.open("#/search?q=" + quote("<script>"), "search")
    assert page.locator("ol.results > li").count() == len(api(hostile, "/search", q="<script>")["items"]) > 0
    assert_inert(page)
    # Cypher in the plan's text is text: shown, found by search, never run
    counts = api(hostile, "/plans/counts")
    hits = api(hostile, "/search", q="DETACH DELETE")["items"]
    assert hits
    s.open(eid_hash(hits[0]["eid"]), "element")
    assert "MATCH (n) DETACH DELETE n" in page.locator("mark#span").inner_text()
    s.open("#/search?q=" + quote("DETACH DELETE"), "search")
    assert page.locator("ol.results mark.hit").all_inner_texts() == ["DETACH DELETE"]
    assert_inert(page)
    assert api(hostile, "/plans/counts") == counts
    s.open("#/console?run=1&q=" + quote("RETURN '<img src=x onerror=window.__pwned=11>' AS x"), "console")
    assert page.locator(".result tbody td").first.inner_text() == "<img src=x onerror=window.__pwned=11>"
    assert_inert(page)
    s.clean()


# -- Neo4j ---------------------------------------------------------------------------------------------------
@pytest.mark.neo4j
def test_explorer_on_neo4j(seen: Any) -> None:
    from tests.stores_env import open_engine

    open_engine("neo4j").close()  # fails in CI, skips elsewhere, when no server answers
    with served([BUNDLED_DIR], store="neo4j") as base:
        s = seen(base)
        page = s.open(eid_hash(f"{PLAN}/goal-5"), "element")
        assert page.locator("mark#span").inner_text() == api(base, "/source", eid=f"{PLAN}/goal-5")["text"]
        s.open(f"#/goal/{PLAN}/goal-5", "goal")
        first = api(base, f"/goals/{quote(PLAN + '/goal-5', safe='')}/tasks", plan=PLAN)["items"][0]["eid"]
        assert page.locator("ol.ranked.tasks > li").first.get_attribute("data-eid") == first
        s.clean()
