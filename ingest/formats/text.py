"""Plain text: decoding bytes (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK) and the text loader.

The text loader's ``original`` is the decoded file and ``text`` is the same string (identity offsets);
form feeds (pdftotext's page breaks) give the page boundaries.
"""

from __future__ import annotations

import re

from plangraph.ingest.errors import BinarySource, EmptySource, EncodingError
from plangraph.ingest.load import Source


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes as UTF-16 (BOM or NUL pattern), UTF-8 (with or without BOM), else GB18030 (GBK, GB2312).

    >>> decode("规划".encode("gb18030"))[1]
    'gb18030'
    """
    if not data.strip():
        raise EmptySource("E001", "the file is empty", path)
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as exc:
            raise EncodingError(
                "E003", f"the file looks like {utf16.upper()} but byte {exc.start} is not", path
            ) from None
    if b"\x00" in data[:8192]:
        raise BinarySource("E002", "the file is binary (NUL bytes), not a plan's text", path)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise EncodingError(
                "E003", f"BOM says UTF-8 but byte {exc.start} is not", path, _line_of(data, exc.start)
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_exc:
        if utf8_exc.end == len(data) and utf8_exc.reason == "unexpected end of data":
            # a file cut short inside its last character: keep everything before it
            return data[: utf8_exc.start].decode("utf-8"), "utf-8"
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise EncodingError(
                "E003",
                "the file mixes encodings or is not text: neither UTF-8 nor GB18030/GBK decodes it "
                f"(first bad UTF-8 byte at offset {utf8_exc.start})",
                path,
                _line_of(data, utf8_exc.start),
            ) from None
        if _looks_like_mojibake(text):
            raise EncodingError(
                "E003",
                "the file mixes encodings: part is UTF-8, part is not "
                f"(first bad UTF-8 byte at offset {utf8_exc.start})",
                path,
                _line_of(data, utf8_exc.start),
            ) from None
        return text, "gb18030"


def _utf16(data: bytes) -> str | None:
    """UTF-16 by its BOM, or without one when every other byte of an ASCII-rich head is NUL.

    >>> _utf16("规划".encode("utf-16")), _utf16("一、总体要求 2025".encode("utf-16-le")), _utf16(b"abc")
    ('utf-16', 'utf-16-le', None)
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if len(head) < 8 or len(head) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 8 and even * 4 < odd:
        return "utf-16-le"
    if even > len(head) // 8 and odd * 4 < even:
        return "utf-16-be"
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_like_mojibake(text: str) -> bool:
    """UTF-8 CJK read as GB18030 turns into rare characters and private-use glyphs."""
    if not text:
        return False
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    odd = sum(1 for c in text if "\ue000" <= c <= "\uf8ff" or "\u3400" <= c <= "\u4dbf" or c == "\ufffd")
    # UTF-8 byte pairs decoded as GB18030 hit many uncommon ideographs; the common-character share
    # of real GBK text is high. Heuristic: more than 2% private-use / extension-A characters.
    return (cjk > 0 and odd / max(cjk, 1) > 0.02) or _utf8_run(text)


def _utf8_run(text: str) -> bool:
    """A stretch that re-encodes to valid multi-byte UTF-8 means two encodings were mixed."""
    try:
        blob = text.encode("gb18030")
    except UnicodeEncodeError:
        return True
    return re.search(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){6,}", blob) is not None


def load(data: bytes, path: str) -> Source:
    """A plain-text plan; form feeds are page breaks."""
    original, encoding = decode(data, path)
    pages = page_starts(original)
    return Source(path, data, original, encoding, "text", original, tuple(range(len(original) + 1)), pages)


def page_starts(text: str) -> tuple[int, ...]:
    """Offsets where pages start when the text has form feeds (pdftotext output), else ().

    >>> page_starts("a\\fb\\fc"), page_starts("abc")
    ((0, 2, 4), ())
    """
    if "\f" not in text:
        return ()
    return (0, *(i + 1 for i, c in enumerate(text) if c == "\f"))
