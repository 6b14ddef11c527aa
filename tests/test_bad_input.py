"""Bad input: clear typed errors with file and line, non-zero exit, no traceback; --partial on request.
Mutated plans (hypothesis) never crash the parser and keep every span valid."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraph.ingest.errors import IncompletePlan, NotAPlan, PlanError
from plangraph.ingest.models import PlanMeta
from plangraph.ingest.pipeline import parse_bytes
from tests.conftest import BUNDLED_SOURCE, ROOT
from tests.spans import span_problems

PLANGRAPH = [sys.executable, "-m", "plangraph.cli.main"]
LINES = BUNDLED_SOURCE.read_text(encoding="utf-8").split("\n")
META = PlanMeta(id="mutant")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*PLANGRAPH, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "E001"),
        (b"\x00\x01\x02binary\x00", "E002"),
        ("今天天气很好，我们去公园散步。公园里有很多人。\n".encode(), "E010"),
        ("1.第一点\n这是一段普通的文字，不是规划。\n2.第二点\n还是普通的文字。\n".encode(), "E010"),
        (
            "一、总体要求\n".encode() + "二、主要任务推进数字化发展和网络强国建设建设".encode("gbk") * 3,
            "E003",
        ),
    ],
)
def test_cli_rejects_with_code_and_place(tmp_path: Path, content: bytes, code: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    res = run_cli("parse", str(f))
    assert res.returncode == 2
    assert f"[{code}]" in res.stderr and "bad.txt" in res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_numbered_parts_without_plan_meanings_keep_their_outline(tmp_path: Path) -> None:
    """A neighbour of the genre (意见, 通知 …) with numbered parts is not refused: its outline is kept."""
    f = tmp_path / "yijian.txt"
    f.write_text(
        "一、第一部分\n这是一段普通的文字，不是规划。\n二、第二部分\n还是普通的文字。\n", encoding="utf-8"
    )
    res = run_cli("parse", str(f), "--summary")
    assert res.returncode == 0, res.stderr
    assert "W210" in res.stdout and "Part" in res.stdout


def test_cli_missing_file(tmp_path: Path) -> None:
    res = run_cli("parse", str(tmp_path / "nope.txt"))
    assert res.returncode == 2 and "nope.txt" in res.stderr and "Traceback" not in res.stderr


def test_truncated_plan_needs_partial(tmp_path: Path) -> None:
    cut = "\n".join(LINES[:1400]).rstrip() + "\n"  # ends inside a paragraph of task 6
    f = tmp_path / "cut.txt"
    f.write_text(cut, encoding="utf-8")
    res = run_cli("parse", str(f))
    assert res.returncode == 2 and "[E011]" in res.stderr and "cut.txt:" in res.stderr
    out = tmp_path / "out.json"
    res = run_cli("parse", str(f), "--partial", "-o", str(out), "--plan-id", "cut")
    assert res.returncode == 0, res.stderr
    assert '"complete": false' in out.read_text(encoding="utf-8")
    res = run_cli("parse", str(f), "--partial", "--summary")
    assert "INCOMPLETE" in res.stdout and "W901" in res.stdout


def test_failed_parse_writes_nothing(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_text("普通文字。", encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("previous", encoding="utf-8")
    assert run_cli("parse", str(f), "-o", str(out)).returncode == 2
    assert out.read_text(encoding="utf-8") == "previous"


def test_summary_lists_counts_and_warnings() -> None:
    res = run_cli("parse", "data/plans/informatization-14fyp", "--summary")
    assert res.returncode == 0
    assert "Task" in res.stdout and "line 54" in res.stdout


def _parse_mutant(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8")
    try:
        doc = parse_bytes(data, META, name="mutant.txt", partial=True)
    except (NotAPlan, IncompletePlan, PlanError) as exc:
        assert exc.code.startswith("E")
        assert "mutant.txt" in str(exc)
        return
    original = data.decode("utf-8")
    assert span_problems(doc, original) == []
    for w in doc.warnings:
        assert w.line is None or 1 <= w.line <= len(lines) + 1


MARKERS = [
    "一、",
    "（三）",
    "1.",
    "专栏 3 ",
    "行动目标：",
    "注：",
    "7.8%，",
    "12",
    " ",
    "（本文有删减）",
    "第二章 ",
    "①",
]


@st.composite
def mutated(draw: st.DrawFn) -> list[str]:
    n = len(LINES)
    start = draw(st.integers(0, n - 1))
    size = draw(st.integers(1, 400))
    lines = list(LINES[start : start + size])
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "marker", "cut"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "marker":
            lines.insert(i, draw(st.sampled_from(MARKERS)) + lines[i][: draw(st.integers(0, 10))])
        else:
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k]
    return lines


PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(mutated())
def test_mutated_plans_never_crash(lines: list[str]) -> None:
    _parse_mutant(lines)


@PROFILE
@given(
    st.text(
        alphabet=st.sampled_from(list("一二三、（）1.专栏行动目标：到2023年。，\n 数字中国建设注*")),
        max_size=400,
    )
)
def test_random_text_never_crashes(text: str) -> None:
    _parse_mutant(text.split("\n"))


@pytest.mark.slow
@SLOW
@given(mutated())
def test_mutated_plans_never_crash_10k(lines: list[str]) -> None:
    _parse_mutant(lines)


def test_a_reader_that_stops_early_gets_no_error_line() -> None:
    """``plangraph … | head``: the pipe closed before the command wrote; no traceback, no error line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [*PLANGRAPH, "explain"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the command has started to write
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert err == ""
