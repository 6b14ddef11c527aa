"""Stage 1 — load: bytes → decoded original text (+ plain text view for HTML) and plan metadata.

Guarantees: the returned ``Source.original`` is exactly the decoded file; ``Source.text`` is the text to
parse, and ``Source.offsets[i]`` is the index in ``original`` of ``text[i]`` (for plain text the identity).
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.errors import BinarySource, EmptySource, EncodingError, MetadataError
from ingest.models import PlanMeta

_BLOCK_TAGS = re.compile(
    r"^(p|div|br|h[1-6]|li|tr|table|section|article|title|blockquote|pre|ul|ol|dd|dt)$", re.I
)
_CELL_TAGS = re.compile(r"^(td|th)$", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?>|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>", re.S)
_SKIP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.S | re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")


@dataclass(frozen=True)
class Source:
    path: str
    raw_bytes: bytes
    original: str  # the decoded file: char offsets in provenance refer to this
    encoding: str
    format: str  # "text" | "html"
    text: str  # what the parser reads
    offsets: tuple[int, ...]  # len(text)+1 entries: text[i] came from original[offsets[i]]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw_bytes).hexdigest()


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312).

    >>> decode("规划".encode("gb18030"))[1]
    'gb18030'
    """
    if not data.strip():
        raise EmptySource("E001", "the file is empty", path)
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


def looks_like_html(text: str, path: str) -> bool:
    if path.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or ("<p" in head and "</p>" in head)


def load_source(path: Path | str) -> Source:
    """Read and decode a plan file (text or HTML)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise EmptySource("E000", f"cannot read the file: {exc.strerror}", str(path)) from None
    return source_from_bytes(data, str(path))


def source_from_bytes(data: bytes, path: str = "<upload>") -> Source:
    original, encoding = decode(data, path)
    if looks_like_html(original, path):
        text, offsets = html_to_text(original)
        fmt = "html"
    else:
        text, offsets = original, tuple(range(len(original) + 1))
        fmt = "text"
    if not text.strip():
        raise EmptySource("E001", "the file has no text", path)
    return Source(path, data, original, encoding, fmt, text, offsets)


_META_FIELDS = set(PlanMeta.model_fields)


def load_meta(source_path: Path | str, default_id: str | None = None) -> PlanMeta:
    """Plan metadata from ``plan.yaml`` beside the source; without one, an id from the folder name."""
    p = Path(source_path)
    meta_path = p.parent / "plan.yaml"
    plan_id = default_id or _slug(p.parent.name if p.parent.name else p.stem)
    if not meta_path.is_file():
        return PlanMeta(id=plan_id)
    try:
        raw = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MetadataError("E020", f"plan.yaml is not valid YAML: {exc}", str(meta_path)) from None
    if not isinstance(raw, dict):
        raise MetadataError("E020", "plan.yaml must be a mapping", str(meta_path), 1)
    unknown = sorted(set(raw) - _META_FIELDS)
    if unknown:
        raise MetadataError(
            "E020", f"unknown fields {unknown}; valid: {sorted(_META_FIELDS)}", str(meta_path)
        )
    raw.setdefault("id", plan_id)
    raw["id"] = str(raw["id"])
    if raw.get("issued") is not None:
        raw["issued"] = str(raw["issued"])
    try:
        return PlanMeta(**raw)
    except ValueError as exc:
        raise MetadataError("E020", f"plan.yaml has wrong values: {exc}", str(meta_path)) from None


def _slug(name: str) -> str:
    s = re.sub(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+", "-", name).strip("-")
    return s or "plan"
