"""The PDF loader on real PDFs: small ones printed by Chromium from HTML at test time, and the corpus PDFs.

Chromium (Debian's ``chromium``) and the Noto CJK fonts (``fonts-noto-cjk``) make the small PDFs; without
Chromium these tests skip, and fail under CI. The corpus tests skip only where ``../shared/corpus`` is absent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from plangraph.ingest.errors import PdfError
from plangraph.ingest.formats import pdf as pdf_format
from plangraph.ingest.load import Source, source_from_bytes
from plangraph.ingest.normalize import normalize
from plangraph.ingest.segment import segment
from tests.plan_formats import write_pdf

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

HEADER = "某某市人民政府办公厅"
TITLE = "某某市数字经济发展规划"
SHORT_PARA = "坚持创新驱动发展，加快数字化转型，到 2025 年数字经济核心产业增加值占比达到百分之十。"
LONG_PARA = "".join(
    f"第{i}项工作要统筹推进，各地区各部门要加强协同配合，形成工作合力。" for i in range(1, 31)
)
LAST_PARA = "各有关部门要加强组织领导，确保规划目标任务如期完成。"


def _png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A truecolour PNG written by hand (no imaging library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


GRADIENT = _png(200, 120, lambda x, y: (x, 2 * y, 255 - x))  # a picture: no rules
GRID = _png(  # a table scanned as an image: rules across and down
    200,
    120,
    lambda x, y: (
        (0, 0, 0) if x in (0, 1, 60, 61, 198, 199) or y % 20 in (0, 1) or y == 119 else (255, 255, 255)
    ),
)

PLAN_HTML = f"""<!doctype html><html><head><meta charset="utf-8"><title>{TITLE}</title><style>
@page {{ size: A4; margin: 30mm 25mm;
  @top-center {{ content: "{HEADER}"; font: 12px "Noto Serif CJK SC"; }}
  @bottom-center {{ content: "— " counter(page) " —"; font: 14px "Noto Serif CJK SC"; }} }}
body {{ font: 16px/1.8 "Noto Serif CJK SC", serif; margin: 0; }}
h1 {{ text-align: center; font-size: 24px; font-weight: normal; margin: 0 0 1em; }}
p {{ text-indent: 2em; text-align: justify; margin: 0; }}
.next {{ break-before: page; }}
table {{ border-collapse: collapse; margin: 1em auto; }}
td {{ border: 1px solid black; padding: 2px 12px; }}
img {{ display: block; margin: 1em auto; width: 320px; height: 192px; }}
</style></head><body>
<h1>{TITLE}</h1>
<p>一、总体要求</p>
<p>{SHORT_PARA}</p>
<p>{LONG_PARA}</p>
<p>二、主要指标</p>
<table><tr><td>指标</td><td>2025年</td><td>属性</td></tr>
<tr><td>数字经济核心产业增加值占比（%）</td><td>10</td><td>预期性</td></tr></table>
<p>专栏 1 重点工程</p>
<img src="{_data_uri(GRADIENT)}">
<p class="next">三、保障措施</p>
<p>{LAST_PARA}</p>
<img src="{_data_uri(GRID)}">
<img src="{_data_uri(GRADIENT)}">
<p>图 1 区位示意图</p>
</body></html>"""

SCAN_HTML = f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; }} body {{ margin: 0; }} img {{ display: block; width: 210mm; height: 296mm; }}
</style></head><body><img src="{_data_uri(GRADIENT)}"></body></html>"""


