"""``plangraph load / ingest / cypher / stats / drop`` on the embedded store (a file per test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli.main import app
from plangraph.cli.store_cmds import Format, parse_params, render
from plangraph.graph.stores import QueryResult, StoreUnavailable
from plangraph.graph.stores.ladybug_store import LadybugStore
from tests.conftest import BUNDLED_DIR, ROOT

runner = CliRunner()
PLAN = "informatization-14fyp"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "plans.lbug"
    result = runner.invoke(app, ["load", str(BUNDLED_DIR), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert f"loaded {PLAN}: " in result.output and str(path) in result.output
    return path


def test_stats(db: Path) -> None:
    result = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["plans"] == [PLAN] and data["nodes"]["Task"] == 10
    text = runner.invoke(app, ["stats", "--db", str(db)]).output
    assert f"plans: {PLAN}" in text and "Column " in text


def test_cypher_formats_and_params(db: Path) -> None:
    query = "MATCH (t:Task) WHERE t.ordinal <= $n RETURN t.ordinal AS n, t.title AS title ORDER BY n"
    table = runner.invoke(app, ["cypher", query, "-p", "n=2", "--db", str(db)])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split(" | ") == ["n", "title"] and lines[-1] == "(2 rows)"
    as_json = json.loads(
        runner.invoke(app, ["cypher", query, "-p", "n=1", "--db", str(db), "-f", "json"]).output
    )
    assert as_json["columns"] == ["n", "title"] and as_json["rows"][0][0] == 1 and not as_json["truncated"]
    as_csv = runner.invoke(app, ["cypher", query, "-p", "n=3", "--db", str(db), "--format", "csv"]).output
    assert as_csv.splitlines()[0] == "n,title" and len(as_csv.splitlines()) == 4


def test_cypher_caps_rows_and_refuses_writes(db: Path) -> None:
    capped = runner.invoke(app, ["cypher", "MATCH (n:Task) RETURN n.eid", "--max-rows", "2", "--db", str(db)])
    assert capped.exit_code == 0 and "(2 rows, truncated)" in capped.output
    refused = runner.invoke(app, ["cypher", "MATCH (n) DETACH DELETE n", "--db", str(db)])
    assert refused.exit_code == 2 and "error: [E302] only read queries are allowed" in refused.output
    assert "Traceback" not in refused.output
    slow = runner.invoke(
        app, ["cypher", "MATCH (a)-[*1..12]-(b) RETURN count(*)", "--timeout", "0.2", "--db", str(db)]
    )
    assert slow.exit_code == 2 and "[E303]" in slow.output
    bad = runner.invoke(app, ["cypher", "RETURN 1", "-p", "novalue", "--db", str(db)])
    assert bad.exit_code == 2 and "name=value" in bad.output


def test_missing_store_and_bad_source(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["stats", "--db", str(tmp_path / "none.lbug")])
    assert missing.exit_code == 2 and "[E301] no Ladybug store at" in missing.output
    bad = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.lbug")])
    assert bad.exit_code == 2 and "no such file" in bad.output


def test_ingest_and_drop(tmp_path: Path) -> None:
    path = tmp_path / "two.lbug"
    for plan_id in ("first", "second"):
        result = runner.invoke(
            app, ["ingest", str(BUNDLED_DIR / "source.txt"), "--plan-id", plan_id, "--db", str(path)]
        )
        assert result.exit_code == 0, result.output
    assert json.loads(runner.invoke(app, ["stats", "--db", str(path), "--json"]).output)["plans"] == [
        "first",
        "second",
    ]
    assert runner.invoke(app, ["drop", "first", "--db", str(path)]).exit_code == 0
    again = runner.invoke(app, ["drop", "first", "--db", str(path)])
    assert again.exit_code == 2 and "holds no plan 'first'" in again.output
    assert json.loads(runner.invoke(app, ["stats", "--db", str(path), "--json"]).output)["plans"] == [
        "second"
    ]


def test_a_store_another_process_writes_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "locked.lbug"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from graph.stores.ladybug_store import LadybugStore as S; s = S({str(path)!r}); "
         "print('ready', flush=True); input()"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreUnavailable, match=r"\[E301\] cannot open the Ladybug store at .*lock"):
            LadybugStore(path)
        with LadybugStore(path, read_only=True) as reader:  # readers may open it
            assert reader.stats()["node_count"] == 0
    finally:
        holder.communicate("\n", timeout=30)


def test_params_and_render() -> None:
    assert parse_params(["a=1", "b=x=y", "c=[1, 2]", "d=null", "e="]) == {
        "a": 1,
        "b": "x=y",
        "c": [1, 2],
        "d": None,
        "e": "",
    }
    result = QueryResult(["名称", "n"], [["数字中国", 1], ["x", None]], truncated=False)
    table = render(result, Format.table).splitlines()
    assert table[0] == "名称     | n"  # CJK counts double: the column is 8 wide
    assert table[2] == "数字中国 | 1"
    assert render(result, Format.csv).splitlines() == ["名称,n", "数字中国,1", "x,"]
