"""The project's one error hierarchy, and the typed parse errors.

:class:`PlanGraphError` is the base of every error a *user* can cause — bad input, a reference to nothing,
an unknown query or parameter, a store that is down. Each carries a stable ``code`` (``E010``), the place
(``where``: ``file:line``, a parameter) and a message, and prints as one line ``[E010] where: message``.
The CLI prints exactly that line (no traceback) and the API answers with the status its code maps to
(``api/errors.py``); any other exception is a bug and keeps its traceback. Code ranges: E0xx the source
and its parse, E1xx the graph and its exports, E3xx the stores and queries, E4xx references and requests.
"""

from __future__ import annotations

from typing import Any


class PlanGraphError(Exception):
    """A user's error: ``code``, ``message``, ``where`` (or None) and ``extra`` members for the API's
    problem document (``candidates``, ``suggestions`` …)."""

    code = "E000"

    def __init__(
        self, message: str, *, where: str | None = None, code: str | None = None, **extra: Any
    ) -> None:
        if code is not None:
            self.code = code
        self.message, self.where, self.extra = message, where, extra
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"[{self.code}] {self.where + ': ' if self.where else ''}{self.message}"


class PlanError(PlanGraphError):
    """Bad input: carries a code and the place, and prints as ``[E010] file:line: message``."""

    def __init__(self, code: str, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = None
        if path:
            where = path + (f":{line}" if line is not None else "")
        elif line is not None:
            where = f"line {line}"
        super().__init__(message, where=where, code=code, line=line)


class EmptySource(PlanError):
    """E001: the file holds no text."""


class BinarySource(PlanError):
    """E002: the file is not text (NUL bytes or undecodable)."""


class EncodingError(PlanError):
    """E003: no supported encoding decodes the file consistently."""


class NotAPlan(PlanError):
    """E010: no structure of a plan was recognised."""


class IncompletePlan(PlanError):
    """E011: parts of a plan are missing (a truncated file); ``--partial`` returns what was found."""

    def __init__(
        self,
        code: str,
        message: str,
        path: str | None = None,
        line: int | None = None,
        partial: object | None = None,
    ):
        super().__init__(code, message, path, line)
        self.partial = partial


class MetadataError(PlanError):
    """E020: plan.yaml is unreadable or has wrong fields."""


class DocumentFormatError(PlanError):
    """E007: not a readable document of its format (not a Word package, a legacy .doc, damaged)."""


class DecompressionBomb(PlanError):
    """E008: the file would expand beyond the size limit when unpacked (a zip bomb)."""


class PdfError(PlanError):
    """A PDF that cannot be read: encrypted (E004), damaged or truncated (E005), without a text layer
    (E006, a scan), or too large to parse (E009)."""


class SourceTooLarge(PlanError):
    """E009: the file is larger than any plan (refused before it is read)."""
