"""HTML pages: tags and entities stripped, block structure kept as line breaks, table cells as tabs."""

from __future__ import annotations

import html
import re

from ingest.formats.text import decode
from ingest.load import Source

_BLOCK_TAGS = re.compile(
    r"^(p|div|br|h[1-6]|li|tr|table|section|article|title|blockquote|pre|ul|ol|dd|dt)$", re.I
)
_CELL_TAGS = re.compile(r"^(td|th)$", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?>|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>", re.S)
_SKIP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.S | re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")


def html_to_text(original: str) -> tuple[str, tuple[int, ...]]:
    """Strip tags and entities from HTML, keeping block structure as line breaks.

    Every output character maps back to an index in ``original``. Table cells end with a tab,
    blocks end with a space and a newline (the parser's paragraph end).
    """
    out: list[str] = []
    offs: list[int] = []
    skip_spans = [(m.start(), m.end()) for m in _SKIP.finditer(original)]

    def emit(s: str, at: int) -> None:
        for ch in s:
            out.append(ch)
            offs.append(at)

    pos = 0
    n = len(original)
    skip_i = 0
    while pos < n:
        if skip_i < len(skip_spans) and pos >= skip_spans[skip_i][0]:
            pos = max(pos, skip_spans[skip_i][1])
            skip_i += 1
            continue
        ch = original[pos]
        if ch == "<":
            m = _TAG.match(original, pos)
            if m:
                name = m.group(2) or ""
                if _BLOCK_TAGS.match(name):
                    if out and out[-1] != "\n":
                        emit(" \n", pos)  # trailing space: the genre's paragraph-end mark
                elif _CELL_TAGS.match(name) and m.group(1) == "/":
                    emit("\t", pos)  # cell separator: table parsers split rows on tabs
                pos = m.end()
                continue
        if ch == "&":
            m = _ENTITY.match(original, pos)
            if m:
                emit(html.unescape(m.group(0)), pos)
                pos = m.end()
                continue
        if ch in "\r\n\t":
            emit(" ", pos)
        else:
            emit(ch, pos)
        pos += 1
    offs.append(n)
    return "".join(out), tuple(offs)




def load(data: bytes, path: str) -> Source:
    original, encoding = decode(data, path)
    text, offsets = html_to_text(original)
    return Source(path, data, original, encoding, "html", text, offsets)
