"""Stage 1 — load: a file's bytes → the text to parse, its map to the original, pages and hints.

Every format has its own loader in :mod:`ingest.formats` (text, html, markdown, pdf, docx), and every loader
ends in the same :class:`Source`; the later stages never know which format the plan came in.

Guarantees: ``Source.original`` is the decoded file (for PDF and Word: the text extracted from it, pages
separated by form feeds); ``Source.text`` is the text to parse, and ``Source.offsets[i]`` is the index in
``original`` of ``text[i]`` (for plain text the identity). ``Source.pages`` holds the offset in
``original`` where each page starts (empty where the format has no pages). ``Source.notes`` are the
loader's own findings (images not read, removed headers and footers …), ``Source.hints`` metadata the
format carries (an HTML ``<title>``, a PDF's or a .docx's document title).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ingest.errors import EmptySource, MetadataError
from ingest.models import ParseWarning, PlanMeta

FORMATS = ("text", "html", "markdown", "pdf", "docx")


@dataclass(frozen=True)
class Source:
    path: str
    raw_bytes: bytes
    original: str  # the decoded file (PDF/Word: the extracted text): char offsets in provenance refer to this
    encoding: str
    format: str  # one of FORMATS
    text: str  # what the parser reads
    offsets: tuple[int, ...]  # len(text)+1 entries: text[i] came from original[offsets[i]]
    pages: tuple[int, ...] = ()  # original offset where page 1, 2, … starts; () without pages
    notes: tuple[ParseWarning, ...] = ()  # what the loader found and did (images not read, noise removed)
    hints: tuple[tuple[str, str], ...] = field(default=())  # ("title", "…") from the format's metadata

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw_bytes).hexdigest()

    def page_of(self, original_offset: int) -> int | None:
        """The 1-based page of an offset into ``original``, or None where the source has no pages."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, original_offset))

    def hint(self, key: str) -> str | None:
        return next((v for k, v in self.hints if k == key), None)


def detect_format(data: bytes, path: str) -> str:
    """The format of a file, from its content first and its extension second.

    >>> detect_format(b"%PDF-1.7 ...", "x.txt"), detect_format(b"PK\\x03\\x04...", "plan.docx")
    ('pdf', 'docx')
    >>> detect_format("## 一、总体要求".encode(), "plan.md"), detect_format(b"<html><p>x</p>", "a")
    ('markdown', 'html')
    """
    head = data[:2048].lstrip()
    lower = path.lower()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    sniff = head.lower()
    if b"<html" in sniff or b"<!doctype html" in sniff or (b"<p" in sniff and b"</p>" in sniff):
        return "html"
    return "text"


def load_source(path: Path | str) -> Source:
    """Read a plan file of any supported format."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise EmptySource("E000", f"cannot read the file: {exc.strerror}", str(path)) from None
    return source_from_bytes(data, str(path))


def source_from_bytes(data: bytes, path: str = "<upload>") -> Source:
    """Decode and convert bytes with the loader of their format."""
    from ingest.formats import loader_for

    source = loader_for(detect_format(data, path))(data, path)
    if not source.text.strip():
        raise EmptySource("E001", "the file has no text", path)
    return source


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
