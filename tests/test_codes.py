"""The catalogue of message codes (plangraph/codes.yaml): every code the program can print has an entry
that says what it means and what to do, in English and Chinese; ``plangraph explain`` and ``GET /codes``
give the same entries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plangraph import codes
from plangraph.api.errors import STATUS
from plangraph.api.main import create_app
from plangraph.cli.main import app
from plangraph.settings import Settings
from tests.conftest import ROOT

CATALOGUE = codes.catalogue()
#: a code as the program writes it: a string literal "E010", "W301", "I805"
LITERAL = re.compile(r"""["']([EWI][0-9]{3})["']""")
PACKAGES = ("ingest", "graph", "api", "plangraph", "queries")
HAN = re.compile(r"[\u3400-\u9fff]")
#: the genre's own words an English sentence keeps (as the explorer's English interface does)
GENRE_WORDS = {
    "专栏",
    "行动目标",
    "文号",
    "附件",
    "此件公开发布",
    "到",
    "年",
    "规划",
    "纲要",
    "行动计划",
    "实施方案",
}


def raised_codes() -> dict[str, str]:
    """Every code literal in the program's sources, with the first file that has it."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for code in LITERAL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(code, str(path.relative_to(ROOT)))
    return found


def test_every_code_the_program_writes_has_an_entry() -> None:
    raised = raised_codes()
    assert len(raised) > 60  # the scan found the program's codes
    missing = {code: where for code, where in raised.items() if code not in CATALOGUE}
    assert not missing, f"codes without an entry in plangraph/codes.yaml: {missing}"


def test_every_entry_is_a_code_the_program_writes() -> None:
    stale = sorted(set(CATALOGUE) - set(raised_codes()))
    assert not stale, f"entries no program text writes (remove them, or the code was renamed): {stale}"


def test_every_error_the_api_maps_has_an_entry() -> None:
    assert set(STATUS) <= set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_entry_says_what_in_both_languages(code: str) -> None:
    entry = CATALOGUE[code]
    assert entry.what.en and entry.what.zh
    assert HAN.search(entry.what.zh), "the Chinese text is Chinese"
    for text in (entry.what.en, entry.do.en):
        assert set(HAN.findall(text)) <= set("".join(GENRE_WORDS)), f"Chinese in the English text: {text!r}"
    if entry.level != "note":  # an error or a warning tells the reader what to do; a note may not need to
        assert entry.do.en and entry.do.zh, f"{code} says what to do"
    assert bool(entry.do.en) == bool(entry.do.zh)


def test_codes_are_in_order_and_levels_follow_their_letter() -> None:
    assert list(CATALOGUE) == sorted(CATALOGUE, key=lambda c: ("EIW".index(c[0]), c))
    assert {c.level for c in CATALOGUE.values()} == {"error", "warning", "note"}
    assert CATALOGUE["E010"].level == "error" and CATALOGUE["W702"].level == "warning"
    assert CATALOGUE["I805"].level == "note"


def test_an_entry_that_is_not_a_code_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "codes.yaml"
    bad.write_text('E01: {what: {en: "x", zh: "甲"}, do: {en: "", zh: ""}}\n', encoding="utf-8")
    monkeypatch.setattr(codes, "CATALOGUE", bad)
    codes.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="'E01' is not a code"):
            codes.catalogue()
    finally:
        monkeypatch.undo()
        codes.catalogue.cache_clear()


# -- plangraph explain -----------------------------------------------------------------------------------
def test_explain_prints_one_entry_in_both_languages() -> None:
    res = CliRunner().invoke(app, ["explain", "w702"])
    assert res.exit_code == 0, res.output
    entry = CATALOGUE["W702"]
    lines = res.output.splitlines()
    assert lines[:3] == ["W702 (warning)", f"  {entry.what.en}", f"  {entry.what.zh}"]
    assert f"  what to do: {entry.do.en}" in lines and f"  怎么办：{entry.do.zh}" in lines


def test_explain_lists_every_code_and_refuses_an_unknown_one() -> None:
    res = CliRunner().invoke(app, ["explain"])
    assert res.exit_code == 0
    listed = [line.split()[0] for line in res.output.splitlines() if not line.startswith(" ")]
    assert listed == list(CATALOGUE)
    res = CliRunner().invoke(app, ["explain", "W999"])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        "error: [E406] code: no message code 'W999'; codes look like E010, W301 or I805 (plangraph explain "
        "lists them)"
    ]


# -- GET /codes ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("codes") / "empty.lbug"
    with TestClient(create_app(Settings(store="ladybug", db_path=db))) as c:  # type: ignore[call-arg]
        yield c


def test_the_api_serves_the_catalogue_as_explain_does(client: TestClient) -> None:
    served = client.get("/codes").json()
    assert [e["code"] for e in served] == list(CATALOGUE)
    res = CliRunner().invoke(app, ["explain", "--json"])
    assert json.loads(res.output) == served
    one = client.get("/codes/e303")
    assert one.status_code == 200
    assert one.json() == CATALOGUE["E303"].as_dict() == served[list(CATALOGUE).index("E303")]
    assert "PLANGRAPH_QUERY_TIMEOUT_S" in one.json()["do"]


def test_an_unknown_code_is_a_404_problem(client: TestClient) -> None:
    res = client.get("/codes/W999")
    assert res.status_code == 404
    assert res.headers["content-type"].startswith("application/problem+json")
    body = res.json()
    assert body["code"] == "unknown_code" and body["error_code"] == "E406"
    assert "W999" in body["detail"]


def test_the_readmes_example_is_what_explain_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ plangraph explain (\w+)\n(.*?)```", readme, re.S)
    assert block, "the README shows plangraph explain"
    res = CliRunner().invoke(app, ["explain", block.group(1)])
    assert res.output == block.group(2)
