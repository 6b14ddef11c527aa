"""The original text of a plan's source, for showing an element's span in its context.

The store keeps every element's span (character offsets into the original file: for PDF and Word into the
text extracted from it) and the source's sha256, not the file's text. The service reads the text from the
configured plan sources (``PLANGRAPH_PLANS``): the file whose bytes have the sha256 the store records, so a
span is only ever shown against the very file it was measured in. A plan loaded from elsewhere has no text
here (the explorer then shows the element's own text).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ingest.load import Source, find_source, load_source
from ingest.models import ParseWarning
from ingest.pipeline import parse_file


@lru_cache(maxsize=64)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_file(plan_dirs: list[Path], sha256: str) -> Path | None:
    """The configured source file whose bytes have ``sha256``, or None."""
    for plan_dir in plan_dirs:
        try:
            path = find_source(plan_dir)
            st = path.stat()
        except (OSError, ValueError):
            continue  # a configured plan that is gone has no text to show; the store still has its graph
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
