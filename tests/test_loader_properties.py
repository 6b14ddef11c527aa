"""Hostile binary input: damaged, truncated and mutated PDF and Word files, and oversized files.

Whatever the bytes, the loaders answer with a document or a typed one-line error (PlanError with a code
and the file), never another exception, and within bounded time (hypothesis' deadline is per example).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraph.ingest.errors import PlanError
from plangraph.ingest.load import load_source, source_from_bytes
from plangraph.ingest.models import PlanMeta
from plangraph.ingest.pipeline import parse_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PROFILE = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def _docx_bytes() -> bytes:
    d = docx.Document()
    d.add_heading("一、总体要求", level=1)
    d.add_paragraph("（一）发展目标")
    d.add_paragraph("到2025年，数字化水平明显提升。")
    d.add_heading("二、主要任务", level=1)
    d.add_paragraph("（一）建设平台。加快建设平台。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "2025年"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


DOCX = _docx_bytes()


def _pdf_bytes() -> bytes:
    path = CORPUS / "weifei_12th_2012.pdf"
    assert path.is_file(), f"the corpus is missing: {path}"
    return path.read_bytes()


def _answer(data: bytes, name: str) -> None:
    try:
        parse_bytes(data, PlanMeta(id="m"), name=name, partial=True)
    except PlanError as exc:
        assert exc.code.startswith("E") and str(exc).startswith(f"[{exc.code}]")


mutations = st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=20)


def _mutate(data: bytes, cut: int, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data[: max(1, cut % (len(data) + 1))])
    for pos, value in edits:
        if out:
            out[pos % len(out)] = value
    return bytes(out)


@PROFILE
@given(st.integers(0, 2**31), mutations)
def test_mutated_docx_never_crashes(cut: int, edits: list[tuple[int, int]]) -> None:
    _answer(_mutate(DOCX, cut, edits), "m.docx")


@PROFILE
@given(st.integers(0, 2**31), mutations)
def test_mutated_pdf_never_crashes(cut: int, edits: list[tuple[int, int]]) -> None:
    _answer(_mutate(_pdf_bytes(), cut, edits), "m.pdf")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7\n" + b"garbage" * 50, "E005"),
        (b"PK\x03\x04" + b"\x00" * 100, "E007"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "E007"),
    ],
    ids=["garbage-pdf", "not-a-zip", "legacy-doc"],
)
def test_damaged_binaries_get_their_code(data: bytes, code: str) -> None:
    with pytest.raises(PlanError) as err:
        source_from_bytes(data, "x.bin")
    assert err.value.code == code


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.seek(200 * 1024 * 1024)
        fh.write(b"\n")
    with pytest.raises(PlanError) as err:
        load_source(big)
    assert err.value.code == "E009" and "200 MB" in str(err.value) and "big.txt" in str(err.value)
