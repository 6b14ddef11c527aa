"""The YAML files users write (plan.yaml, links.yaml, a gold mapping): a broken one is one clear line
naming the file and the line, never a traceback (ingest/yamlfile.read_user_yaml, the one reader)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plangraph.cli.main import app
from tests.conftest import BUNDLED_SOURCE

#: a flow sequence opened on line 2 and never closed: the parser gives up at the end, line 3
BROKEN = "plan: x\nserves: [task-1\n"
NOT_UTF8 = "plan: 信息化\n".encode("gbk")


def plan_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(BUNDLED_SOURCE.parent, folder)
    return folder


def meta(tmp_path: Path, content: str | bytes) -> tuple[Path, list[str]]:
    folder = plan_copy(tmp_path)
    path = folder / "plan.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path, ["parse", str(folder)]


def links(tmp_path: Path, content: str | bytes) -> tuple[Path, list[str]]:
    folder = plan_copy(tmp_path)
    path = folder / "links.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path, ["export", str(folder), "-o", str(tmp_path / "out.json")]


def gold(tmp_path: Path, content: str | bytes) -> tuple[Path, list[str]]:
    path = tmp_path / "gold.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path, ["eval", str(BUNDLED_SOURCE), "--gold", str(path)]


FILES: dict[str, Callable[[Path, str | bytes], tuple[Path, list[str]]]] = {
    "plan.yaml": meta,
    "links.yaml": links,
    "gold": gold,
}


def run(args: list[str]) -> tuple[int, str]:
    res = CliRunner().invoke(app, args)
    assert "Traceback" not in res.output and not (res.exception and res.exit_code != 2), res.output
    return res.exit_code, res.output.strip()


@pytest.mark.parametrize("kind", FILES)
def test_invalid_yaml_names_the_file_and_the_line(tmp_path: Path, kind: str) -> None:
    path, args = FILES[kind](tmp_path, BROKEN)
    code, out = run(args)
    assert code == 2
    assert f"{path}:3: not valid YAML: " in out and "(while parsing a flow sequence from line 2)" in out, out
    assert len(out.splitlines()) == 1, out


@pytest.mark.parametrize("kind", FILES)
def test_a_file_that_is_not_utf8_is_named(tmp_path: Path, kind: str) -> None:
    path, args = FILES[kind](tmp_path, NOT_UTF8)
    code, out = run(args)
    assert code == 2 and f"{path}: not UTF-8 text (byte " in out, out
