"""Word (.docx): the body's paragraphs and tables in document order, one paragraph per line.

The container is checked with :mod:`zipfile` before python-docx reads it: not a zip, a legacy ``.doc``, an
Excel/PowerPoint/OpenDocument file or a package without a main document give E007; members that would
expand beyond :data:`MAX_UNCOMPRESSED` (a zip bomb) give E008.

What the loader writes (``Source.original`` is this extracted text; ``Source.text`` is the same without the
table of contents, so offsets are the identity outside it):

- every paragraph on its own line ending in ``" \\n"`` (the parser's paragraph end, as for HTML), headings
  included; a soft line break (``w:br``) also ends a line;
- automatic numbering (``w:numPr``, from the paragraph or its style) as the marker text Word shows in
  front of the paragraph — ``一、``, ``（一）``, ``1.``, ``①`` — from ``numbering.xml`` (``lvlText``,
  ``numFmt``, ``start``, overrides, restarts); bullets are dropped;
- a table row per line, cells ending in ``"\\t"``, a vertically merged cell once; a table of one column
  (a 专栏 box drawn as a frame) as the paragraphs inside it; text boxes after the paragraph they sit in;
- deleted revisions, field codes, hidden text and pictures are not text (pictures are counted in a note).

Word has no fixed pages: ``pages`` is empty.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from plangraph.ingest.errors import DecompressionBomb, DocumentFormatError
from plangraph.ingest.load import Source
from plangraph.ingest.models import ParseWarning

#: The most the package's members may hold uncompressed together (python-docx reads them all).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: A member larger than MAX_RATIO_FLOOR that expands more than MAX_RATIO times is a bomb, not a document.
MAX_RATIO = 100
MAX_RATIO_FLOOR = 8 * 1024 * 1024
MAX_MEMBERS = 10_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_VAL = _W + "val"

P, TBL, TR, TC, R, T = (_W + t for t in ("p", "tbl", "tr", "tc", "r", "t"))
SDT, SDT_CONTENT, CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
TXBX = _W + "txbxContent"
# inline content that is not text: properties, deleted revisions, field codes, ruby text, note references
_SKIP_INLINE = {
    _W + t
    for t in (
        "pPr",
        "rPr",
        "del",
        "moveFrom",
        "delText",
        "delInstrText",
        "instrText",
        "fldData",
        "rt",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "annotationRef",
        "sdtPr",
        "sdtEndPr",
    )
}
_BREAKS = {_W + "br", _W + "cr"}
_SPACES = {_W + "tab", _W + "ptab"}
_PICTURES = {_W + "drawing", _W + "pict", _W + "object"}
_OFF = {"0", "false", "off"}
_MARKER_GLUE = "、）)】〕」．.:："  # a marker ending in these runs straight into the text


def load(data: bytes, path: str) -> Source:
    """A Word document: its body text, paragraphs and table rows as lines."""
    _check_container(data, path)
    document = _open(data, path)
    ex = _Extractor(document)
    body = document.element.body
    if body is not None:
        ex.blocks(body, keep=True)
    original = "".join(s for s, _ in ex.pieces)
    text_parts: list[str] = []
    offsets: list[int] = []
    at = 0
    for s, keep in ex.pieces:
        if keep:
            text_parts.append(s)
            offsets.extend(range(at, at + len(s)))
        at += len(s)
    offsets.append(len(original))
    notes: list[ParseWarning] = []
    if ex.pictures:
        notes.append(
            ParseWarning(
                code="I010",
                message=f"{ex.pictures} picture(s) not read: text inside images is not extracted",
                line=ex.first_picture_line,
            )
        )
    if ex.toc_lines:
        notes.append(
            ParseWarning(
                code="I011",
                message=f"table of contents removed ({ex.toc_lines} lines)",
                line=ex.first_toc_line,
            )
        )
    title = _core_title(document, path) or ex.title_paragraph
    hints = (("title", title),) if title else ()
    return Source(
        path, data, original, "docx", "docx", "".join(text_parts), tuple(offsets), (), tuple(notes), hints
    )


# -- the container -----------------------------------------------------------------------------------------


def _check_container(data: bytes, path: str) -> None:
    """Reject what is not a Word package before anything decompresses it."""
    if data.startswith(_OLE):
        raise DocumentFormatError(
            "E007",
            "a legacy Word 97-2003 .doc (or an encrypted document), not a .docx: "
            "open it in Word or LibreOffice and save it as .docx",
            path,
        )
    if not data.startswith(b"PK"):
        raise DocumentFormatError("E007", "not a Word file: a .docx is a zip package, this is not one", path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentFormatError("E007", f"not a Word file: a damaged zip package ({exc})", path) from None
    if len(infos) > MAX_MEMBERS:
        raise DecompressionBomb(
            "E008", f"the package has {len(infos)} members (limit {MAX_MEMBERS}): refused", path
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_RATIO_FLOOR and ratio > MAX_RATIO:
            raise DecompressionBomb(
                "E008",
                f"{info.filename} expands {ratio:.0f}-fold to {_mb(info.file_size)}: a zip bomb, refused",
                path,
            )
    if total > MAX_UNCOMPRESSED:
        raise DecompressionBomb(
            "E008",
            f"the package expands to {_mb(total)} (limit {_mb(MAX_UNCOMPRESSED)}): a zip bomb, refused",
            path,
        )
    names = {i.filename for i in infos}
    if any(i.flag_bits & 0x1 for i in infos):
        raise DocumentFormatError("E007", "the zip package is encrypted: save the document unprotected", path)
    if "mimetype" in names and "[Content_Types].xml" not in names:
        with zf.open("mimetype") as f:
            kind = f.read(100).decode("ascii", "replace").strip()
        what = "an OpenDocument text (.odt)" if "opendocument.text" in kind else f"a {kind or 'zip'} package"
        raise DocumentFormatError("E007", f"not a Word file: {what}; save it as .docx", path)
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        what = "an Excel workbook" if "xl/workbook.xml" in names else "a PowerPoint presentation"
        raise DocumentFormatError("E007", f"not a Word file: {what}", path)
    if "[Content_Types].xml" not in names:
        raise DocumentFormatError(
            "E007", "not a Word file: a zip archive without [Content_Types].xml (not an Office package)", path
        )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _open(data: bytes, path: str) -> Any:
    """The python-docx Document of a checked package (.docx, .docm, .dotx)."""
    from docx.package import Package

    try:
        part = Package.open(io.BytesIO(data)).main_document_part
    except KeyError as exc:
        raise DocumentFormatError(
            "E007",
            f"not a Word file: the package has no main document (word/document.xml): {exc}",
            path,
        ) from None
    except Exception as exc:  # lxml syntax errors, CRC errors, broken relationships …
        raise DocumentFormatError(
            "E007", f"the Word file is damaged: {type(exc).__name__}: {exc}".rstrip(": "), path
        ) from None
    if part.content_type not in _WORD_TYPES:
        raise DocumentFormatError("E007", f"not a Word file: the main part is {part.content_type!r}", path)
    return part.document


_JUNK_TITLE = re.compile(
    r"^(?:microsoft word\s*-.*|word document|document\d*|untitled|无标题.*|新建.*|文档\d*|标题|title|"
    r"powerpoint.*|\W*)$",
    re.I,
)


def _core_title(document: Any, path: str) -> str | None:
    """docProps/core.xml's title when it names the document (not a template default or a file name)."""
    try:
        core = document.part.package.part_related_by(_RT_CORE)
        title = str(core.core_properties.title or "").strip()
    except Exception:  # no or unreadable core properties: no title
        return None
    stem = PurePath(path).stem
    if not title or _JUNK_TITLE.match(title) or title == stem or title.lower().endswith((".doc", ".docx")):
        return None
    return title[:200]


