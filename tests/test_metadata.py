"""Plan metadata: ids from titles, periods, plan.yaml against the document and the flags, and the CLI's
--plan-id / --title / --partial on every command that parses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli.main import app
from plangraph.ingest.errors import MetadataError
from plangraph.ingest.load import folder_id, load_meta, meta_file_for
from plangraph.ingest.pipeline import parse_file
from plangraph.ingest.planid import period_of, plan_id_for, slug
from tests.test_frontmatter import BODY, INTRO

runner = CliRunner()
TITLED = "“十四五”数字经济发展规划\n" + INTRO + BODY


@pytest.mark.parametrize(
    ("title", "plan_id"),
    [
        ("“十四五”国家信息化规划", "sswgjxxhgh-2021-2025"),
        ("《“十四五”国家信息化规划》", "sswgjxxhgh-2021-2025"),
        ("山东省“十三五”科技创新规划", "sdssswkjcxgh-2016-2020"),
        ("“十二五”危险废物污染防治规划", "sewwxfwwrfzgh-2011-2015"),
        ("促进新一代人工智能产业发展三年行动计划（2018-2020年）", "cjxydrgzncyfzsnxdjh-2018-2020"),
        ("青岛市人工智能产业创新发展行动计划（2024—2026年）", "qdsrgzncycxfzxdjh-2024-2026"),
        ("数字商务三年行动计划（2024—2026年）", "szswsnxdjh-2024-2026"),
        ("新一代人工智能发展规划", "xydrgznfzgh"),
        ("5G应用“扬帆”行动计划（2021-2023年）", "5g-yyyfxdjh-2021-2023"),
        ("中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要",
         "zhrmghggmjjhshfzdssgwnghh-2035-2021-2025"),
    ],
)  # fmt: skip
def test_plan_id_from_title(title: str, plan_id: str) -> None:
    assert plan_id_for(title) == plan_id
    assert plan_id.isascii() and plan_id == plan_id_for(title)  # stable


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("智慧健康养老产业发展行动计划（2021-2025年）", (2021, 2025)),
        ("数字商务三年行动计划（2024—2026年）", (2024, 2026)),
        ("推进船舶总装建造智能化转型行动计划（2019—2021年）", (2019, 2021)),
        ("“十四五”国家信息化规划", (2021, 2025)),
        ("山东省“十三五”科技创新规划", (2016, 2020)),
        ("“十二五”危险废物污染防治规划", (2011, 2015)),
        ("国民经济和社会发展第十四个五年规划纲要", (2021, 2025)),
        ("国家药监局关于加快推进药品智慧监管的行动计划", None),
        ("某某规划（2035年）", None),
    ],
)
def test_period_of(title: str, period: tuple[int, int] | None) -> None:
    assert period_of(title) == period


@pytest.mark.parametrize(
    ("name", "out"),
    [
        ("xlsx_ai_chanye_3yr_2018_2020", "xlsx_ai_chanye_3yr_2018_2020"),
        ("十四五 软件规划", "ssw-rjgh"),
        ("", "plan"),
    ],
)
def test_slug(name: str, out: str) -> None:
    assert slug(name) == out


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def test_ids_in_a_folder(tmp_path: Path) -> None:
    a = write(tmp_path / "corpus", "first.txt", TITLED)
    b = write(tmp_path / "corpus", "second.txt", INTRO + BODY)
    c = write(tmp_path / "my-plan", "source.txt", TITLED)
    assert parse_file(a).plan.id == "sswszjjfzgh-2021-2025"  # from its title
    assert parse_file(b).plan.id == "second"  # no title: from the file's name
    assert parse_file(c).plan.id == "my-plan"  # a plan directory's source file: the folder's name
    assert folder_id(c) == "my-plan" and folder_id(a) is None


def test_plan_yaml_wins_over_the_document_and_flags_win_over_plan_yaml(tmp_path: Path) -> None:
    src = write(tmp_path / "p", "source.txt", TITLED)
    write(tmp_path / "p", "plan.yaml", "id: digital\ntitle: 数字经济规划\nissuer: 国务院\n")
    doc = parse_file(src)
    assert (doc.plan.id, doc.plan.title, doc.plan.issuer) == ("digital", "数字经济规划", "国务院")
    assert [w.line for w in doc.warnings if w.code == "W802"] == [1]  # not the title the file gives
    doc = parse_file(src, plan_id="other", title="另一个规划（2022-2024年）")
    assert (doc.plan.id, doc.plan.title, doc.plan.period) == (
        "other",
        "另一个规划（2022-2024年）",
        (2022, 2024),
    )


def test_file_metadata_beside_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    a = write(folder, "a.txt", INTRO + BODY)
    write(folder, "a.plan.yaml", "title: 甲规划\nperiod: [2021, 2025]\n")
    write(folder, "plan.yaml", "issuer: 某部\n")
    b = write(folder, "b.txt", INTRO + BODY)
    assert meta_file_for(a) == folder / "a.plan.yaml" and meta_file_for(b) == folder / "plan.yaml"
    doc = parse_file(a)
    assert (doc.plan.id, doc.plan.title, doc.plan.period) == ("jgh-2021-2025", "甲规划", (2021, 2025))
    assert parse_file(b).plan.issuer == "某部"
    assert load_meta(b).id == "b"


def test_bad_plan_yaml(tmp_path: Path) -> None:
    src = write(tmp_path / "p", "source.txt", TITLED)
    write(tmp_path / "p", "plan.yaml", "id: x\nunknown_field: 1\n")
    with pytest.raises(MetadataError, match="unknown fields"):
        parse_file(src)


# -- the CLI -----------------------------------------------------------------------------------------


def test_parse_flags(tmp_path: Path) -> None:
    src = write(tmp_path, "body.txt", INTRO + BODY)
    out = tmp_path / "out.json"
    res = runner.invoke(
        app, ["parse", str(src), "-o", str(out), "--title", "某某市数字化行动计划（2024—2026年）"]
    )
    assert res.exit_code == 0, res.output
    plan = json.loads(out.read_text(encoding="utf-8"))["plan"]
    assert (plan["id"], plan["title"], plan["period"]) == (
        "mmsszhxdjh-2024-2026",
        "某某市数字化行动计划（2024—2026年）",
        [2024, 2026],
    )
    res = runner.invoke(app, ["parse", str(src), "--summary", "--plan-id", "mine"])
    assert res.exit_code == 0 and res.output.startswith("plan mine: ") and "W801" in res.output
    res = runner.invoke(app, ["parse", str(write(tmp_path, "n.txt", TITLED)), "--summary"])
    assert (
        "plan sswszjjfzgh-2021-2025: “十四五”数字经济发展规划" in res.output
        and "period 2021–2025" in res.output
    )


def test_export_takes_the_parse_flags(tmp_path: Path) -> None:
    cut = write(tmp_path, "cut.txt", INTRO + BODY + "（二）强化资金保障\n加大财政资金支持力度，完善")
    res = runner.invoke(app, ["export", str(cut), "--format", "json"])
    assert res.exit_code == 2 and "[E011]" in res.output
    res = runner.invoke(
        app, ["export", str(cut), "--format", "json", "--partial", "--plan-id", "cut", "--title", "某规划"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    plan = next(n for n in data["nodes"] if n["labels"] == ["Plan"])
    assert plan["id"] == "cut" and plan["properties"]["title"] == "某规划"


@pytest.mark.parametrize(
    "command",
    [["parse"], ["export"], ["load"], ["ingest"], ["eval"], ["analyse", "coverage"], ["analyse", "centrality"],
     ["analyse", "comention"], ["analyse", "path"]],
)  # fmt: skip
def test_every_parsing_command_has_the_flags(command: list[str]) -> None:
    res = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    for flag in ("--plan-id", "--title", "--partial"):
        assert flag in res.output, (command, flag)
