"""The original text of a plan's source, for showing an element's span in its context.

The store keeps every element's span (character offsets into the original file: for PDF and Word into the
text extracted from it) and the source's sha256, not the file's text. The service reads the text from the
configured sources (``PLANGRAPH_SOURCES``: files, plan folders, folders of plan folders; by default the
bundled plans): the file whose bytes have the sha256 the store records, so a span is only ever shown
against the very file it was measured in. A plan whose file is not among them has no text here (the
explorer then shows the element's own text).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from plangraph.ingest.errors import PlanError
from plangraph.ingest.load import Source, find_source, load_source
from plangraph.ingest.models import ParseWarning
from plangraph.ingest.pipeline import parse_file


@lru_cache(maxsize=64)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _candidates(root: Path) -> list[Path]:
    """The source files under a configured source: the file itself, a plan folder's source, or the
    sources of the plan folders and plan files one level down."""
    if root.is_file():
        return [root]
    try:
        return [find_source(root)]
    except (OSError, ValueError, PlanError):  # not a plan folder: perhaps a folder of them
        pass
    out: list[Path] = []
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return out
    for entry in entries:
        try:
            out.append(find_source(entry))
        except (OSError, ValueError, PlanError):
            continue
    return out


def source_file(roots: list[Path], sha256: str) -> Path | None:
    """The configured source file whose bytes have ``sha256``, or None."""
    for root in roots:
        for path in _candidates(root):
            try:
                st = path.stat()
            except OSError:
                continue  # a source that is gone has no text to show; the store still has its graph
            if _sha256(str(path), st.st_mtime_ns, st.st_size) == sha256:
                return path
    return None


@lru_cache(maxsize=8)
def _loaded(path: str, mtime_ns: int) -> Source:
    return load_source(path)


def original_text(path: Path) -> str:
    """The text the spans of ``path`` index (the decoded file; PDF and Word: the extracted text)."""
    return _loaded(str(path), path.stat().st_mtime_ns).original


@lru_cache(maxsize=8)
def _warnings(path: str, mtime_ns: int) -> tuple[ParseWarning, ...]:
    return tuple(parse_file(Path(path)).warnings)


def parse_warnings(path: Path) -> tuple[ParseWarning, ...]:
    """The parser's warnings on ``path``, as ``plangraph parse --summary`` lists them."""
    return _warnings(str(path), path.stat().st_mtime_ns)
