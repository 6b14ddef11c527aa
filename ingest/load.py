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
from dataclasses import dataclass, field
from pathlib import Path

from plangraph.ingest.errors import EmptySource, MetadataError, SourceTooLarge
from plangraph.ingest.models import ParseWarning, PlanMeta
from plangraph.ingest.yamlfile import read_user_yaml

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
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".doc"):
        return "docx"  # a legacy .doc goes to the Word loader, which says to save it as .docx
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    sniff = head.lower()
    if b"<html" in sniff or b"<!doctype html" in sniff or (b"<p" in sniff and b"</p>" in sniff):
        return "html"
    return "text"


#: Files larger than this are refused before they are read (E009): a plan's text is a few MB at most, a PDF
#: or Word file with its pictures some tens; the PDF loader has its own, larger cap.
MAX_SOURCE_BYTES = 100 * 1024 * 1024


#: The file a plan folder holds its text in, in order of preference (one rule for every entry point).
SOURCE_NAMES = ("source.txt", "source.html", "source.htm", "source.md", "source.pdf", "source.docx")


def find_source(path: Path | str) -> Path:
    """A plan file as given, or the source file of a plan folder (:data:`SOURCE_NAMES`); E000 otherwise."""
    p = Path(path)
    if p.is_dir():
        for name in SOURCE_NAMES:
            if (p / name).is_file():
                return p / name
        raise EmptySource("E000", f"no source file ({', '.join(SOURCE_NAMES)}) in the directory", str(path))
    if not p.exists():
        raise EmptySource("E000", "no such file or directory", str(path))
    return p


def load_source(path: Path | str, max_bytes: int = MAX_SOURCE_BYTES) -> Source:
    """Read a plan file of any supported format (refused with E009 above ``max_bytes``)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            with p.open("rb") as fh:
                head = fh.read(8)
            if not head.startswith(b"%PDF-"):
                raise SourceTooLarge(
                    "E009",
                    f"the file is too large ({size / 2**20:.0f} MB; the limit is {max_bytes / 2**20:.0f} MB)",
                    str(path),
                )
        data = p.read_bytes()
    except OSError as exc:
        raise EmptySource("E000", f"cannot read the file: {exc.strerror}", str(path)) from None
    return source_from_bytes(data, str(path))


def source_from_bytes(data: bytes, path: str = "<upload>") -> Source:
    """Decode and convert bytes with the loader of their format."""
    from plangraph.ingest.formats import loader_for

    source = loader_for(detect_format(data, path))(data, path)
    if not source.text.strip():
        raise EmptySource("E001", "the file has no text", path)
    return source


_META_FIELDS = set(PlanMeta.model_fields)
#: the names of a plan directory's source file: its plan.yaml describes it, its folder names it
SOURCE_STEM = "source"


def meta_file_for(source_path: Path | str) -> Path | None:
    """The metadata file of a source: ``<name>.plan.yaml`` beside ``<name>.<ext>``, else the ``plan.yaml``
    of its folder (which describes every file in it, e.g. one plan in several formats)."""
    p = Path(source_path)
    for candidate in (p.with_name(f"{p.stem}.plan.yaml"), p.parent / "plan.yaml"):
        if candidate.is_file():
            return candidate
    return None


def read_meta(source_path: Path | str) -> dict[str, object]:
    """The fields of the source's metadata file (see :func:`meta_file_for`), checked; ``{}`` without one."""
    meta_path = meta_file_for(source_path)
    if meta_path is None:
        return {}
    raw = read_user_yaml(meta_path, lambda msg, line: MetadataError("E020", msg, str(meta_path), line)) or {}
    if not isinstance(raw, dict):
        raise MetadataError("E020", f"{meta_path.name} must be a mapping", str(meta_path), 1)
    unknown = sorted(set(raw) - _META_FIELDS)
    if unknown:
        raise MetadataError(
            "E020", f"unknown fields {unknown}; valid: {sorted(_META_FIELDS)}", str(meta_path)
        )
    if raw.get("id") is not None:
        raw["id"] = str(raw["id"])
    if raw.get("issued") is not None:
        raw["issued"] = str(raw["issued"])
    try:
        PlanMeta(**{"id": "check", **raw})
    except ValueError as exc:
        raise MetadataError("E020", f"{meta_path.name} has wrong values: {exc}", str(meta_path)) from None
    return {k: v for k, v in raw.items() if v is not None}


def folder_id(source_path: Path | str) -> str | None:
    """The id a plan directory gives its ``source.*`` file (the folder's name, as ASCII); None for any
    other file, which gets an id of its own (from its title, else its name)."""
    p = Path(source_path)
    if p.stem != SOURCE_STEM:
        return None
    name = p.absolute().parent.name
    return _slug(name) if name else None


def load_meta(source_path: Path | str, default_id: str | None = None) -> PlanMeta:
    """Plan metadata from the source's metadata file (``plan.yaml`` …); without an id there, ``default_id``,
    else the folder's name (``source.*``), else the file's name. The pipeline derives a missing id from
    the document's title instead (:func:`ingest.pipeline.parse_file`)."""
    raw = read_meta(source_path)
    plan_id = str(
        raw.pop("id", None) or default_id or folder_id(source_path) or _slug(Path(source_path).stem)
    )
    return PlanMeta(id=plan_id, **raw)  # type: ignore[arg-type]


def _slug(name: str) -> str:
    """An ASCII id from a file or folder name (Chinese as pinyin initials), see :func:`ingest.planid.slug`."""
    from plangraph.ingest.planid import slug

    return slug(name)
