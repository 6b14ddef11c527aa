"""PDF files: the text layer read with pdfium (pypdfium2), laid out by position like ``pdftotext -layout``.

Guarantees of :func:`load`:

- ``original`` is the text layer: pages in file order joined by form feeds (``"\\f"``), every line ending
  in ``"\\n"``. Lines come from the characters' positions (after the page's display rotation), never from
  pdfium's stream order: characters whose vertical centres agree make a line, lines run top to bottom and
  characters left to right. A line starts with one space per half-em it stands right of the page's left
  text margin (a two-character first-line indent gives four spaces). The last line of a paragraph ends in
  one space (segment's paragraph end): its right edge stops more than :data:`SHORT` em short of the right
  text margin, or the next line is indented. Table cells (a gap of more than :data:`CELL_GAP` em, or a
  vertical rule between two characters) are separated by a tab, words and numbers by one space (two Chinese
  characters only from half an em apart: justified lines spread them).
- ``text`` is ``original`` without running headers, footers and page numbers: lines in the top or bottom
  :data:`BAND` of their page that recur at about the same height on many pages (:data:`REPEAT_SHARE`, two
  at least), the same line or the same line with another number; a line is never removed for being a
  number. Form feeds stay. ``offsets[i]`` is the index in ``original`` of ``text[i]``, ``len(text) + 1``
  entries, the last ``len(original)``. ``pages[k]`` is the offset where page k + 1 starts.
- ``notes``: I002 for every removed line (its 1-based line in ``original`` and its page); W702 for an image
  covering more than :data:`IMAGE_SHARE` of a page that is likely a 专栏 box or a table (a 专栏/表 caption
  beside it, or the picture is ruled like a table: thin rules across and down it), W701 for any other such
  image (a map, a photo, a scanned page); images with text drawn over them (backgrounds, scans with an OCR
  layer) are read through their text and not reported. W703 when the file does not end in ``%%EOF``.
- ``hints``: ``("title", …)`` from the metadata when it names the document (not ``Microsoft Word - x.doc``),
  ``("pages", "N")``. ``encoding`` is ``"pdf-text-layer"``.
- The same bytes give the same :class:`~ingest.load.Source`.

Errors (:class:`~ingest.errors.PdfError`): E009 a file over :data:`MAX_BYTES` (checked before parsing);
E004 encrypted; E005 damaged or truncated (with pdfium's reason); E006 no text layer at all (a scan).
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from plangraph.ingest.errors import PdfError
from plangraph.ingest.load import Source
from plangraph.ingest.models import ParseWarning

#: Larger files are refused before pdfium reads them (E009): parsing time and memory grow with the file.
MAX_BYTES = 300 * 1024 * 1024
#: An image covering more than this share of its page is reported; one covering SCAN_SHARE of a page
#: without text is a scanned page.
IMAGE_SHARE = 0.05
SCAN_SHARE = 0.8
#: Running headers and footers stand in this top and bottom share of the page height and recur on this
#: share of the pages with text.
BAND = 0.15
REPEAT_SHARE = 0.25
#: In ems (a line's median character height): a wider gap between two characters separates table cells;
#: a line stopping this much short of the right text margin ends its paragraph; a line standing this much
#: right of the left margin is indented (it starts a paragraph).
CELL_GAP = 1.5
SHORT = 0.8
INDENT = 1.5
_WIDE_SPACE = 0.5  # a space between two Chinese characters only from this gap
_NARROW_SPACE = 0.15  # between others (Latin words, a number beside Chinese) from this

_MAX_OBJECTS = 20_000  # page objects examined per page (images, table rules)
_MAX_PIXELS = 16_000_000  # larger images are not examined for table rules
_BOX_CUE = re.compile(r"专栏|^(?:附|续)?表\s*\d|续表")
_FIGURE_CUE = re.compile(r"^(?:附)?图\s*\d")
_NUMBER = re.compile(r"\d+")
_FILE_TITLE = re.compile(r"^(?:microsoft\s+\w+\s*-|untitled|无标题)|\.(?:docx?|wps|rtf|txt|pdf|xlsx?)$", re.I)
_PDFIUM_ERRORS = {
    pdfium_c.FPDF_ERR_UNKNOWN: "unknown error",
    pdfium_c.FPDF_ERR_FILE: "file access error",
    pdfium_c.FPDF_ERR_FORMAT: "data format error",
    pdfium_c.FPDF_ERR_PAGE: "page not found or content error",
}
_BYTES_PER_PIXEL = {
    pdfium_c.FPDFBitmap_Gray: 1,
    pdfium_c.FPDFBitmap_BGR: 3,
    pdfium_c.FPDFBitmap_BGRx: 4,
    pdfium_c.FPDFBitmap_BGRA: 4,
}

Box = tuple[float, float, float, float]  # left, bottom, right, top in display space (points, y up)
_Char = tuple[str, float, float, float, float]  # the character and its box


@dataclass
class _Line:
    text: str  # cells separated by tabs, no indent, no trailing space
    left: float
    right: float
    bottom: float
    top: float
    em: float
    indent: float = 0.0  # ems right of the page's left text margin
    short: bool = False  # stops short of the right text margin
    running: bool = False  # a running header, footer or page number
    end: bool = False  # the last line of a paragraph

    @property
    def mid(self) -> float:
        return (self.bottom + self.top) / 2


@dataclass
class _Image:
    box: Box
    kind: str  # "box" (a 专栏 or table), "scan" (a whole page) or "picture"
    after: int  # index of the page line it follows (-1: before the first)


@dataclass
class _Page:
    width: float
    height: float
    lines: list[_Line]
    images: list[_Image] = field(default_factory=list)


def load(data: bytes, path: str) -> Source:
    """A PDF's text layer as a :class:`~ingest.load.Source` (see the module's guarantees)."""
    if len(data) > MAX_BYTES:
        raise PdfError(
            "E009", f"the PDF is too large ({_mb(len(data))}; the limit is {_mb(MAX_BYTES)}): split it", path
        )
    pdf = _open(data, path)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise PdfError("E005", "the PDF is damaged: it has no pages", path)
        pages: list[_Page] = []
        for k in range(n_pages):
            before = next((ln.text for p in reversed(pages) for ln in reversed(p.lines)), "")
            pages.append(_read_page(pdf, k, before, path))
        title = _title(pdf.get_metadata_value("Title"))
    finally:
        pdf.close()
    if not any(p.lines for p in pages):
        what = "images only" if any(p.images for p in pages) else "no text and no images"
        count = f"{n_pages} page{'s' if n_pages != 1 else ''}"
        raise PdfError(
            "E006", f"the PDF has no text layer ({count}, {what}): it is a scan; run OCR first", path
        )
    _mark_running(pages)
    _mark_layout(pages)
    original, text, offsets, starts, notes = _assemble(pages)
    if b"%%EOF" not in data[-2048:]:
        notes.append(
            ParseWarning(
                code="W703",
                message=f"the PDF does not end in %%EOF: it may be cut short ({n_pages} pages read)",
            )
        )
    hints = ((("title", title),) if title else ()) + (("pages", str(n_pages)),)
    return Source(path, data, original, "pdf-text-layer", "pdf", text, offsets, starts, tuple(notes), hints)


def _open(data: bytes, path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = exc.err_code
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        raise PdfError(
            "E004",
            "the PDF is encrypted (password-protected): its text cannot be read without the password; "
            "save an unprotected copy",
            path,
        )
    reason = _PDFIUM_ERRORS.get(code, f"error {code}")
    raise PdfError("E005", f"the PDF is damaged or truncated: pdfium says '{reason}'", path)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _title(value: str) -> str | None:
    """The metadata title where it names the document: Chinese text, not a file or template name.

    >>> _title("Microsoft Word - 环发[2012]123号附件.doc"), _title("  湖北省文物事业发展规划 "), _title("")
    (None, '湖北省文物事业发展规划', None)
    """
    t = " ".join(value.split())
    if sum(1 for c in t if "\u4e00" <= c <= "\u9fff") < 2 or _FILE_TITLE.search(t):
        return None
    return t


# ---------------------------------------------------------------------------------------------- pages


def _read_page(pdf: pdfium.PdfDocument, k: int, before: str, path: str) -> _Page:
    """Page ``k``: its lines, and the images it shows (``before``: the last line of the previous pages)."""
    try:
        page = pdf[k]
    except pdfium.PdfiumError:
        raise PdfError("E005", f"the PDF is damaged: pdfium cannot load page {k + 1}", path) from None
    try:
        x0, y0, x1, y1 = page.get_bbox()
        w, h = x1 - x0, y1 - y0
        rotation = page.get_rotation() % 360
        width, height = (h, w) if rotation in (90, 270) else (w, h)

        def display(left: float, bottom: float, right: float, top: float) -> Box:
            a, b, c, d = left - x0, bottom - y0, right - x0, top - y0
            if rotation == 90:
                return b, w - c, d, w - a
            if rotation == 180:
                return w - c, h - d, w - a, h - b
            if rotation == 270:
                return h - d, a, h - b, c
            return a, b, c, d

        textpage = page.get_textpage()
        try:
            chars = [c for c in _chars(textpage.raw, display) if _inside(c, width, height)]
        finally:
            textpage.close()
        images, rules = _objects(page.raw, display)
        lines = [_compose(row, rules) for row in _rows(chars)]
        result = _Page(width, height, lines)
        for box, obj in images:
            image = _classify(box, obj, chars, lines, before, width * height)
            if image is not None:
                result.images.append(image)
        return result
    finally:
        page.close()


def _chars(textpage: Any, display: Callable[[float, float, float, float], Box]) -> list[_Char]:
    """The page's characters with their loose boxes (the font's full em). White space is left out, with
    the spaces and line breaks pdfium inserts (all its generated characters are such): spacing is decided
    from the positions."""
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    x, y = ctypes.c_double(), ctypes.c_double()
    out: list[_Char] = []
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        u = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if u <= 0x20 or 0xD800 <= u <= 0xDFFF or u in (0xFFFE, 0xFFFF, 0xFEFF) or chr(u).isspace():
            continue
        if unicodedata.category(chr(u)) in ("Cc", "Cf") or not pdfium_c.FPDFText_GetLooseCharBox(
            textpage, i, ref
        ):
            continue
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        if top - bottom < 0.5 * (right - left) and pdfium_c.FPDFText_GetCharOrigin(
            textpage, i, ctypes.byref(x), ctypes.byref(y)
        ):
            # pdfium gave the glyph's own flat box (一, —): an em box on the baseline instead
            size = right - left
            bottom, top = y.value - 0.12 * size, y.value + 0.88 * size
        out.append((chr(u), *display(left, bottom, right, top)))
    return out


def _inside(c: _Char, width: float, height: float) -> bool:
    x, y = (c[1] + c[3]) / 2, (c[2] + c[4]) / 2
    return 0 <= x <= width and 0 <= y <= height


def _objects(page: Any, display: Callable[[float, float, float, float], Box]) -> tuple[list[Any], list[Box]]:
    """The page's image objects with their display boxes, and its vertical rules (thin tall paths: the
    column lines of ruled tables). Form XObjects are entered; at most ``_MAX_OBJECTS`` are examined."""
    images: list[tuple[Box, Any]] = []
    rules: list[Box] = []
    bounds = [ctypes.c_float() for _ in range(4)]
    matrix = pdfium_c.FS_MATRIX()
    budget = _MAX_OBJECTS

    def walk(count: Any, get: Any, parent: Any, m: tuple[float, ...], depth: int) -> None:
        nonlocal budget
        for i in range(max(0, count(parent))):
            if budget <= 0:
                return
            budget -= 1
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                if pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
                    inner = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                    walk(
                        pdfium_c.FPDFFormObj_CountObjects,
                        pdfium_c.FPDFFormObj_GetObject,
                        obj,
                        _mul(m, inner),
                        depth + 1,
                    )
                continue
            if kind not in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH):
                continue
            if not pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in bounds)):
                continue
            box = display(*_apply(m, *(v.value for v in bounds)))
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images.append((box, obj))
            elif box[2] - box[0] <= 2 and box[3] - box[1] >= 4:
                rules.append(box)

    walk(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page, (1, 0, 0, 1, 0, 0), 0)
    return images, rules


def _mul(outer: tuple[float, ...], inner: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` first, then ``outer`` (PDF order a b c d e f)."""
    a, b, c, d, e, f = outer
    ia, ib, ic, id_, ie, if_ = inner
    return (
        a * ia + c * ib,
        b * ia + d * ib,
        a * ic + c * id_,
        b * ic + d * id_,
        a * ie + c * if_ + e,
        b * ie + d * if_ + f,
    )


