"""Round trip through PDF: the bundled plan as HTML (checked here too, it is what gets printed) and printed
to PDF by headless Chromium parses like source.txt. Needs /usr/bin/chromium, fonts-noto-cjk and the pdf
loader (ingest/formats/pdf.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plangraph.ingest.load import load_source
from plangraph.ingest.models import PlanDocument
from plangraph.ingest.pipeline import parse_file
from tests.plan_formats import chromium_available, joined_rows, render_all, summary, write_pdf


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_all(tmp_path_factory.mktemp("formats"), pdf=False)


@pytest.fixture(scope="module")
def pdf(rendered: dict[str, Path]) -> Path:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: CI needs it (tools/system-packages.txt)")
        pytest.skip("no /usr/bin/chromium to print the PDF (make system-deps)")
    return write_pdf(rendered["html"].parent / "plan.pdf", rendered["html"])


def test_html_rendering_parses_like_the_text(rendered: dict[str, Path], bundled_doc: PlanDocument) -> None:
    assert joined_rows(rendered["html"]) == []  # each <tr> stays a block of its own
    s, base = summary(parse_file(rendered["html"])), summary(bundled_doc)
    assert s["structure"] == base["structure"]
    assert s["indicators"] == base["indicators"]


def test_pdf_rendering_has_pages_and_a_text_layer(pdf: Path) -> None:
    source = load_source(pdf)
    assert source.format == "pdf" and len(source.pages) > 10
    assert "建设泛在智联的数字基础设施体系" in source.text.replace("\n", "").replace(" ", "")


def test_pdf_rendering_parses_like_the_text(pdf: Path, bundled_doc: PlanDocument) -> None:
    assert summary(parse_file(pdf))["structure"] == summary(bundled_doc)["structure"]


def test_pdf_rendering_indicators(pdf: Path, bundled_doc: PlanDocument) -> None:
    assert summary(parse_file(pdf))["indicators"] == summary(bundled_doc)["indicators"]