# -- styles and numbering ----------------------------------------------------------------------------------


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _on(el: Any) -> bool:
    """A toggle property (``<w:vanish/>``, ``<w:vanish w:val="0"/>``) is on."""
    return el is not None and (el.get(_VAL) or "true").lower() not in _OFF


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None


def _styles(document: Any) -> tuple[dict[str, _Style], str | None]:
    try:
        root = document.part.part_related_by(_RT_STYLES).element
    except Exception:  # a package without styles.xml
        return {}, None
    styles: dict[str, _Style] = {}
    default: str | None = None
    for st in root.iterchildren(_W + "style"):
        if st.get(_W + "type") not in (None, "paragraph"):
            continue
        sid = st.get(_W + "styleId") or ""
        name_el = st.find(_W + "name")
        based = st.find(_W + "basedOn")
        num_pr = st.find(f"{_W}pPr/{_W}numPr")
        num_id = ilvl = None
        if num_pr is not None:
            nid = num_pr.find(_W + "numId")
            lvl = num_pr.find(_W + "ilvl")
            num_id = nid.get(_VAL) if nid is not None else None
            ilvl = _int(lvl.get(_VAL), 0) if lvl is not None else None
        styles[sid] = _Style(
            (name_el.get(_VAL) if name_el is not None else sid) or sid,
            based.get(_VAL) if based is not None else None,
            num_id,
            ilvl,
        )
        if st.get(_W + "default") in ("1", "true", "on"):
            default = sid
    return styles, default


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    restart: int | None  # w:lvlRestart: restart after this (1-based) level; 0 never; None after any higher
    legal: bool  # w:isLgl: every number of the marker in arabic digits
    suffix: str  # tab, space, nothing
    style: str | None  # w:pStyle: the paragraph style bound to this level


