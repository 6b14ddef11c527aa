"""``plangraph add / plans / drop`` on the embedded store: files, folders and globs, parallel parsing,
sha256 skip, replacement, per-file failures, the final table, plain progress lines off a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli.main import app
from plangraph.graph.corpus_batch import Found, Status, expand
from plangraph.graph.stores import open_store
from plangraph.ingest.errors import PlanError
from tests.conftest import BUNDLED_SOURCE
from tests.corpus_env import PLANS, SHARED_CORPUS, make_corpus

runner = CliRunner()
TXT_PLANS = {k: v for k, v in PLANS.items() if v.suffix == ".txt"}


def plans(db: Path) -> dict[str, dict[str, object]]:
    out = runner.invoke(app, ["plans", "--db", str(db), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    return {row[0]: dict(zip(data["columns"], row, strict=True)) for row in data["rows"]}


def table_rows(output: str) -> dict[str, str]:
    """plan id (or source) → status, from the final table."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 7 and cells[0] in {s.value for s in Status}:
            rows[cells[1] or cells[6]] = cells[0]
    return rows


def test_add_a_corpus_then_rerun_replace_and_drop(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, TXT_PLANS)
    bad = tmp_path / "broken.txt"
    bad.write_text("今天天气很好，我们去公园散步。\n", encoding="utf-8")
    db = tmp_path / "c.lbug"

    first = runner.invoke(app, ["add", str(corpus), str(bad), "--db", str(db), "--jobs", "2"])
    assert first.exit_code == 1, first.output  # one file failed, the others loaded
    rows = table_rows(first.stdout)
    assert rows == {**dict.fromkeys(TXT_PLANS, "added"), str(bad): "failed"}
    assert f"failed {bad}: [E010] {bad}:1: no numbered parts" in first.output
    assert "3 added, 0 replaced, 0 skipped, 1 failed, 0 not a plan" in first.stdout
    assert "[1/4] " in first.output  # plain lines, not a bar: the runner is no terminal
    held = plans(db)
    assert set(held) == set(TXT_PLANS)
    assert held["pgtest-corpus-bundled"]["tasks"] == 10 and held["pgtest-corpus-bundled"]["goals"] == 8
    assert held["pgtest-corpus-ruanjian"]["title"] == "“十四五”软件和信息技术服务业发展规划"

    again = runner.invoke(app, ["add", str(corpus), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "0 added, 0 replaced, 3 skipped" in again.stdout

    changed = corpus / "pgtest-corpus-bundled" / "source.txt"
    text = BUNDLED_SOURCE.read_text(encoding="utf-8")
    changed.unlink()
    changed.write_text(text.replace("数字政府建设水平全面提升", "数字政府建设水平大幅提升"), encoding="utf-8")
    third = runner.invoke(app, ["add", str(corpus), "--db", str(db)])
    assert third.exit_code == 0, third.output
    assert table_rows(third.stdout)["pgtest-corpus-bundled"] == "replaced"
    assert (
        plans(db)["pgtest-corpus-bundled"]["source_sha256"] != held["pgtest-corpus-bundled"]["source_sha256"]
    )
    store = open_store("ladybug", path=db, read_only=True)
    goals = store.read("MATCH (g:Goal) WHERE g.plan_id = 'pgtest-corpus-bundled' RETURN g.title").rows
    store.close()
    assert ["数字政府建设水平大幅提升"] in goals and ["数字政府建设水平全面提升"] not in goals

    dropped = runner.invoke(app, ["drop", "pgtest-corpus-suanli", "--db", str(db)])
    assert dropped.exit_code == 0 and "dropped pgtest-corpus-suanli" in dropped.output
    assert set(plans(db)) == set(TXT_PLANS) - {"pgtest-corpus-suanli"}
    unknown = runner.invoke(app, ["drop", "pgtest-nope", "--db", str(db)])
    assert unknown.exit_code == 2 and "holds no plan 'pgtest-nope'" in unknown.output


def test_globs_and_folders_expand_to_sources(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, TXT_PLANS)
    (corpus / "notes.md").write_text("# 说明\n", encoding="utf-8")
    (corpus / "gold.json").write_text("{}", encoding="utf-8")
    found = expand([corpus, SHARED_CORPUS / "xlsx_zhihui_*.txt"])
    names = [f.path.relative_to(f.path.parents[1]).as_posix() for f in found]
    assert names == [
        "corpus/notes.md",
        "pgtest-corpus-bundled/source.txt",
        "pgtest-corpus-ruanjian/source.txt",
        "pgtest-corpus-suanli/source.txt",
        "corpus/xlsx_zhihui_yanglao_2021_2025.txt",
    ]
    assert all(f.walked for f in found)  # found in folders and by a pattern, not named one by one
    assert expand([corpus / "pgtest-corpus-suanli"]) == [
        Found(corpus / "pgtest-corpus-suanli" / "source.txt")
    ]
    with pytest.raises(PlanError, match=r"\[E000\] .*nothing-\*\.txt: the pattern matches no file"):
        expand([tmp_path / "nothing-*.txt"])


def test_a_walked_file_that_is_no_plan_is_reported_not_failed(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, {"pgtest-corpus-suanli": TXT_PLANS["pgtest-corpus-suanli"]})
    (corpus / "README.md").write_text("# 这个文件夹\n\n这里放的是规划文本。\n", encoding="utf-8")
    db = tmp_path / "c.lbug"
    out = runner.invoke(app, ["add", str(corpus), "--db", str(db), "--jobs", "1"])
    assert out.exit_code == 0, out.output
    assert table_rows(out.stdout) == {
        "pgtest-corpus-suanli": "added",
        str(corpus / "README.md"): "not a plan",
    }


def test_plan_id_twice_in_one_run_fails_the_second(tmp_path: Path) -> None:
    one, two = tmp_path / "one" / "pgtest-same", tmp_path / "two" / "pgtest-same"
    for folder, real in (
        (one, TXT_PLANS["pgtest-corpus-suanli"]),
        (two, TXT_PLANS["pgtest-corpus-ruanjian"]),
    ):
        folder.mkdir(parents=True)
        (folder / "source.txt").symlink_to(real)
    out = runner.invoke(app, ["add", str(one), str(two), "--db", str(tmp_path / "c.lbug"), "--jobs", "1"])
    assert out.exit_code == 1
    assert f"[E030] {two / 'source.txt'}: plan id 'pgtest-same' is also the id of" in out.output


def test_add_refuses_plan_id_for_several_paths(tmp_path: Path) -> None:
    out = runner.invoke(app, ["add", "a", "b", "--plan-id", "x", "--db", str(tmp_path / "c.lbug")])
    assert out.exit_code == 2 and "--plan-id and --title name one plan" in out.output