def _apply(m: tuple[float, ...], left: float, bottom: float, right: float, top: float) -> Box:
    a, b, c, d, e, f = m
    xs = [a * x + c * y + e for x in (left, right) for y in (bottom, top)]
    ys = [b * x + d * y + f for x in (left, right) for y in (bottom, top)]
    return min(xs), min(ys), max(xs), max(ys)


def _rows(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped into lines by their vertical centres, top to bottom, each left to right."""
    chars = sorted(chars, key=lambda c: (-(c[2] + c[4]), c[1], c[0]))
    rows: list[list[_Char]] = []
    mid = size = 0.0
    for c in chars:
        cmid, csize = (c[2] + c[4]) / 2, c[4] - c[2]
        if rows and abs(cmid - mid) <= 0.4 * (csize if csize > size else size if size > 1.0 else 1.0):
            row = rows[-1]
            row.append(c)
            mid += (cmid - mid) / len(row)
        else:
            rows.append([c])
            mid, size = cmid, csize
    return [sorted(row, key=lambda c: (c[1], c[0])) for row in rows]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _compose(row: list[_Char], rules: list[Box]) -> _Line:
    """One line's text: cells by tabs, words by spaces; a glyph drawn twice (fake bold) once."""
    em = sorted(c[4] - c[2] for c in row)[len(row) // 2] or 1.0
    mid = sorted(c[2] + c[4] for c in row)[len(row) // 2] / 2
    columns = sorted((r[0] + r[2]) / 2 for r in rules if r[1] <= mid <= r[3])
    runs = [[row[0]]]  # runs of characters between cell breaks
    breaks: list[bool] = []  # per cell break: made by a rule (True) or by a wide gap only
    spaced: list[str] = [row[0][0]]
    texts: list[str] = []
    for c in row[1:]:
        p = runs[-1][-1]
        if c[0] == p[0] and abs(c[1] - p[1]) < 0.3 * em:
            continue
        gap = c[1] - p[3]
        ruled = bool(columns) and (
            bisect.bisect_right(columns, (p[1] + p[3]) / 2) < bisect.bisect_left(columns, (c[1] + c[3]) / 2)
        )
        if ruled or gap >= CELL_GAP * em:
            texts.append("".join(spaced))
            runs.append([c])
            breaks.append(ruled)
            spaced = [c[0]]
            continue
        if gap >= _NARROW_SPACE * em and (gap >= _WIDE_SPACE * em or not (_wide(p[0]) and _wide(c[0]))):
            spaced.append(" ")
        spaced.append(c[0])
        runs[-1].append(c)
    texts.append("".join(spaced))
    out = [texts[0]]
    for i, ruled in enumerate(breaks):
        # a letter-spaced heading (目   录) is one word, not two cells
        single = (
            len(runs[i]) == 1 and len(runs[i + 1]) == 1 and _wide(runs[i][0][0]) and _wide(runs[i + 1][0][0])
        )
        out.append(" " if single and not ruled else "\t")
        out.append(texts[i + 1])
    chars = [c for run in runs for c in run]
    return _Line(
        "".join(out),
        left=chars[0][1],
        right=max(c[3] for c in chars),
        bottom=min(c[2] for c in chars),
        top=max(c[4] for c in chars),
        em=em,
    )


def _classify(
    box: Box, obj: Any, chars: list[_Char], lines: list[_Line], before: str, area: float
) -> _Image | None:
    """An image worth a note: what it likely is and where it stands among the lines; None for a small
    image or one with text drawn over it."""
    x0, y0, x1, y1 = box
    if (x1 - x0) * (y1 - y0) <= IMAGE_SHARE * area:
        return None
    if sum(1 for c in chars if x0 <= (c[1] + c[3]) / 2 <= x1 and y0 <= (c[2] + c[4]) / 2 <= y1) >= 20:
        return None  # a background or a scan under its OCR text: the text was read
    after = sum(1 for ln in lines if ln.mid > y1) - 1
    if not lines and (x1 - x0) * (y1 - y0) >= SCAN_SHARE * area:
        return _Image(box, "scan", after)
    # a caption is the line right above or below the image (or the previous page's last line)
    above = (
        before if after < 0 else lines[after].text if lines[after].bottom - y1 < 3 * lines[after].em else ""
    )
    below = next((ln.text for ln in lines if ln.mid < y0 and y0 - ln.top < 3 * ln.em), "")
    near = [re.sub(r"\s+", "", s) for s in (above, below)]
    if any(_BOX_CUE.search(s) for s in near):
        kind = "box"
    elif any(_FIGURE_CUE.match(s) for s in near):
        kind = "picture"
    else:
        kind = "box" if _ruled(obj) else "picture"
    return _Image(box, kind, after)


def _ruled(obj: Any) -> bool:
    """Whether an image is ruled like a table: four thin rules across it and two down it at least.

    专栏 boxes and tables are grids of rules; maps, photos and charts are not (their frame gives two).
    """
    bitmap = pdfium_c.FPDFImageObj_GetBitmap(obj)
    if not bitmap:
        return False
    try:
        w, h = pdfium_c.FPDFBitmap_GetWidth(bitmap), pdfium_c.FPDFBitmap_GetHeight(bitmap)
        bpp = _BYTES_PER_PIXEL.get(pdfium_c.FPDFBitmap_GetFormat(bitmap))
        if bpp is None or w < 20 or h < 20 or w * h > _MAX_PIXELS:
            return False
        stride = pdfium_c.FPDFBitmap_GetStride(bitmap)
        data = ctypes.string_at(pdfium_c.FPDFBitmap_GetBuffer(bitmap), stride * h)
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)
    green = 1 if bpp >= 3 else 0  # one channel is enough to tell ink from paper
    sx, sy = max(1, w // 300), max(1, h // 300)
    rows = [data[y * stride + green : y * stride + w * bpp : bpp * sx] for y in range(h)]
    cols = [data[green + x * bpp :: stride * sy][:h] for x in range(w)]
    sample = b"".join(rows[::sy]).translate(bytes(v & 0xF8 for v in range(256)))
    paper = max(range(0, 256, 8), key=sample.count) + 4
    ink = bytes(1 if v < paper - 48 else 0 for v in range(256))
    across = _thin_rules([row.translate(ink).count(1) / len(row) for row in rows], max(3, h // 150))
    down = _thin_rules([col.translate(ink).count(1) / len(col) for col in cols], max(3, w // 150))
    return across >= 4 and down >= 2


def _thin_rules(inked: list[float], thickness: int) -> int:
    """How many thin rules a profile shows: runs of at most ``thickness`` mostly-inked rows (or columns)
    with little ink on either side."""
    n = i = 0
    while i < len(inked):
        if inked[i] < 0.6:
            i += 1
            continue
        j = i
        while j < len(inked) and inked[j] >= 0.6:
            j += 1
        outside = (inked[i - 2] if i >= 2 else 0.0, inked[j + 1] if j + 1 < len(inked) else 0.0)
        if j - i <= thickness and max(outside) < 0.35:
            n += 1
        i = j
    return n


# ------------------------------------------------------------------------------------------- document


def _mark_running(pages: list[_Page]) -> None:
    """Mark running headers, footers and page numbers: lines among the three outermost of a page, in its
    top or bottom band, whose text (numbers aside) recurs at about the same height on many pages."""
    with_text = sum(1 for p in pages if p.lines)
    need = max(2, math.ceil(REPEAT_SHARE * with_text))
    groups: dict[tuple[str, str], list[tuple[int, _Line]]] = {}
    for k, page in enumerate(pages):
        n = len(page.lines)
        for i, line in enumerate(page.lines):
            if i < 3 and line.mid >= (1 - BAND) * page.height:
                band = "top"
            elif i >= n - 3 and line.mid <= BAND * page.height:
                band = "bottom"
            else:
                continue
            shape = _NUMBER.sub("#", "".join(line.text.split()))
            groups.setdefault((band, shape), []).append((k, line))
    for members in groups.values():
        if len({k for k, _ in members}) < need:
            continue
        for _, line in members:  # and at about the same height on several of them
            near = {k for k, other in members if abs(other.mid - line.mid) <= max(8.0, line.em / 2)}
            line.running = len(near) >= max(2, need // 2)


def _mark_layout(pages: list[_Page]) -> None:
    """Indents (from the page's left text margin) and paragraph ends of the lines that are not running.

    The margins are the outermost edges that a fifth of the lines of all pages of the same size and side
    (odd or even: mirrored margins) have in common; where they have none, the page's outermost edges.
    """
    body = [[ln for ln in p.lines if not ln.running] for p in pages]
    groups: dict[tuple[int, int, int], list[_Line]] = {}
    keys = [(round(p.width), round(p.height), k % 2) for k, p in enumerate(pages)]
    for key, lines in zip(keys, body, strict=True):
        groups.setdefault(key, []).extend(lines)
    margins = {key: (_margin(common, min), _margin(common, max)) for key, common in groups.items()}
    for key, lines in zip(keys, body, strict=True):
        if not lines:
            continue
        left = margins[key][0] or min(ln.left for ln in lines)
        right = margins[key][1] or max(ln.right for ln in lines)
        short = [right - ln.right > SHORT * ln.em for ln in lines]
        for i, ln in enumerate(lines):
            ln.indent = max(0.0, (ln.left - left) / ln.em)
            # a long line ending where a short neighbour ends is a full line of a narrower paragraph
            aligned = ln.right - left > 0.6 * (right - left) and any(
                0 <= j < len(lines) and short[j] and abs(lines[j].right - ln.right) <= 0.3 * ln.em
                for j in (i - 1, i + 1)
            )
            ln.short = "\t" in ln.text or (short[i] and not aligned)  # a table row ends where it ends
    flat = [ln for lines in body for ln in lines]
    for ln, nxt in zip(flat, [*flat[1:], None], strict=True):
        ln.end = ln.short or nxt is None or (nxt.indent >= INDENT and nxt.indent > ln.indent + 0.5)


def _margin(lines: list[_Line], side: Callable[[list[float]], float]) -> float | None:
    """The left (``side=min``) or right (``max``) text margin: the outermost edge that a fifth of the
    lines (three at least) have in common; None where they have none."""
    need = max(3, math.ceil(len(lines) / 5))
    if side is min:
        return _shared([ln.left for ln in lines], 2.0, need, min)
    return _shared([ln.right for ln in lines], 3.0, need, max)


def _shared(
    values: list[float], tolerance: float, need: int, pick: Callable[[list[float]], float]
) -> float | None:
    ordered = sorted(values)
    common = [
        v
        for v in ordered
        if bisect.bisect_right(ordered, v + tolerance) - bisect.bisect_left(ordered, v - tolerance) >= need
    ]
    return pick(common) if common else None


def _render(line: _Line) -> str:
    return " " * round(2 * line.indent) + line.text + (" " if line.end else "")


def _assemble(
    pages: list[_Page],
) -> tuple[str, str, tuple[int, ...], tuple[int, ...], list[ParseWarning]]:
    """``original``, ``text`` (running lines cut out), offsets, page starts and the notes."""
    parts: list[str] = []
    starts: list[int] = []
    removed: list[tuple[int, int]] = []
    notes: list[ParseWarning] = []
    pos, line_no = 0, 1
    for k, page in enumerate(pages):
        if k:
            parts.append("\f")
            pos += 1
        starts.append(pos)
        numbers: list[int] = []
        for line in page.lines:
            s = (line.text if line.running else _render(line)) + "\n"
            if line.running:
                removed.append((pos, pos + len(s)))
                notes.append(
                    ParseWarning(
                        code="I002",
                        message=f"running header/footer/page number '{line.text}' removed",
                        line=line_no,
                        page=k + 1,
                    )
                )
            numbers.append(line_no)
            parts.append(s)
            pos += len(s)
            line_no += 1
        for image in page.images:
            at = numbers[image.after] if image.after >= 0 else numbers[0] if numbers else line_no
            notes.append(_image_note(image, k + 1, at))
    original = "".join(parts)
    keep: list[tuple[int, int]] = []
    cursor = 0
    for start, end in removed:
        keep.append((cursor, start))
        cursor = end
    keep.append((cursor, len(original)))
    text = "".join(original[s:e] for s, e in keep)
    offsets = (*(i for s, e in keep for i in range(s, e)), len(original))
    notes.sort(key=lambda n: (n.page or 0, n.line or 0))
    return original, text, offsets, tuple(starts), notes


def _image_note(image: _Image, page: int, line: int) -> ParseWarning:
    x0, y0, x1, y1 = image.box
    size = f"{x1 - x0:.0f}×{y1 - y0:.0f} pt"
    if image.kind == "box":
        return ParseWarning(
            code="W702",
            message=f"专栏 or table on page {page} is an image ({size}, no text layer): not read",
            line=line,
            page=page,
        )
    if image.kind == "scan":
        message = f"page {page} is a scanned image ({size}) with no text layer: not read"
    else:
        message = f"page {page}: an image ({size}) with no text layer: not read"
    return ParseWarning(code="W701", message=message, line=line, page=page)