def _print_pdf(html: str, workdir: Path) -> bytes:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: CI needs it (and fonts-noto-cjk) for the PDF tests")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    workdir.mkdir(parents=True, exist_ok=True)
    source, out = workdir / "in.html", workdir / "out.pdf"
    source.write_text(html, encoding="utf-8")
    write_pdf(out, source)
    return out.read_bytes()


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _print_pdf(PLAN_HTML, tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def plan(plan_pdf: bytes) -> Source:
    return source_from_bytes(plan_pdf, "plan.pdf")


def _lines(s: str) -> list[str]:
    return s.replace("\f", "").split("\n")


def _line_with(s: str, needle: str) -> str:
    return next(line for line in _lines(s) if needle in line)


# ------------------------------------------------------------------------------ a PDF printed by Chromium


def test_loader_reports_format_pages_and_title(plan: Source) -> None:
    assert (plan.format, plan.encoding) == ("pdf", "pdf-text-layer")
    assert len(plan.pages) == 3 and plan.pages[0] == 0
    assert all(plan.original[p - 1] == "\f" for p in plan.pages[1:])
    assert plan.hint("pages") == "3" and plan.hint("title") == TITLE


def test_running_header_and_page_numbers_are_removed_and_reported(plan: Source) -> None:
    assert plan.original.count(HEADER) == 3 and HEADER not in plan.text
    assert not re.search(r"—\s*\d\s*—", plan.text)
    removed = [n for n in plan.notes if n.code == "I002"]
    assert sorted((n.page, HEADER in n.message) for n in removed) == [
        (1, False),
        (1, True),
        (2, False),
        (2, True),
        (3, False),
        (3, True),
    ]
    lines = plan.original.split("\n")
    for n in removed:  # the note's line is the removed line, on the note's page
        assert n.line is not None and n.message.split("'")[1] in lines[n.line - 1]
        assert plan.page_of(sum(len(x) + 1 for x in lines[: n.line - 1]) + 1) == n.page


def test_each_line_is_on_its_page(plan: Source) -> None:
    for needle, page in (
        ("一、总体要求", 1),
        ("第1项", 1),
        ("第30项", 2),
        ("二、主要指标", 2),
        ("三、保障措施", 3),
    ):
        assert plan.page_of(plan.original.index(needle)) == page, needle


def test_indents_and_paragraph_ends(plan: Source) -> None:
    title = _line_with(plan.text, TITLE)
    assert title.startswith(" " * 10) and title.endswith(f"{TITLE} ")  # centred: one line, a block
    first = _line_with(plan.text, SHORT_PARA[:8])
    assert re.match(r"^ {3,5}\S", first), "a two-character first-line indent gives about four spaces"
    body = [line for line in _lines(plan.text) if "项工作" in line]
    assert len(body) > 10
    assert body[0].startswith("    ") and not body[0].endswith(" ")
    assert all(not line.startswith(" ") and not line.endswith(" ") for line in body[1:-1]), "mid-paragraph"
    assert body[-1].endswith("形成工作合力。 "), "the last line of a paragraph ends in one space"
    assert _line_with(plan.text, LAST_PARA[-8:]).endswith("如期完成。 ")


def test_paragraph_across_the_page_break_stays_one_block(plan: Source) -> None:
    blocks = [b.text for b in segment(normalize(plan))]
    assert LONG_PARA in blocks and SHORT_PARA.replace(" ", "") in [b.replace(" ", "") for b in blocks]
    assert "一、总体要求" in blocks and LAST_PARA in blocks


def test_table_cells_are_tab_separated(plan: Source) -> None:
    assert _line_with(plan.text, "属性").strip().split("\t") == ["指标", "2025年", "属性"]
    assert _line_with(plan.text, "预期性").strip().split("\t") == [
        "数字经济核心产业增加值占比（%）",
        "10",
        "预期性",
    ]


def test_offsets_map_text_into_original(plan: Source) -> None:
    assert len(plan.offsets) == len(plan.text) + 1 and plan.offsets[-1] == len(plan.original)
    assert all(plan.original[o] == c for c, o in zip(plan.text, plan.offsets, strict=False))
    assert list(plan.offsets) == sorted(set(plan.offsets))


def test_images_are_reported_with_page_line_and_kind(plan: Source) -> None:
    images = [n for n in plan.notes if n.code in ("W701", "W702")]
    assert [(n.code, n.page) for n in images] == [("W702", 2), ("W702", 3), ("W701", 3)]
    lines = plan.original.split("\n")
    boxed, ruled, picture = images
    assert "专栏 1" in lines[boxed.line - 1], "a 专栏 caption above the image makes it a box"
    assert "专栏 or table on page 3 is an image" in ruled.message, "a ruled picture is a table"
    assert picture.message.startswith("page 3: an image (240×144 pt)")


def test_same_bytes_same_source(plan_pdf: bytes, plan: Source) -> None:
    again = source_from_bytes(plan_pdf, "plan.pdf")
    assert again == plan
    assert hashlib.sha256(again.original.encode()).digest() == hashlib.sha256(plan.original.encode()).digest()


# ---------------------------------------------------------------------------------------------- errors


def test_scan_without_text_layer_is_e006(tmp_path: Path) -> None:
    data = _print_pdf(SCAN_HTML, tmp_path)
    with pytest.raises(PdfError) as err:
        source_from_bytes(data, "scan.pdf")
    assert (
        err.value.code == "E006"
        and "the PDF has no text layer (1 page, images only): it is a scan" in err.value.message
    )
    assert "OCR" in err.value.message


def test_truncated_pdf_is_e005(plan_pdf: bytes) -> None:
    with pytest.raises(PdfError) as err:
        pdf_format.load(plan_pdf[: len(plan_pdf) // 2], "half.pdf")
    assert err.value.code == "E005" and "pdfium says" in err.value.message


def test_garbage_after_the_pdf_signature_is_e005() -> None:
    with pytest.raises(PdfError) as err:
        source_from_bytes(b"%PDF-1.7\n" + b"\x8f not a pdf at all \x00" * 50, "junk.pdf")
    assert err.value.code == "E005" and str(err.value).startswith("[E005] junk.pdf: ")


def test_too_large_is_refused_before_parsing(plan_pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_format, "MAX_BYTES", len(plan_pdf) - 1)
    with pytest.raises(PdfError) as err:
        pdf_format.load(plan_pdf, "big.pdf")
    assert err.value.code == "E009" and "too large" in err.value.message


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user: bytes, owner: bytes) -> bytes:
    """A one-page PDF encrypted with the standard security handler (RC4, 40 bits, revision 2)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    file_id = hashlib.md5(b"plangraph test").digest()
    permissions = -4
    o = _rc4(hashlib.md5((owner + pad)[:32]).digest()[:5], (user + pad)[:32])
    key = hashlib.md5((user + pad)[:32] + o + struct.pack("<i", permissions) + file_id).digest()[:5]
    u = _rc4(key, pad)
    content = _rc4(
        hashlib.md5(key + struct.pack("<i", 4)[:3] + b"\x00\x00").digest()[:10],
        b"BT /F1 24 Tf 72 720 Td (Secret plan) Tj ET",
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o.hex().encode()
        + b"> /U <"
        + u.hex().encode()
        + b"> /P -4 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id.hex().encode(),
        file_id.hex().encode(),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_encrypted_pdf_is_e004() -> None:
    data = _encrypted_pdf(b"user-secret", b"owner-secret")
    doc = pdfium.PdfDocument(data, password="user-secret")  # a real encrypted PDF: its password opens it
    try:
        assert "Secret plan" in doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    with pytest.raises(PdfError) as err:
        source_from_bytes(data, "locked.pdf")
    assert err.value.code == "E004" and err.value.message.startswith(
        "the PDF is encrypted (password-protected)"
    )


# ------------------------------------------------------------------------------------------ the corpus


@pytest.fixture(scope="module")
def corpus() -> Callable[[str], Source]:
    if not CORPUS.is_dir():
        pytest.skip(f"the development corpus is absent ({CORPUS})")
    cache: dict[str, Source] = {}

    def load(name: str) -> Source:
        if name not in cache:
            cache[name] = source_from_bytes((CORPUS / name).read_bytes(), name)
        return cache[name]

    return load


def test_weifei_footers_removed_rotated_pages_read(corpus: Callable[[str], Source]) -> None:
    src = corpus("weifei_12th_2012.pdf")
    assert len(src.pages) == 22 and src.hint("title") is None  # "Microsoft Word - ….doc" is no title
    assert re.search(r"—\s*\d+\s*—", src.original)
    assert not re.search(r"^\s*—\s*\d+\s*—\s*$", src.text, re.M)
    assert sorted(n.page for n in src.notes if n.code == "I002") == list(range(1, 23))
    assert "重点工程项目投资需求" in src.text, "the landscape (rotated) pages of the 附表 read across"
    assert "前言……" in src.text.replace(" ", "")  # the table of contents keeps its leaders


def test_hubei_every_numbered_page_loses_its_number(corpus: Callable[[str], Source]) -> None:
    src = corpus("hubei_wenwu_14th_2021.pdf")
    numbered = sorted(n.page for n in src.notes if n.code == "I002")
    assert numbered == list(range(7, 45))  # pages 7–44 carry the numbers 1–38; scan, cover and TOC none
    assert [n.message for n in src.notes if n.code == "I002"][:2] == [
        "running header/footer/page number '1' removed",
        "running header/footer/page number '2' removed",
    ]
    scans = [n for n in src.notes if n.code == "W701"]
    assert len(scans) == 1 and scans[0].page == 1 and "scanned image" in scans[0].message
    assert "10.做好基建考古，理顺体制机制" in src.text and "1111." not in src.text


def test_gangyao_box_images_are_told_from_maps(corpus: Callable[[str], Source]) -> None:
    src = corpus("gangyao_14th_2021_ndrc.pdf")
    gold = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))["gangyao_14th_2021_ndrc.pdf"]
    boxes = [n for n in src.notes if n.code == "W702"]
    others = [n for n in src.notes if n.code == "W701"]
    assert len(boxes) + len(others) >= 20
    assert len(boxes) == gold["box_images"]
    assert len(others) == 7  # gold notes: "the other 7 images are the maps 图1–图7"
    assert {n.page for n in boxes} >= {16, 28, 34} and 37 in {n.page for n in others}
    assert all(n.line is not None and n.page is not None for n in boxes + others)
    assert len(src.pages) == 146 and src.hint("pages") == "146"