def _level(lvl: Any) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(_W + tag)
        return el.get(_VAL) if el is not None else None

    restart = val("lvlRestart")
    return _Level(
        start=_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=_on(lvl.find(_W + "isLgl")),
        suffix=val("suff") or "tab",
        style=val("pStyle"),
    )


class _Numbering:
    """The markers of numbered paragraphs, counted as Word counts them: per list, levels restarting
    below the level just used, ``startOverride`` restarting a list instance."""

    def __init__(self, document: Any, styles: dict[str, _Style]):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.part_related_by(_RT_NUMBERING).element
        except Exception:  # no numbering.xml: nothing is numbered
            return
        links: dict[str, str] = {}
        for an in root.iterchildren(_W + "abstractNum"):
            aid = an.get(_W + "abstractNumId") or ""
            self.abstract[aid] = {
                _int(lvl.get(_W + "ilvl"), 0): _level(lvl) for lvl in an.iterchildren(_W + "lvl")
            }
            link = an.find(_W + "numStyleLink")
            if link is not None and link.get(_VAL):
                links[aid] = link.get(_VAL)
        for num in root.iterchildren(_W + "num"):
            nid = num.get(_W + "numId") or ""
            ref = num.find(_W + "abstractNumId")
            aid = ref.get(_VAL) if ref is not None else ""
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for ov in num.iterchildren(_W + "lvlOverride"):
                ilvl = _int(ov.get(_W + "ilvl"), 0)
                so = ov.find(_W + "startOverride")
                if so is not None:
                    starts[ilvl] = _int(so.get(_VAL), 1)
                lv = ov.find(_W + "lvl")
                if lv is not None:
                    levels[ilvl] = _level(lv)
            self.nums[nid] = (aid or "", starts, levels)
        # numStyleLink: the abstract definition lives with the numbering style the link names
        for aid, style_id in links.items():
            st = styles.get(style_id)
            target = self.nums.get(st.num_id or "") if st else None
            if target and target[0] in self.abstract and target[0] != aid:
                self.abstract[aid] = self.abstract[target[0]]

    def levels(self, num_id: str) -> dict[int, _Level]:
        aid, _, overrides = self.nums.get(num_id, ("", {}, {}))
        return {**self.abstract.get(aid, {}), **overrides}

    def level_of_style(self, num_id: str, style_id: str) -> int | None:
        return next((i for i, lv in self.levels(num_id).items() if lv.style == style_id), None)

    def marker(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """The marker text and its suffix for the next paragraph of list ``num_id`` at level ``ilvl``."""
        if num_id not in self.nums:
            return None
        aid, starts, _ = self.nums[num_id]
        levels = self.levels(num_id)
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        key = f"num:{num_id}" if starts else f"abstract:{aid}"
        state = self.counters.setdefault(key, [None] * 10)
        if starts and num_id not in self.started:
            self.started.add(num_id)
            for i in range(10):
                state[i] = None
        if not 0 <= ilvl < 10:
            return None
        current = state[ilvl]
        state[ilvl] = current + 1 if current is not None else starts.get(ilvl, lvl.start)
        for deeper in range(ilvl + 1, 10):
            below = levels.get(deeper)
            restart = below.restart if below is not None else None
            if restart is None or (restart > 0 and ilvl < restart):
                state[deeper] = None
        if lvl.fmt == "bullet":
            return None

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            ref = levels.get(k)
            if ref is None:
                return ""
            n = state[k] if state[k] is not None else starts.get(k, ref.start)
            fmt = "decimal" if lvl.legal and ref.fmt != "none" else ref.fmt
            return format_number(n or 0, fmt)

        text = re.sub(r"%([1-9])", number, lvl.text).strip()
        return (text, lvl.suffix) if text else None


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def format_number(n: int, fmt: str) -> str:
    """A list counter in a Word number format (``w:numFmt``).

    >>> [format_number(n, "chineseCounting") for n in (1, 10, 12, 20, 35, 100, 105)]
    ['一', '十', '十二', '二十', '三十五', '一百', '一百零五']
    >>> format_number(3, "ideographTraditional"), format_number(4, "decimalEnclosedCircle")
    ('丙', '④')
    >>> format_number(28, "lowerLetter"), format_number(14, "upperRoman"), format_number(7, "decimalZero")
    ('bb', 'XIV', '07')
    """
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "japaneseCounting",
               "taiwaneseCountingThousand", "japaneseLegal", "koreanCounting"):  # fmt: skip
        return _cn_number(n, _CN_DIGITS, "十百千万")
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _cn_number(n, _CN_LEGAL, "拾佰仟万")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return _DIZHI[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "none":
        return ""
    return str(n)


def _cn_number(n: int, digits: str, units: str) -> str:
    """0 … 99 999 999 in Chinese numerals, ``十二`` not ``一十二``, ``一百零五``."""
    zero_digit = "零" if digits[0] == "〇" else digits[0]
    if n <= 0:
        return zero_digit
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        rest = _cn_number(low, digits, units) if low else ""
        gap = zero_digit if 0 < low < 1000 else ""
        return _cn_number(high, digits, units) + units[3] + gap + rest
    out = ""
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d, n = divmod(n, power)
        if d:
            if zero:
                out += zero_digit
            out += ("" if (power == 10 and not out and d == 1) else digits[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    out = ""
    for value, sym in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out += sym
            n -= value
    return out


# -- the body ----------------------------------------------------------------------------------------------


class _Extractor:
    def __init__(self, document: Any):
        self.styles, self.default_style = _styles(document)
        self.numbering = _Numbering(document, self.styles)
        self.pieces: list[tuple[str, bool]] = []  # (text, part of the parse text?)
        self.lines = 0
        self.pictures = 0
        self.first_picture_line: int | None = None
        self.toc_lines = 0
        self.first_toc_line: int | None = None
        self.title_paragraph: str | None = None

    # block level

    def blocks(self, parent: Any, keep: bool) -> None:
        """Paragraphs and tables of a body, cell, text box or content control, in order."""
        for child in parent.iterchildren():
            tag = child.tag
            if tag == P:
                self.paragraph(child, keep)
            elif tag == TBL:
                self.table(child, keep)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.blocks(content, keep and not _is_toc_sdt(child))
            elif tag in (CUSTOM_XML, _W + "ins", _W + "moveTo", _W + "smartTag"):
                self.blocks(child, keep)
            elif tag == _MC + "AlternateContent":
                choice = _alternative(child)
                if choice is not None:
                    self.blocks(choice, keep)

    def emit(self, line: str, keep: bool) -> None:
        line = line.strip(" \t")
        if not line.strip():
            return
        self.pieces.append((line + " \n", keep))
        self.lines += 1
        if not keep:
            self.toc_lines += 1
            if self.first_toc_line is None:
                self.first_toc_line = self.lines

    def paragraph(self, p: Any, keep: bool) -> None:
        text, boxes = self.paragraph_text(p)
        style = self._style_of(p)
        name = self.styles[style].name.lower() if style in self.styles else ""
        toc = bool(re.match(r"(toc|table of contents|目录)\b", name)) or name == "toc heading"
        if name == "title" and self.title_paragraph is None and text.strip():
            self.title_paragraph = " ".join(text.split())[:200]
        for line in text.split("\n"):
            self.emit(line, keep and not toc)
        for box in boxes:
            self.blocks(box, keep)

    def paragraph_text(self, p: Any) -> tuple[str, list[Any]]:
        """A paragraph's text with its numbering marker, and the text boxes anchored in it."""
        out: list[str] = []
        boxes: list[Any] = []
        self.inline(p, out, boxes)
        text = "".join(out)
        found = self._marker(p)
        if found:
            marker, suffix = found
            # Word puts a tab (the default), a space or nothing after the marker; a tab after 一、 or 1.
            # is no space in the plan's text, but before a digit it keeps ``1. 5G`` a marker
            glue = suffix == "nothing" or (
                suffix == "tab" and marker[-1] in _MARKER_GLUE and not text[:1].isdigit()
            )
            text = marker + ("" if glue else " ") + text.lstrip(" ")
        return text, boxes

    def table(self, tbl: Any, keep: bool) -> None:
        rows = [list(_cells(tr)) for tr in _rows(tbl)]
        if all(len(r) <= 1 for r in rows):  # a frame around paragraphs (a 专栏 box), not a grid
            for r in rows:
                for tc in r:
                    self.blocks(tc, keep)
            return
        for r in rows:
            cells = [self.cell_text(tc) for tc in r]
            if any(cells):
                self.pieces.append(("".join(c + "\t" for c in cells) + " \n", keep))
                self.lines += 1

    def cell_text(self, tc: Any) -> str:
        """A cell on one line: its paragraphs (and nested tables) joined by spaces."""
        parts: list[str] = []
        for el in _block_items(tc):
            if el.tag == P:
                text, boxes = self.paragraph_text(el)
                parts.append(text)
                parts.extend(self.cell_text(b) for b in boxes)
            else:
                parts.extend(self.cell_text(c) for r in _rows(el) for c in _cells(r))
        return " ".join(" ".join(p.split()) for p in parts if p.strip())

    # inline level

    def inline(self, el: Any, out: list[str], boxes: list[Any]) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_INLINE:
                continue
            if tag == T:
                out.append(child.text or "")
            elif tag in _SPACES:
                out.append(" ")
            elif tag in _BREAKS:
                if child.get(_W + "type") in (None, "textWrapping"):
                    out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif tag == _W + "sym":
                out.append(_symbol(child.get(_W + "char")))
            elif tag == R:
                if not _on(child.find(f"{_W}rPr/{_W}vanish")):
                    self.inline(child, out, boxes)
            elif tag == TXBX:
                boxes.append(child)
            elif tag == _MC + "AlternateContent":
                choice = _alternative(child)
                if choice is not None:
                    self.inline(choice, out, boxes)
            elif tag in _PICTURES:
                if next(child.iter(_BLIP, _VML_IMAGE), None) is not None:
                    self.pictures += 1
                    if self.first_picture_line is None:
                        self.first_picture_line = self.lines + 1
                self.inline(child, out, boxes)
            else:  # hyperlinks, fields, insertions, content controls, shapes …
                self.inline(child, out, boxes)

    # properties

    def _style_of(self, p: Any) -> str | None:
        ps = p.find(f"{_W}pPr/{_W}pStyle")
        return ps.get(_VAL) if ps is not None else self.default_style

    def _marker(self, p: Any) -> tuple[str, str] | None:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        num_id: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            nid = num_pr.find(_W + "numId")
            lvl = num_pr.find(_W + "ilvl")
            num_id = nid.get(_VAL) if nid is not None else None
            ilvl = _int(lvl.get(_VAL), 0) if lvl is not None else None
        style = self._style_of(p)
        seen: set[str] = set()
        sid = style
        while (num_id is None or ilvl is None) and sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            st = self.styles[sid]
            if num_id is None and st.num_id is not None:
                num_id = st.num_id
                if ilvl is None:
                    ilvl = st.ilvl if st.ilvl is not None else self.numbering.level_of_style(num_id, sid)
            sid = st.based_on
        if not num_id or num_id == "0":
            return None
        return self.numbering.marker(num_id, ilvl or 0)


def _alternative(alt: Any) -> Any:
    """The content of an ``mc:AlternateContent``: its first choice (the fallback repeats it)."""
    choice = alt.find(_MC + "Choice")
    return choice if choice is not None else alt.find(_MC + "Fallback")


def _is_toc_sdt(sdt: Any) -> bool:
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(_VAL) or "").lower()


def _block_items(parent: Any) -> Iterator[Any]:
    for child in parent.iterchildren():
        if child.tag in (P, TBL):
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _block_items(content)
        elif child.tag in (CUSTOM_XML, _W + "ins"):
            yield from _block_items(child)


def _rows(tbl: Any) -> Iterator[Any]:
    for child in tbl.iterchildren():
        if child.tag == TR:
            yield child
        elif child.tag in (SDT, CUSTOM_XML):
            inner = child.find(SDT_CONTENT) if child.tag == SDT else child
            if inner is not None:
                yield from _rows(inner)


def _cells(tr: Any) -> Iterator[Any]:
    """A row's cells, without the continuations of vertically merged cells (their text is above)."""
    for child in tr.iterchildren():
        if child.tag == TC:
            merge = child.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(_VAL) != "restart":
                continue
            yield child
        elif child.tag in (SDT, CUSTOM_XML):
            inner = child.find(SDT_CONTENT) if child.tag == SDT else child
            if inner is not None:
                yield from _cells(inner)


def _symbol(code: str | None) -> str:
    """A ``w:sym`` character (hex); Symbol-font code points (F0xx) folded to their Unicode position."""
    try:
        n = int(code or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= n <= 0xF0FF:
        n -= 0xF000
    return chr(n) if 0x20 <= n < 0x110000 and not 0xD800 <= n < 0xE000 else ""
